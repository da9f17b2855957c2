// `start-after` (SPEC §4): which migrations already ran in production. "Already ran" is a graph position,
// not a number: the configured migration and every migration it depends on, directly or not (an unnumbered
// or differently numbered ancestor included). A migration of another branch is not one of them, whatever its
// number: it may not be deployed yet.
import type { ConfigProblem } from '../config/defaults';
import { nodeKey, type MigrationGraph } from './graph';

function numberOf(name: string): number | undefined {
  const match = /^(\d+)(?:_|$)/.exec(name);
  return match ? Number(match[1]) : undefined;
}

/**
 * The migrations of `app` a `start-after` value names: the one with that name, else every one with that
 * number (`"0042"`, `"42"`). A migration a squashed one replaces, gone from the workspace, is named through
 * the squashed migration (Django remaps it the same way).
 */
export function namedMigrations(graph: MigrationGraph, app: string, value: string): string[] {
  const names = graph.apps.get(app) ?? [];
  const replaced = [...graph.replacedBy.keys()].filter((key) => key.startsWith(`${app}.`) && !graph.nodes.has(key)).map((key) => key.slice(app.length + 1));
  const candidates = [...names, ...replaced];
  const number = /^\d+$/.test(value) ? Number(value) : undefined;
  const matching = candidates.includes(value) ? [value] : number === undefined ? [] : candidates.filter((name) => numberOf(name) === number);
  const keys = matching.map((name) => {
    const key = nodeKey(app, name);
    return graph.nodes.has(key) ? key : graph.replacedBy.get(key)!;
  });
  return [...new Set(keys)];
}

const ranCache = new WeakMap<MigrationGraph, Map<string, ReadonlySet<string> | undefined>>();

/**
 * The migrations that already ran when `value` is the `start-after` of `app`: those it names and their
 * ancestors, plus what a squashed migration among them replaces, and a squashed migration all of whose
 * replaced migrations in the workspace ran. Undefined when the value names no migration of the app.
 */
export function migrationsThatRan(graph: MigrationGraph, app: string, value: string): ReadonlySet<string> | undefined {
  let perGraph = ranCache.get(graph);
  if (!perGraph) {
    perGraph = new Map();
    ranCache.set(graph, perGraph);
  }
  const id = `${app}\0${value}`;
  if (perGraph.has(id)) return perGraph.get(id);
  const named = namedMigrations(graph, app, value);
  let ran: Set<string> | undefined;
  if (named.length > 0) {
    ran = new Set<string>();
    const add = (key: string) => {
      if (ran!.has(key)) return;
      ran!.add(key);
      for (const ancestor of graph.ancestors(key)) ran!.add(ancestor);
    };
    named.forEach(add);
    for (const [replaced, squash] of graph.replacedBy) if (ran.has(squash) && graph.nodes.has(replaced)) add(replaced);
    const squashes = new Set(graph.replacedBy.values());
    for (const squash of squashes) {
      if (ran.has(squash)) continue;
      const present = [...graph.replacedBy].filter(([replaced, by]) => by === squash && graph.nodes.has(replaced)).map(([replaced]) => replaced);
      if (present.length > 0 && present.every((replaced) => ran!.has(replaced))) ran.add(squash);
    }
  }
  perGraph.set(id, ran);
  return ran;
}

/** What `lint` needs to know of the migration: its node, the graph, and whether the graph is the whole workspace. */
export interface GraphPosition {
  key: string;
  app: string;
  name: string;
  graph: MigrationGraph;
  hasWorkspace: boolean;
}

/**
 * Whether the migration already ran by `start-after`. Without the whole workspace (a file linted alone, an index
 * still being built) the graph cannot tell: the number (or, unnumbered, the name) is compared instead, as the
 * only evidence there is. With the workspace, a value that names no migration of the app is ignored (and
 * reported by `startAfterProblems`).
 */
export function alreadyRan(position: GraphPosition, startAfter: Readonly<Record<string, string>>): boolean {
  if (!Object.hasOwn(startAfter, position.app)) return false;
  const value = startAfter[position.app];
  if (position.hasWorkspace) return migrationsThatRan(position.graph, position.app, value)?.has(position.key) ?? false;
  const mine = numberOf(position.name);
  const theirs = numberOf(value);
  if (mine !== undefined && theirs !== undefined) return mine <= theirs;
  return position.name === value;
}

/**
 * `start-after` entries that name no migration of their app (a typo, the letter O for a zero), for apps with
 * migrations in the graph: reported as MG000 on the config, and the entry is ignored (the app stays linted).
 */
export function startAfterProblems(graph: MigrationGraph, startAfter: Readonly<Record<string, string>>): ConfigProblem[] {
  const problems: ConfigProblem[] = [];
  for (const [app, value] of Object.entries(startAfter)) {
    if (!graph.apps.has(app) || namedMigrations(graph, app, value).length > 0) continue;
    const names = graph.apps.get(app)!;
    const last = names[names.length - 1];
    problems.push({
      key: `start-after.${app}`,
      message: `\`start-after.${app}\` = ${JSON.stringify(value)} names no migration of \`${app}\` (its migrations run from \`${names[0]}\` to \`${last}\`): the entry is ignored and every migration of \`${app}\` is linted`,
    });
  }
  return problems;
}
