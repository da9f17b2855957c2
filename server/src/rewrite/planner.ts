// "Rewrite as safe steps": the shared planner. A rewrite (one file per rule, see rewrite/index.ts) says what the
// current migration becomes and which follow-up migrations come after it; the planner finds the operation, checks
// that the rewrite may be offered (a leaf of its app, the facts known), names and numbers the new files as
// `makemigrations` would, renders them in the file's own quotes and line endings, and returns plain edits and
// new files. Knows nothing of LSP or the terminal.
import { existsSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { nodeKey, type MigrationGraph } from '../analysis/graph';
import { BLOCKS, CLAIMS, type Claim, type ClaimId } from '../analysis/claims';
import type { Migration, Operation } from '../analysis/migration';
import type { OperationState, ProjectState } from '../analysis/state';
import type { Config } from '../config/defaults';
import type { Node } from '../base/parser';
import { detectEol, indentationAt, lineStartAt } from '../base/text';
import { insertImport, normalizeEdits, setMigrationAttribute } from '../fixes/edits';
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
  /** The model and field just before `op`, from the replayed history. */
  before: OperationState;
  stateBefore: ProjectState;
  /** A Python string literal in the file's quote style (SQL keeps its double-quoted identifiers unescaped). */
  str(value: string): string;
}

/** A name an operation needs in scope: `from module import name`. */
export interface ImportName {
  module: string;
  name: string;
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
export const DJANGO_DB: ImportName = { module: 'django.db', name: 'migrations' };
export const DJANGO_MODELS: ImportName = { module: 'django.db', name: 'models' };
export const POSTGRES_OPERATIONS = 'django.contrib.postgres.operations';

/** `'x'` or `"x"`: the first string of the migration's dependencies decides (Django's writer uses single quotes). */
export function quoteStyle(migration: Migration): string {
  const first = migration.dependencies[0]?.node.text ?? '';
  return /^\(\s*'/.test(first) || (!first.includes('"') && first.includes("'")) ? "'" : '"';
}

/** A Python string literal: the preferred quote unless the value holds it and not the other one. */
export function pythonString(value: string, preferred: string): string {
  const quote = value.includes(preferred) && !value.includes(preferred === '"' ? "'" : '"') ? (preferred === '"' ? "'" : '"') : preferred;
  const escaped = value.replace(/\\/g, '\\\\').replace(/\n/g, '\\n').split(quote).join(`\\${quote}`);
  return `${quote}${escaped}${quote}`;
}

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

/** A list of operation sources, one per line, each followed by a comma. */
export function list(items: string[]): string {
  return `[\n${items.map((item) => `    ${indentLines(item, '    ')},`).join('\n')}\n]`;
}

/** Indents every line but the first. */
export function indentLines(source: string, indent: string): string {
  return source.split('\n').join(`\n${indent}`);
}

/** The source of a node with the indentation of its first line taken off the others (`\n` line breaks). */
export function nodeSource(text: string, node: Node): string {
  return dedentedSource(text, node.startIndex, node.endIndex);
}

/** `text[start, end)` with the indentation of its first line taken off the others (`\n` line breaks). */
export function dedentedSource(text: string, start: number, end: number): string {
  const column = start - lineStartAt(text, start);
  const lines = text.slice(start, end).split(/\r\n|\r|\n/);
  return lines.map((line, i) => (i === 0 ? line : line.replace(new RegExp(`^[ \\t]{0,${column}}`), ''))).join('\n');
}

/**
 * What the current migration imports that `node` uses: an operation copied into a follow-up migration keeps what
 * it refers to (`models`, `django.utils.timezone`, a custom field's module). `from m import a` names come back as
 * names (merged with the step's own imports); any other import statement that binds a used name, as written.
 */
export function importsUsedBy(root: Node, node: Node): { names: ImportName[]; statements: string[] } {
  const used = new Set<string>();
  const visit = (current: Node) => {
    if (current.type === 'identifier') used.add(current.text);
    if (current.type === 'attribute') {
      const object = current.childForFieldName('object');
      if (object) visit(object);
      return;
    }
    for (const child of current.namedChildren) if (child) visit(child);
  };
  visit(node);
  const names: ImportName[] = [];
  const statements: string[] = [];
  for (const statement of root.namedChildren) {
    if (!statement || (statement.type !== 'import_statement' && statement.type !== 'import_from_statement')) continue;
    const module = statement.childForFieldName('module_name');
    const bound = statement.childrenForFieldName('name').filter((child): child is Node => !!child);
    const plain = statement.type === 'import_from_statement' && module && !module.text.startsWith('.') && bound.every((child) => child.type === 'dotted_name');
    for (const child of bound) {
      const local = child.type === 'aliased_import' ? child.childForFieldName('alias')?.text : child.text.split('.')[0];
      if (!local || !used.has(local)) continue;
      if (plain) names.push({ module: module.text, name: child.text });
      else if (!statements.includes(statement.text)) statements.push(statement.text);
    }
  }
  return { names, statements };
}

/** The local name of `django.db.migrations` in the file (`migrations`), or undefined when it is not imported. */
export function migrationsName(migration: Migration): string | undefined {
  for (const [local, qualified] of migration.imports) if (qualified === MIGRATIONS) return local;
  return undefined;
}

/** Django's `Migration.suggest_name`: fragments joined by `_`, `_and_more` once longer than 52 characters. */
export function suggestName(fragments: string[]): string {
  const cleaned = fragments.map((fragment) => fragment.replace(/\W+/g, '_'));
  let name = cleaned[0] ?? 'auto';
  for (const fragment of cleaned.slice(1)) {
    const longer = `${name}_${fragment}`;
    if (longer.length > 52) return `${name}_and_more`;
    name = longer;
  }
  return name;
}

/** The number after the app's highest, as `makemigrations` counts (`0007` → `0008`). */
export function nextNumber(graph: MigrationGraph, app: string, current: string): number {
  let highest = 0;
  for (const name of [...(graph.apps.get(app) ?? []), current]) {
    const match = /^(\d+)_/.exec(name);
    if (match) highest = Math.max(highest, Number(match[1]));
  }
  return highest + 1;
}

/** Why the migration cannot take follow-ups: it is not the only leaf of its app. */
export function notALeaf(graph: MigrationGraph, migration: Migration): string | undefined {
  const key = nodeKey(migration.appLabel, migration.name);
  const leaves = graph.leaves(migration.appLabel);
  if (leaves.includes(key) && leaves.length === 1) return undefined;
  const later = [...(graph.children.get(key) ?? [])].filter((child) => child.startsWith(`${migration.appLabel}.`));
  if (later.length > 0) {
    const names = later.map((child) => child.slice(migration.appLabel.length + 1));
    return `\`${migration.name}\` is not the latest migration of \`${migration.appLabel}\` (\`${names.join('`, `')}\` come${names.length === 1 ? 's' : ''} after it): the follow-up migrations would make a second leaf. Rewrite the latest migration, or merge first.`;
  }
  if (!leaves.includes(key)) return `\`${migration.name}\` is not a leaf of \`${migration.appLabel}\`'s migration graph: the follow-up migrations would make a second leaf.`;
  return `\`${migration.appLabel}\` has ${leaves.length} leaf migrations: merge them (\`makemigrations --merge\`) before rewriting.`;
}

function header(step: Step, index: number, total: number, code: string, eol: string): string {
  const lines = [`Migration Guard (${code}), step ${index} of ${total}.`, ...step.notes];
  return lines.map((line) => `# ${line}`).join(eol);
}

/** The text of a follow-up migration, as `makemigrations` lays it out. */
function migrationFile(step: Step, app: string, dependency: string, q: (value: string) => string, eol: string, comment: string): string {
  const imports = new Map<string, Set<string>>();
  for (const { module, name } of [DJANGO_DB, ...step.imports]) {
    const names = imports.get(module) ?? new Set<string>();
    names.add(name);
    imports.set(module, names);
  }
  const importLines = [...imports].sort(([a], [b]) => a.localeCompare(b))
    .map(([module, names]) => `from ${module} import ${[...names].sort().join(', ')}`);
  for (const copied of step.copiedImports ?? []) if (!importLines.includes(copied)) importLines.push(copied);
  const definitions = (step.definitions ?? []).flatMap((definition) => [...definition.split('\n'), '', '']);
  const body = [
    comment,
    ...importLines,
    '',
    '',
    ...definitions,
    'class Migration(migrations.Migration):',
    ...(step.nonAtomic ? ['', '    atomic = False'] : []),
    '',
    '    dependencies = [',
    `        (${q(app)}, ${q(dependency)}),`,
    '    ]',
    '',
    '    operations = [',
    ...step.operations.map((op) => `        ${indentLines(op.source, '        ')},`),
    '    ]',
    '',
  ];
  return body.join('\n').split('\n').join(eol);
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
    // `atomic = False` for the whole migration: only when the operation is its only one, or the others would run
    // without a transaction too (MG109's warning).
    const others = migration.operations.filter((other) => !other.parent && other !== op);
    if (others.length > 0) return { reason: 'the first step runs CONCURRENTLY, outside a transaction, and the migration has other operations that `atomic = False` would take out of theirs: move the operation into a migration of its own first' };
    const atomic = setMigrationAttribute(text, migration, 'atomic', 'False');
    if (!atomic) return { reason: 'the first step must run outside a transaction, and `atomic = False` cannot be set in the migration' };
    edits.push(atomic);
  }
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

/** `0002_x.py` → `0002_x`. */
export function migrationNameOf(path: string): string {
  return basename(path).replace(/\.py$/, '');
}
