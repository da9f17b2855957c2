// The fixes of MG101 and MG102: the concurrent operation, imported, in a migration with `atomic = False`; or,
// when the migration has other operations, the index operations moved into a new migration of their own.
import { dirname, join } from 'node:path';
import type { ProjectContext } from '../analysis/context';
import { nodeKey } from '../analysis/graph';
import { argument, forwardOperations, isNewTable, type Migration, type Operation } from '../analysis/migration';
import { callArguments, literal } from '../analysis/syntax';
import { detectEol, lineStartAt } from '../base/text';
import {
  dedentedSource, importsUsedBy, migrationFileText, nextNumber, notALeaf, pythonString, quoteStyle, suggestName, type ImportName,
} from './new-migration';
import { runSql, knownStatements } from '../analysis/sql';
import type { SqlAction } from '../analysis/sql-classify';
import type { Tree } from '../base/parser';
import { insertImport, replaceNode, setMigrationAttribute } from './edits';
import type { Edit, Fix } from './types';

const POSTGRES_OPERATIONS = 'django.contrib.postgres.operations';

const INDEX_OPERATIONS = new Set(['AddIndex', 'RemoveIndex', 'AddIndexConcurrently', 'RemoveIndexConcurrently']);

/** Index statements, and session settings (`SET lock_timeout`), which keep their meaning without a transaction. */
function isIndexStatement(action: SqlAction): boolean {
  return action.kind === 'create-index' || action.kind === 'drop-index' || action.kind === 'reindex' || (action.kind === 'set' && action.scope === 'session');
}

/**
 * The database operations of the migration other than index operations: what `atomic = False` would leave
 * without a transaction (a failure half-way then leaves them applied, which MG109's advice warns against).
 */
export function nonIndexOperations(migration: Migration, source: string): Operation[] {
  return forwardOperations(migration).filter((op) => {
    if (INDEX_OPERATIONS.has(op.kind)) return false;
    if (op.kind !== 'RunSQL') return true;
    const statements = knownStatements(runSql(op, source).sql);
    return !statements || !statements.every((statement) => isIndexStatement(statement.action));
  });
}

/**
 * Whether turning the transaction off (or keeping it off) for a concurrent index operation changes nothing
 * else: the migration is already non-atomic, or its only database work is index operations.
 */
export function concurrentFixIsSafe(migration: Migration, source: string): boolean {
  return migration.atomic === false || nonIndexOperations(migration, source).length === 0;
}

/**
 * The title and safety of a fix that sets `atomic = False`: when other operations lose their transaction, the
 * title says the whole migration goes non-atomic and the fix is unsafe, saying how many lose it.
 */
export function concurrentFixLabel(title: string, migration: Migration, source: string): Pick<Fix, 'title' | 'applicability' | 'unsafeBecause'> {
  const others = migration.atomic === false ? 0 : nonIndexOperations(migration, source).length;
  if (others === 0) return { title, applicability: 'safe' };
  return {
    title: `${title} and set atomic = False for the whole migration`,
    applicability: 'unsafe',
    unsafeBecause: `${others === 1 ? '1 other operation loses its' : `${others} other operations lose their`} transaction`,
  };
}

/**
 * The help of a blocking index operation: `concurrent` alone when the migration can go non-atomic; otherwise
 * the advice to move the index into a migration of its own, and why.
 */
export function ownMigrationAdvice(ctx: { text: string }, migration: Migration, concurrent: string): string {
  if (concurrentFixIsSafe(migration, ctx.text)) return concurrent;
  return `${concurrent.replace(/\.$/, '')}. Move it into a migration of its own (a new migration after this one, depending on it): \`atomic = False\` here would run this migration's other operations without a transaction.`;
}

/** The `atomic = False` edit, when the migration is atomic. */
export function nonAtomicEdit(text: string, migration: Migration): Edit | undefined {
  return migration.atomic === false ? undefined : setMigrationAttribute(text, migration, 'atomic', 'False');
}

/** `AddIndex` → `AddIndexConcurrently` (or `RemoveIndex` → `RemoveIndexConcurrently`), imported, in a non-atomic migration. */
export function useConcurrently(ctx: { text: string; tree: Tree }, migration: Migration, op: Operation, concurrent: string): Fix {
  const edits: Edit[] = [replaceNode(op.callee, concurrent)];
  const importEdit = insertImport(ctx.text, ctx.tree.rootNode, POSTGRES_OPERATIONS, concurrent);
  if (importEdit) edits.push(importEdit);
  const atomicEdit = nonAtomicEdit(ctx.text, migration);
  if (atomicEdit) edits.push(atomicEdit);
  return { ...concurrentFixLabel(`Use ${concurrent}`, migration, ctx.text), edits };
}

/** What an index operation moved into a migration of its own becomes, and Django's name fragment for it. */
const MOVED: Record<string, { concurrent: string; fragment: (model: string, name: string) => string }> = {
  AddIndex: { concurrent: 'AddIndexConcurrently', fragment: (model, name) => `${model}_${name}` },
  RemoveIndex: { concurrent: 'RemoveIndexConcurrently', fragment: (model, name) => `remove_${model}_${name}` },
};

/** `AddIndex(index=Index(name="x"))` / `RemoveIndex(name="x")`: the index's name, when a literal. */
function indexNameOf(op: Operation): string | undefined {
  const index = argument(op, 'index');
  const node = op.kind === 'AddIndex' ? (index?.type === 'call' ? callArguments(index).keywords.get('name') : undefined) : argument(op, 'name');
  const value = literal(node);
  return value.kind === 'string' ? value.value : undefined;
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
    const previous = lineStartAt(text, start - 1);
    const line = text.slice(previous, start).replace(/\r?\n$|\r$/, '');
    if (!/^\s*#/.test(line)) break;
    comments.unshift(line.trim());
    start = previous;
  }
  return { start, end: op.node.endIndex + tail[0].length, comments };
}

/**
 * The fix for a blocking `AddIndex`/`RemoveIndex` in an atomic migration with other operations: every such
 * operation leaves this migration for a new one after it (`atomic = False`, depending on this one), as
 * `AddIndexConcurrently`/`RemoveIndexConcurrently`; the other operations keep their transaction. Offered only
 * when the workspace shows the migration is its app's only leaf (else the new file would make a second leaf),
 * and when nothing after a moved operation in this migration touches its model (its order would change).
 */
export function moveIndexesToOwnMigration(ctx: { text: string; tree: Tree; project?: ProjectContext }, migration: Migration): Fix | undefined {
  const { text, project } = ctx;
  if (concurrentFixIsSafe(migration, text) || !project?.hasWorkspace || migration.operationsOverLimit) return undefined;
  const graph = project.graph;
  if (!graph.nodes.has(nodeKey(migration.appLabel, migration.name)) || notALeaf(graph, migration)) return undefined;
  const moved = migration.operations.filter((op) => op.kind in MOVED && op.scope === 'both' && !op.parent && !isNewTable(migration, op));
  if (moved.length === 0) return undefined;
  const kept = migration.operations.filter((op) => !moved.includes(op));
  const q = (value: string) => pythonString(value, quoteStyle(migration));
  const edits: Edit[] = [];
  const operations: string[] = [];
  const fragments: string[] = [];
  const imports: ImportName[] = [];
  const copiedImports: string[] = [];
  for (const op of moved) {
    const name = indexNameOf(op);
    const lines = operationLines(text, op);
    if (!op.modelName || !name || !lines || op.callee.startIndex !== op.node.startIndex) return undefined;
    // A later operation on the same model (a RemoveField of the indexed column, a RenameIndex) would then run first.
    if (kept.some((other) => other.index > op.index && (other.modelName === op.modelName || (other.kind === 'RunSQL' && other.node.text.includes(name))))) return undefined;
    const { concurrent, fragment } = MOVED[op.kind];
    const source = dedentedSource(text, op.node.startIndex, op.node.endIndex);
    operations.push([...lines.comments, `${concurrent}${source.slice(op.callee.text.length)}`].join('\n'));
    fragments.push(fragment(op.modelName, name.toLowerCase()));
    imports.push({ module: POSTGRES_OPERATIONS, name: concurrent });
    const args = op.node.childForFieldName('arguments');
    const used = args ? importsUsedBy(ctx.tree.rootNode, args) : { names: [], statements: [] };
    imports.push(...used.names);
    copiedImports.push(...used.statements);
    edits.push({ start: lines.start, end: lines.end, text: '' });
  }
  const number = String(nextNumber(graph, migration.appLabel, migration.name)).padStart(4, '0');
  const name = `${number}_${suggestName(fragments)}`;
  const eol = detectEol(text);
  const file = migrationFileText({
    app: migration.appLabel,
    dependency: migration.name,
    comment: `# Moved out of ${migration.name} by Migration Guard: a concurrent index build cannot run in a transaction,${eol}# and ${migration.name}'s other operations keep theirs.`,
    imports,
    copiedImports,
    nonAtomic: true,
    operations,
  }, q, eol);
  const what = moved.length === 1 ? 'the index operation' : `the ${moved.length} index operations`;
  return {
    title: `Move ${what} into a migration of its own (${name})`,
    applicability: 'unsafe',
    unsafeBecause: `it adds ${name}.py after this migration; a failed concurrent build there leaves an INVALID index to drop`,
    edits,
    newFiles: [{ path: join(dirname(migration.path), `${name}.py`), text: file }],
  };
}

/**
 * The fixes of a blocking index operation, the better first: moving the index operations into a migration of
 * their own when this one has other operations (and that is possible), then the concurrent operation here.
 */
export function concurrentFixes(ctx: { text: string; tree: Tree; project?: ProjectContext }, migration: Migration, op: Operation, concurrent: string): Fix[] {
  const move = moveIndexesToOwnMigration(ctx, migration);
  return [...(move ? [move] : []), useConcurrently(ctx, migration, op, concurrent)];
}
