// "Rewrite as safe steps": the shared planner. A rewrite (one file per rule, see rewrite/index.ts) says what the
// current migration becomes and which follow-up migrations come after it; the planner finds the operation, checks
// that the rewrite may be offered (a leaf of its app, the facts known), names and numbers the new files as
// `makemigrations` would, renders them in the file's own quotes and line endings, and returns plain edits and
// new files. Knows nothing of LSP or the terminal.
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { MigrationGraph } from '../analysis/graph';
import { BLOCKS, CLAIMS, type Claim, type ClaimId } from '../analysis/claims';
import type { Migration, Operation } from '../analysis/migration';
import type { FieldInfo, StateOperation } from '../analysis/summary';
import type { OperationState, ProjectState } from '../analysis/state';
import type { Config } from '../config/defaults';
import type { Node } from '../base/parser';
import { detectEol, indentationAt, lineStartAt } from '../base/text';
import { nonIndexOperations, POSTGRES_OPERATIONS } from '../fixes/concurrently';
import { insertImport, normalizeEdits, setMigrationAttribute } from '../fixes/edits';
import {
  dedentedSource, DJANGO_DB, importsUsedBy, indentLines, migrationFileText, nextNumber, notALeaf, numberingUnknown, pythonString, quoteStyle,
  suggestName, type ImportName,
} from '../fixes/new-migration';
import { applyEdits } from '../fixes/apply';
import type { Edit } from '../fixes/types';
import type { FileEdit } from './model-file';

/** What a rewrite knows: the migration, the operation of the finding, the state replayed up to it. */
export interface RewriteContext {
  path: string;
  text: string;
  root: Node;
  config: Config;
  migration: Migration;
  op: Operation;
  /** What the workspace's summary of the migration records of `op` (`unique_together` sets, …). */
  summary?: StateOperation;
  /** The model and field just before `op`, from the replayed history. */
  before: OperationState;
  stateBefore: ProjectState;
  /** A Python string literal in the file's quote style (SQL keeps its double-quoted identifiers unescaped). */
  str(value: string): string;
  /** Another file of the project as the caller has it (the editor: an open document's text, not the disk's). */
  readFile(path: string): string | undefined;
}

/** One operation of a step: Python source (its own lines indented relative to its first), and its name fragment. */
export interface StepOperation {
  source: string;
  /** What `makemigrations` would call a migration holding it (Django's `migration_name_fragment`). */
  fragment: string;
}

/** A statement the step runs in PostgreSQL, as Django's schema editor writes it, and the claim that describes it. */
export interface DatabaseStatement {
  sql: string;
  claim: ClaimId;
}

/** A statement a `RunPython` runs once per batch of `batch` primary keys, from 0 to the highest. */
export interface BatchStatement extends DatabaseStatement {
  batch: number;
}

// Shared with the fixes that write a new migration (fixes/new-migration.ts, fixes/concurrently.ts); re-exported for
// the rewrites.
export { nonIndexOperations, POSTGRES_OPERATIONS };
export { dedentedSource, DJANGO_DB, importsUsedBy, indentLines, nextNumber, notALeaf, pythonString, quoteStyle, suggestName, type ImportName };

export interface Step {
  operations: StepOperation[];
  /** What the step runs in the database, in order (test/postgres replays it on a populated table). */
  database: DatabaseStatement[];
  imports: ImportName[];
  /** What the step does and when it is deployed: comment lines of the generated code. */
  notes: string[];
  /** Import statements copied from the current migration (for operations copied from it). */
  copiedImports?: string[];
  /** The step runs CONCURRENTLY or commits in batches: its migration gets `atomic = False`. */
  nonAtomic?: boolean;
  /** Module-level code of a follow-up migration, before the class (the functions its `RunPython` calls). */
  definitions?: string[];
  /**
   * What its `RunPython` runs in PostgreSQL, written out (`sqlmigrate` does not print it; test/postgres replays it
   * on a populated table): one statement per batch, `$1` and `$2` the batch's primary keys [start, end).
   */
  python?: BatchStatement[];
}

/** The whole route: what the current migration's operation becomes, then each follow-up migration in order. */
export interface Route {
  title: string;
  current: Step;
  followUps: Step[];
  /** Edits of other files (the app's models.py). */
  otherFiles?: FileEdit[];
}

/** Why a rewrite is not offered, said to the user (the `disabled.reason` of the code action). */
export interface NotOffered {
  reason: string;
}

export interface RewriteRule {
  /** The finding's code this rewrite answers. */
  code: string;
  /** Operation kinds it rewrites. */
  kinds: readonly string[];
  plan(ctx: RewriteContext): Route | NotOffered;
}

export interface NewMigrationFile {
  path: string;
  /** `0003_order_validate_order_note_not_null` */
  name: string;
  text: string;
}

export interface Rewrite {
  code: string;
  title: string;
  /** The route's steps, the current migration's first: what each runs in the database. */
  steps: Step[];
  /** Edits to the current migration (offsets into its text). */
  edits: Edit[];
  /** Follow-up migrations, in dependency order. */
  files: NewMigrationFile[];
  /** Edits of other existing files (the app's models.py). */
  otherFiles: FileEdit[];
}

export function isNotOffered<T extends object>(value: T | NotOffered): value is NotOffered {
  return 'reason' in value;
}

const MIGRATIONS = 'django.db.migrations';
export const DJANGO_MODELS: ImportName = { module: 'django.db', name: 'models' };

/**
 * What a step's SQL does to the table, in the words of the verified claims table: "`ALTER TABLE … VALIDATE
 * CONSTRAINT` reads the whole table; it blocks other schema changes and VACUUM (reads and writes go on)."
 */
export function claimNote(id: ClaimId): string {
  const claim: Claim = CLAIMS[id];
  const mode = claim.locks.table;
  const scan = claim.scans.includes('table') ? 'reads the whole table' : 'does not read the table';
  return mode ? `\`${claim.sql}\` ${scan}; it blocks ${BLOCKS[mode]}.` : `\`${claim.sql}\`.`;
}

/** A PostgreSQL identifier as Django's schema editor quotes it. */
export function sqlName(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** `name(\n    key=value,\n)`: one keyword per line, multi-line values indented under their key. */
export function call(name: string, keywords: [string, string][]): string {
  const lines = keywords.map(([key, value]) => `    ${key}=${indentLines(value, '    ')},`);
  return `${name}(\n${lines.join('\n')}\n)`;
}

/** `migrations.RunSQL(sql=…, reverse_sql=…)` of two Python sources (string literals, or `migrations.RunSQL.noop`). */
export function runSql(sql: string, reverse: string): string {
  return call('migrations.RunSQL', [['sql', sql], ['reverse_sql', reverse]]);
}

/** A list of operation sources, one per line, each followed by a comma. */
export function list(items: string[]): string {
  return `[\n${items.map((item) => `    ${indentLines(item, '    ')},`).join('\n')}\n]`;
}

/** The source of a node with the indentation of its first line taken off the others (`\n` line breaks). */
export function nodeSource(text: string, node: Node): string {
  return dedentedSource(text, node.startIndex, node.endIndex);
}

/** The local name of `django.db.migrations` in the file (`migrations`), or undefined when it is not imported. */
export function migrationsName(migration: Migration): string | undefined {
  for (const [local, qualified] of migration.imports) if (qualified === MIGRATIONS) return local;
  return undefined;
}

function header(step: Step, index: number, total: number, code: string, eol: string): string {
  const lines = [`Migration Guard (${code}), step ${index} of ${total}.`, ...step.notes];
  return lines.map((line) => `# ${line}`).join(eol);
}

/** The text of a follow-up migration, as `makemigrations` lays it out. */
function migrationFile(step: Step, app: string, dependency: string, q: (value: string) => string, eol: string, comment: string): string {
  return migrationFileText({
    app, dependency, comment, imports: step.imports, copiedImports: step.copiedImports, definitions: step.definitions, nonAtomic: step.nonAtomic,
    operations: step.operations.map((op) => op.source),
  }, q, eol);
}

/**
 * Edits of the current migration (the operation replaced by the first step, its imports, `atomic = False` when it
 * must) and the follow-up files, numbered after the app's last migration and depending each on the one before.
 */
export function renderRoute(ctx: RewriteContext, route: Route, code: string, graph: MigrationGraph): Rewrite | NotOffered {
  const { text, migration, op } = ctx;
  const eol = detectEol(text);
  const migrationsLocal = migrationsName(migration);
  if (!migrationsLocal) return { reason: 'the migration does not import `django.db.migrations`, which the rewritten operations use' };
  if (migrationsLocal !== 'migrations') return { reason: `the migration imports \`django.db.migrations\` as \`${migrationsLocal}\`; the rewrite writes \`migrations.\`` };
  const total = route.followUps.length + 1;
  const indent = indentationAt(text, op.node.startIndex);
  const firstLine = op.node.startIndex - lineStartAt(text, op.node.startIndex) === indent.length;
  if (!firstLine) return { reason: 'the operation does not start its own line' };
  const comment = header(route.current, 1, total, code, eol).split(eol).join(`${eol}${indent}`);
  const replacement = route.current.operations.map((step) => indentLines(step.source, indent).split('\n').join(eol)).join(`,${eol}${indent}`);
  // A step 1 without operations moves the operation to the follow-ups: it goes, with its comma, and the comment says where.
  const moved = route.current.operations.length === 0;
  const end = moved ? /^\s*,/.exec(text.slice(op.node.endIndex))?.[0].length ?? 0 : 0;
  const edits: Edit[] = [{ start: op.node.startIndex, end: op.node.endIndex + end, text: moved ? comment : `${comment}${eol}${indent}${replacement}` }];
  const bound = new Set(migration.imports.keys());
  for (const need of route.current.imports) {
    if (bound.has(need.name) && migration.imports.get(need.name) === `${need.module}.${need.name}`) continue;
    if (bound.has(need.name)) return { reason: `\`${need.name}\` already names something else in the migration` };
    const edit = insertImport(text, ctx.root, need.module, need.name);
    if (edit) edits.push(edit);
  }
  if (route.current.nonAtomic && migration.atomic !== false) {
    // `atomic = False` for the whole migration: only when its other operations are index operations, which keep
    // their meaning without a transaction (as for the MG101 fix); others would lose theirs (MG109's warning).
    const others = nonIndexOperations(migration, text).filter((other) => other !== op);
    if (others.length > 0) return { reason: 'the first step runs CONCURRENTLY, outside a transaction, and the migration has other operations that `atomic = False` would take out of theirs: move the operation into a migration of its own first' };
    const atomic = setMigrationAttribute(text, migration, 'atomic', 'False');
    if (!atomic) return { reason: 'the first step must run outside a transaction, and `atomic = False` cannot be set in the migration' };
    edits.push(atomic);
  }
  const numbering = route.followUps.length > 0 ? numberingUnknown(graph, migration) : undefined;
  if (numbering) return { reason: numbering };
  const directory = dirname(migration.path);
  let number = nextNumber(graph, migration.appLabel, migration.name);
  let dependency = migration.name;
  const files: NewMigrationFile[] = [];
  route.followUps.forEach((step, i) => {
    let name: string;
    let path: string;
    do {
      name = `${String(number).padStart(4, '0')}_${suggestName(step.operations.map((op) => op.fragment))}`;
      path = join(directory, `${name}.py`);
      number++;
    } while (existsSync(path));
    const fileComment = header(step, i + 2, total, code, eol);
    files.push({ path, name, text: migrationFile(step, migration.appLabel, dependency, ctx.str, eol, fileComment) });
    dependency = name;
  });
  return { code, title: route.title, steps: [route.current, ...route.followUps], edits: normalizeEdits(edits), files, otherFiles: route.otherFiles ?? [] };
}

/** The innermost node that spans exactly `[start, end)`, or undefined. */
export function nodeSpanning(root: Node, start: number, end: number): Node | undefined {
  for (let node: Node | null = root.descendantForIndex(start, end); node; node = node.parent) {
    if (node.startIndex === start && node.endIndex === end) return node;
    if (node.startIndex < start || node.endIndex > end) return undefined;
  }
  return undefined;
}

/** `text[start, end)` once `edit` (inside it) is applied, dedented. */
export function editedSource(text: string, edit: Edit | Edit[], start: number, end: number): string {
  const edits = Array.isArray(edit) ? edit : [edit];
  const grown = edits.reduce((sum, each) => sum + each.text.length - (each.end - each.start), 0);
  return dedentedSource(applyEdits(text, edits), start, end + grown);
}

/** Two field states the same but for `key` (an `AlterField` that changes only that). */
export function sameFieldExcept(before: FieldInfo, after: FieldInfo, key: keyof FieldInfo): boolean {
  const rest = (info: FieldInfo) => JSON.stringify(Object.entries(info).filter(([name]) => name !== key).sort(([a], [b]) => a.localeCompare(b)));
  return rest(before) === rest(after);
}

/** `0002_x.py` → `0002_x`. */
export function migrationNameOf(path: string): string {
  return basename(path).replace(/\.py$/, '');
}
