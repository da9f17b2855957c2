// MG101/MG102/MG103's fix for an atomic migration with other operations (issue 13 item 14): the blocking index
// operations leave it for a new migration of their own after it, concurrent and with `atomic = False`, so the
// other operations keep their transaction. `AddIndex`/`RemoveIndex` become `AddIndexConcurrently`/
// `RemoveIndexConcurrently`; a `RunSQL` that only builds, drops or rebuilds indexes moves with `CONCURRENTLY`
// written into its statements.
import { dirname, join } from 'node:path';
import type { ProjectContext } from '../analysis/context';
import { nodeKey } from '../analysis/graph';
import { argument, isNewTable, type Migration, type Operation } from '../analysis/migration';
import { knownStatements, runSql, type SqlStatement } from '../analysis/sql';
import { callArguments, literal } from '../analysis/syntax';
import type { Node, Tree } from '../base/parser';
import { detectEol, lineStartAt } from '../base/text';
import { applyEdits } from './apply';
import { concurrentFixIsSafe, isIndexStatement, POSTGRES_OPERATIONS, useConcurrently } from './concurrently';
import {
  dedentedSource, importsUsedBy, migrationFileText, namesRead, nextNumber, notALeaf, numberingUnknown, pythonString, quoteStyle, suggestName, type ImportName,
} from './new-migration';
import { sqlConcurrently } from './sql-concurrently';
import type { Edit, Fix } from './types';

interface MoveContext {
  text: string;
  tree: Tree;
  project?: ProjectContext;
  config: { postgresVersion: number };
}

/** What an index operation moved into a migration of its own becomes, and Django's name fragment for it. */
const MOVED: Record<string, { concurrent: string; fragment: (model: string, name: string) => string }> = {
  AddIndex: { concurrent: 'AddIndexConcurrently', fragment: (model, name) => `${model}_${name}` },
  RemoveIndex: { concurrent: 'RemoveIndexConcurrently', fragment: (model, name) => `remove_${model}_${name}` },
};

/** Names Python binds without an import, which a moved operation may use (`default=dict`). */
const BUILTINS = new Set(['dict', 'list', 'set', 'tuple', 'str', 'int', 'float', 'bool', 'bytes', 'frozenset', 'len', 'range', 'print']);

/** `AddIndex(index=Index(name="x"))` / `RemoveIndex(name="x")`: the index's name, when a literal. */
function indexNameOf(op: Operation): string | undefined {
  const index = argument(op, 'index');
  const node = op.kind === 'AddIndex' ? (index?.type === 'call' ? callArguments(index).keywords.get('name') : undefined) : argument(op, 'name');
  const value = literal(node);
  return value.kind === 'string' ? value.value : undefined;
}

/** Names `node` reads that no import of the file binds (a module constant): copied elsewhere, they would not resolve. */
function unboundNames(root: Node, node: Node): string[] {
  const used = namesRead(node);
  const { names, statements } = importsUsedBy(root, node);
  const bound = new Set([...names.map((name) => name.name.split('.')[0]), ...BUILTINS]);
  return [...used].filter((name) => !bound.has(name) && !statements.some((statement) => new RegExp(`\\b${name}\\b`).test(statement)));
}

/**
 * The lines an operation takes in the list, to cut them out whole: the comment lines right above it, its own
 * lines, and its trailing comma (and comment) up to the line break. Undefined when it shares a line with
 * something else.
 */
function operationLines(text: string, op: Operation): { start: number; end: number; comments: string[] } | undefined {
  const lineStart = lineStartAt(text, op.node.startIndex);
  if (text.slice(lineStart, op.node.startIndex).trim() !== '') return undefined;
  const tail = /^[ \t]*,?[ \t]*(#[^\r\n]*)?(\r\n|\r|\n)/.exec(text.slice(op.node.endIndex));
  if (!tail) return undefined;
  let start = lineStart;
  const comments: string[] = [];
  while (start > 0) {
    // The previous line starts before its line break (`\r\n` counts as one).
    const previous = lineStartAt(text, text.startsWith('\r\n', start - 2) ? start - 2 : start - 1);
    const line = text.slice(previous, start).replace(/\r?\n$|\r$/, '');
    if (!/^\s*#/.test(line)) break;
    comments.unshift(line.trim());
    start = previous;
  }
  return { start, end: op.node.endIndex + tail[0].length, comments };
}

interface Moving {
  op: Operation;
  /** The operation's source in the new migration (dedented). */
  source: string;
  fragment: string;
  imports: ImportName[];
}

/** A blocking `AddIndex`/`RemoveIndex` of the migration's top level, as it goes into the new migration. */
function movingIndexOperation(ctx: MoveContext, migration: Migration, op: Operation): Moving | undefined {
  const name = indexNameOf(op);
  if (!op.modelName || !name || op.callee.startIndex !== op.node.startIndex) return undefined;
  const { concurrent, fragment } = MOVED[op.kind];
  const source = dedentedSource(ctx.text, op.node.startIndex, op.node.endIndex);
  return { op, source: `${concurrent}${source.slice(op.callee.text.length)}`, fragment: fragment(op.modelName, name.toLowerCase()), imports: [{ module: POSTGRES_OPERATIONS, name: concurrent }] };
}

/** The fragment of a statement for the new migration's name (Django's RunSQL has none: makemigrations writes `auto_…`). */
function statementFragment(statement: SqlStatement): string | undefined {
  const action = statement.action;
  if (action.kind === 'create-index') return action.name?.toLowerCase();
  if (action.kind === 'drop-index') return action.names[0] ? `remove_${action.names[0].toLowerCase()}` : undefined;
  if (action.kind === 'reindex') return action.name ? `reindex_${action.name.toLowerCase()}` : undefined;
  return undefined;
}

/**
 * A top-level `RunSQL` whose forward SQL only builds, drops or rebuilds indexes (and sets session settings), at
 * least one of them blocking: it moves with `CONCURRENTLY` written into each blocking statement. Undefined when
 * a statement cannot be made concurrent (sqlConcurrently says why not) or its SQL is not known.
 */
function movingRunSql(ctx: MoveContext, migration: Migration, op: Operation): Moving | undefined {
  const statements = knownStatements(runSql(op, ctx.text).sql);
  if (!statements?.length || !statements.every((statement) => isIndexStatement(statement.action))) return undefined;
  const blocking = statements.filter((statement) => 'concurrently' in statement.action && !statement.action.concurrently);
  if (blocking.length === 0) return undefined;
  if (blocking.some((statement) => statement.action.kind === 'reindex') && ctx.config.postgresVersion < 12) return undefined;
  const inserts: Edit[] = [];
  for (const statement of blocking) {
    const insert = sqlConcurrently(ctx, migration, statement)?.edits[0];
    if (!insert || insert.start < op.node.startIndex || insert.end > op.node.endIndex) return undefined;
    inserts.push({ ...insert, start: insert.start - op.node.startIndex, end: insert.end - op.node.startIndex });
  }
  const fragments = blocking.map(statementFragment);
  if (fragments.some((fragment) => !fragment)) return undefined;
  const written = applyEdits(ctx.text.slice(op.node.startIndex, op.node.endIndex), inserts);
  const start = op.node.startIndex;
  return { op, source: dedentedSource(ctx.text.slice(0, start) + written, start, start + written.length), fragment: fragments.join('_'), imports: [] };
}

/**
 * The fix for blocking index operations in an atomic migration with other operations: every blocking
 * `AddIndex`/`RemoveIndex` (and index-only `RunSQL`) of its top level leaves it for a new migration after it
 * (`atomic = False`, depending on this one, numbered and named as `makemigrations` would). Offered only when the
 * workspace shows the migration is its app's only leaf (else the new file would make a second leaf) and has
 * the app's whole history (else the next free number is not known), when
 * nothing after a moved operation touches its model (`RemoveField` of the indexed column would then run first),
 * and when what moves reads nothing but imports. `moved`: the operations that go.
 */
export function moveIndexesToOwnMigration(ctx: MoveContext, migration: Migration): { fix: Fix; moved: Operation[] } | undefined {
  const { text, project } = ctx;
  if (concurrentFixIsSafe(migration, text) || !project?.hasWorkspace || migration.operationsOverLimit) return undefined;
  const graph = project.graph;
  if (!graph.nodes.has(nodeKey(migration.appLabel, migration.name)) || notALeaf(graph, migration)) return undefined;
  if (numberingUnknown(graph, migration)) return undefined;
  const candidates = migration.operations.filter((op) => op.scope === 'both' && !op.parent && !isNewTable(migration, op) && (op.kind in MOVED || op.kind === 'RunSQL'));
  const moving = candidates.map((op) => (op.kind === 'RunSQL' ? movingRunSql(ctx, migration, op) : movingIndexOperation(ctx, migration, op)))
    .filter((item): item is Moving => item !== undefined);
  if (moving.length === 0) return undefined;
  const moved = moving.map((item) => item.op);
  const kept = migration.operations.filter((op) => !moved.includes(op) && !(op.parent && moved.includes(op.parent)));
  const edits: Edit[] = [];
  const operations: string[] = [];
  const imports: ImportName[] = [];
  const copiedImports: string[] = [];
  for (const { op, source, imports: own } of moving) {
    const lines = operationLines(text, op);
    if (!lines || unboundNames(ctx.tree.rootNode, op.node).length > 0) return undefined;
    const later = kept.filter((other) => other.index > op.index && other.kind !== 'SeparateDatabaseAndState');
    // An index operation must stay after what it follows: nothing later may touch its model (or, for SQL, anything).
    if (later.some((other) => op.kind === 'RunSQL' || other.modelName === op.modelName || other.kind === 'RunSQL' || other.kind === 'RunPython')) return undefined;
    operations.push([...lines.comments, source].join('\n'));
    const used = importsUsedBy(ctx.tree.rootNode, op.kind === 'RunSQL' ? op.node : op.node.childForFieldName('arguments') ?? op.node);
    imports.push(...own, ...used.names.filter((name) => !(name.module === 'django.db' && name.name === 'migrations')));
    copiedImports.push(...used.statements);
    edits.push({ start: lines.start, end: lines.end, text: '' });
  }
  const number = String(nextNumber(graph, migration.appLabel, migration.name)).padStart(4, '0');
  const name = `${number}_${suggestName(moving.map((item) => item.fragment))}`;
  const eol = detectEol(text);
  const file = migrationFileText({
    app: migration.appLabel,
    dependency: migration.name,
    comment: `# Moved out of ${migration.name} by Migration Guard: a concurrent index build cannot run in a transaction,\n# and ${migration.name}'s other operations keep theirs.`,
    imports,
    copiedImports,
    nonAtomic: true,
    operations,
  }, (value) => pythonString(value, quoteStyle(migration)), eol);
  const what = moved.length === 1 ? 'the index operation' : `the ${moved.length} index operations`;
  return {
    moved,
    fix: {
      title: `Move ${what} into a migration of its own (${name})`,
      applicability: 'unsafe',
      unsafeBecause: `it adds ${name}.py after this migration; a failed concurrent build there leaves an INVALID index to drop`,
      edits,
      newFiles: [{ path: join(dirname(migration.path), `${name}.py`), text: file }],
    },
  };
}

/** The move, when it takes `op` along. */
function moveOf(ctx: MoveContext, migration: Migration, op: Operation): Fix[] {
  const move = moveIndexesToOwnMigration(ctx, migration);
  return move && move.moved.includes(op) ? [move.fix] : [];
}

/**
 * The fixes of a blocking `AddIndex`/`RemoveIndex`, the better first: moving the index operations into a migration
 * of their own when this one has other operations (and that is possible), then the concurrent operation here.
 */
export function concurrentFixes(ctx: MoveContext, migration: Migration, op: Operation, concurrent: string): Fix[] {
  return [...moveOf(ctx, migration, op), useConcurrently(ctx, migration, op, concurrent)];
}

/** The same for a blocking index statement of a RunSQL: the move, then `CONCURRENTLY` written here. */
export function sqlConcurrentFixes(ctx: MoveContext, migration: Migration, item: { op: Operation; statement: SqlStatement }): Fix[] {
  const here = sqlConcurrently(ctx, migration, item.statement);
  return [...moveOf(ctx, migration, item.op), ...(here ? [here] : [])];
}
