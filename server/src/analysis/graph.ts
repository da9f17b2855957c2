// The migration graph of the workspace: nodes `(app, name)`, edges from `dependencies` (within and across
// apps, `__first__`/`__latest__`, `swappable_dependency`), `run_before`, and squashed migrations' `replaces`.
import type { DependencyRef, MigrationSummary } from './summary';

export function nodeKey(app: string, name: string): string {
  return `${app}.${name}`;
}

export interface UnresolvedDependency {
  from: string;
  dependency: DependencyRef;
  /** `missing`: the app is in the workspace but the migration is not (MG502). `external`: outside the workspace. */
  reason: 'missing' | 'external';
}

export class MigrationGraph {
  readonly nodes = new Map<string, MigrationSummary>();
  /** node → the nodes it depends on (resolved, squash replacements applied). */
  readonly parents = new Map<string, string[]>();
  readonly children = new Map<string, string[]>();
  readonly unresolved: UnresolvedDependency[] = [];
  /** Replaced node → the squashed node that replaces it (when the squashed migration is in the workspace). */
  readonly replacedBy = new Map<string, string>();
  /** Topological order (dependencies first; ties broken by app and name, so it is deterministic). */
  readonly order: string[] = [];
  readonly apps = new Map<string, string[]>();
  /** Leaves per app, once the constructor has linked every edge (`__latest__` asks for them while it links). */
  private leafCache?: Map<string, readonly string[]>;
  private positionCache?: Map<string, number>;
  /** Roots per app; a link inside an app changes its roots (swappable dependencies ask for them while the graph links). */
  private readonly rootCache = new Map<string, string[]>();

  /**
   * @param authUserApp app label of `AUTH_USER_MODEL` (from the settings), for `swappable_dependency`.
   */
  constructor(summaries: Iterable<MigrationSummary>, private readonly authUserApp = 'auth') {
    for (const summary of summaries) {
      const key = nodeKey(summary.app, summary.name);
      if (this.nodes.has(key)) continue;
      this.nodes.set(key, summary);
      const names = this.apps.get(summary.app) ?? [];
      names.push(summary.name);
      this.apps.set(summary.app, names);
    }
    for (const names of this.apps.values()) names.sort();
    for (const [key, summary] of this.nodes) {
      for (const replaced of summary.replaces) {
        if (replaced.app && replaced.name) this.replacedBy.set(nodeKey(replaced.app, replaced.name), key);
      }
    }
    for (const key of this.nodes.keys()) {
      this.parents.set(key, []);
      this.children.set(key, []);
    }
    for (const [key, summary] of this.nodes) {
      for (const dependency of summary.dependencies) this.addDependency(key, dependency);
      for (const before of summary.runBefore) {
        const target = this.resolve(before);
        if (target && target !== key) this.link(target, key);
      }
    }
    this.sort();
    this.leafCache = new Map();
  }

  private link(child: string, parent: string): void {
    const parents = this.parents.get(child)!;
    if (!parents.includes(parent)) {
      parents.push(parent);
      this.children.get(parent)!.push(child);
      const app = this.nodes.get(child)!.app;
      if (this.nodes.get(parent)!.app === app) this.rootCache.delete(app);
    }
  }

  private addDependency(from: string, dependency: DependencyRef): void {
    const target = this.resolve(dependency);
    if (target) {
      // A squashed migration keeps its dependencies on what it replaces out of its own history.
      const replacing = this.replacedBy.get(target);
      const effective = replacing && replacing !== from && !this.replacedBy.has(from) ? replacing : target;
      // A replaced migration whose own (missing) dependency resolved to its squash keeps out of the squash's history.
      if (effective !== from && this.replacedBy.get(from) !== effective) this.link(from, effective);
      return;
    }
    const app = dependency.swappable ? this.authUserApp : dependency.app;
    const reason = app && this.apps.has(app) && !dependency.swappable ? 'missing' : 'external';
    this.unresolved.push({ from, dependency, reason });
  }

  /** The node a dependency names, or undefined when it is not in the workspace. */
  resolve(dependency: DependencyRef): string | undefined {
    const app = dependency.swappable ? this.authUserApp : dependency.app;
    if (!app) return undefined;
    const names = this.apps.get(app);
    if (!names) return undefined;
    const name = dependency.swappable ? '__first__' : dependency.name;
    if (name === '__first__') return this.roots(app)[0];
    if (name === '__latest__') return this.leaves(app)[0];
    if (!name) return undefined;
    const key = nodeKey(app, name);
    if (this.nodes.has(key)) return key;
    // Django remaps a dependency on a migration a squashed one replaces, even once the replaced file is gone.
    return this.replacedBy.get(key);
  }

  /** Nodes of the app with no parent in the same app (the first migrations). */
  roots(app: string): readonly string[] {
    const cached = this.rootCache.get(app);
    if (cached) return cached;
    const roots = (this.apps.get(app) ?? []).map((name) => nodeKey(app, name))
      .filter((key) => !this.replacedBy.has(key) && !(this.parents.get(key) ?? []).some((parent) => this.nodes.get(parent)!.app === app));
    this.rootCache.set(app, roots);
    return roots;
  }

  /** Nodes of the app no other migration of the app depends on (Django refuses two or more). */
  leaves(app: string): readonly string[] {
    const cached = this.leafCache?.get(app);
    if (cached) return cached;
    const leaves = (this.apps.get(app) ?? []).map((name) => nodeKey(app, name))
      .filter((key) => !this.replacedBy.has(key) && !(this.children.get(key) ?? []).some((child) => this.nodes.get(child)!.app === app && !this.replacedBy.has(child)));
    // Once built, the graph's edges never change (a new summary with other dependencies makes a new graph).
    this.leafCache?.set(app, leaves);
    return leaves;
  }

  private sort(): void {
    const pending = new Map<string, number>();
    for (const [key, parents] of this.parents) pending.set(key, parents.length);
    const ready = [...pending].filter(([, count]) => count === 0).map(([key]) => key).sort();
    const placed = new Set<string>();
    while (ready.length > 0 || placed.size < this.nodes.size) {
      if (ready.length === 0) {
        // A cycle: Django would refuse it. Place the smallest remaining node so the rest can still be replayed.
        const next = [...pending].filter(([key]) => !placed.has(key)).map(([key]) => key).sort()[0];
        ready.push(next);
      }
      const key = ready.shift()!;
      if (placed.has(key)) continue;
      placed.add(key);
      this.order.push(key);
      const fresh: string[] = [];
      for (const child of this.children.get(key)!) {
        const count = pending.get(child)! - 1;
        pending.set(child, count);
        if (count === 0 && !placed.has(child)) fresh.push(child);
      }
      if (fresh.length) {
        for (const item of fresh) ready.push(item);
        ready.sort();
      }
    }
  }

  /** Every node that depends on `key`, directly or not. */
  descendants(key: string): Set<string> {
    return reachable(key, this.children);
  }

  /** Index of `key` in `order` (-1 when it is not a node). */
  position(key: string): number {
    this.positionCache ??= new Map(this.order.map((node, index) => [node, index]));
    return this.positionCache.get(key) ?? -1;
  }

  /**
   * Whether a merge migration reconciled `a` and `b`: neither depends on the other (two branches), and some
   * migration depends on both, directly or not.
   */
  merged(a: string, b: string): boolean {
    const afterA = this.descendants(a);
    const afterB = this.descendants(b);
    if (afterA.has(b) || afterB.has(a)) return false;
    for (const node of afterB) if (afterA.has(node)) return true;
    return false;
  }

  /** Every node `key` depends on, directly or not. */
  ancestors(key: string): Set<string> {
    return reachable(key, this.parents);
  }
}

function reachable(key: string, edges: ReadonlyMap<string, readonly string[]>): Set<string> {
  const found = new Set<string>();
  const stack = [...(edges.get(key) ?? [])];
  while (stack.length) {
    const next = stack.pop()!;
    if (found.has(next)) continue;
    found.add(next);
    for (const item of edges.get(next) ?? []) stack.push(item);
  }
  return found;
}
