// "Rewrite as safe steps" for one finding: finds the operation, replays the state up to it, and hands it to the
// rule's rewrite (one file per rule in this folder); the planner renders the route into edits and new files.
import { nodeKey } from '../analysis/graph';
import { parseMigration } from '../analysis/migration';
import type { Config } from '../config/defaults';
import { replayedState } from '../engine/lint';
import { parsePython, type Tree } from '../base/parser';
import { readSource } from '../base/files';
import type { Workspace } from '../engine/workspace';
import { isNotOffered, notALeaf, pythonString, quoteStyle, renderRoute, type Rewrite, type RewriteContext, type RewriteRule } from './planner';
import { addUniqueRewrite } from './mg103-add-unique';
import { foreignKeyRewrite } from './mg105-foreign-key';
import { setNotNullRewrite } from './mg106-set-not-null';
import { addNotNullRewrite } from './mg201-add-not-null';
import { removeFieldRewrite } from './mg202-remove-field';
import { deleteModelRewrite } from './mg203-delete-model';
import { renameFieldRewrite } from './mg204-rename-field';
import { renameModelRewrite } from './mg205-rename-model';

export type { NewMigrationFile, Rewrite } from './planner';

/** One per rule, by code (the CLI lists them in this order). */
export const REWRITES: readonly RewriteRule[] = [addUniqueRewrite, foreignKeyRewrite, setNotNullRewrite, addNotNullRewrite, removeFieldRewrite, deleteModelRewrite, renameFieldRewrite, renameModelRewrite];

/** The codes that have a rewrite. */
export const REWRITE_CODES: ReadonlySet<string> = new Set(REWRITES.map((rule) => rule.code));

export const REWRITE_TITLE = 'Rewrite as safe steps';

export interface RewriteRequest {
  path: string;
  text: string;
  config: Config;
  /** The workspace index, built: the history and the graph. Without one, the rewrite is not offered. */
  workspace?: Workspace;
  /** The finding's code and where its range starts (an offset into `text`). */
  code: string;
  offset: number;
  /** The file's current tree, if the caller has one (else it is parsed). */
  tree?: Tree;
  /** Another file of the project (models.py, an earlier migration) as the caller has it; else it is read from disk. */
  readFile?: (path: string) => string | undefined;
}

export type RewriteOutcome = { ok: true; rewrite: Rewrite } | { ok: false; code: string; reason: string };

function readFromDisk(path: string): string | undefined {
  const source = readSource(path);
  return source.ok ? source.text : undefined;
}

/** The rewrite of the finding, or why it is not offered; undefined when the code has no rewrite or no operation is there. */
export function planRewrite(request: RewriteRequest): RewriteOutcome | undefined {
  const rule = REWRITES.find((candidate) => candidate.code === request.code);
  if (!rule) return undefined;
  const tree = request.tree ?? parsePython(request.text);
  try {
    const no = (reason: string): RewriteOutcome => ({ ok: false, code: rule.code, reason });
    const { workspace } = request;
    const migration = parseMigration(request.path, tree.rootNode, workspace?.appLabel(request.path));
    if (!migration) return undefined;
    const op = migration.operations
      .filter((candidate) => rule.kinds.includes(candidate.kind) && candidate.scope !== 'state'
        && candidate.node.startIndex <= request.offset && request.offset < candidate.node.endIndex)
      .pop();
    if (!op) return undefined;
    if (tree.rootNode.hasError) return no('the file has a syntax error');
    if (!workspace || workspace.indexing) return no('the workspace\'s migrations are not indexed yet: the history the rewrite needs is unknown');
    const summary = workspace.migrationSummary(request.path, migration);
    const graph = workspace.graph();
    if (!graph.nodes.has(nodeKey(summary.app, summary.name))) return no('the migration is not in the workspace\'s migration graph');
    const leaf = notALeaf(graph, migration);
    if (leaf) return no(leaf);
    const { stateBefore, before } = replayedState(summary, workspace);
    const preferred = quoteStyle(migration);
    const ctx: RewriteContext = {
      path: request.path, text: request.text, root: tree.rootNode, config: request.config, migration, op,
      summary: summary.operations.find((candidate) => candidate.index === op.index), before: before(op), stateBefore, str: (value) => pythonString(value, preferred),
      readFile: request.readFile ?? readFromDisk,
    };
    const route = rule.plan(ctx);
    if (isNotOffered(route)) return no(route.reason);
    const rendered = renderRoute(ctx, route, rule.code, graph);
    if (isNotOffered(rendered)) return no(rendered.reason);
    return { ok: true, rewrite: rendered };
  } finally {
    if (!request.tree) tree.delete();
  }
}
