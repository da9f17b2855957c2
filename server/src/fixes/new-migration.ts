// A new migration file written as `makemigrations` would: its number after the app's last migration, its name from
// its operations' fragments (Django's `suggest_name`), its imports, the file's own quotes and line endings. Shared
// by the fixes that move operations into a migration of their own (MG101/MG102) and rewrite/ (issue 15's routes).
import { readdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { nodeKey, type MigrationGraph } from '../analysis/graph';
import type { Migration } from '../analysis/migration';
import type { Node } from '../base/parser';
import { lineStartAt } from '../base/text';

/** A name an operation needs in scope: `from module import name`. */
export interface ImportName {
  module: string;
  name: string;
}

export const DJANGO_DB: ImportName = { module: 'django.db', name: 'migrations' };

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

/** Indents every line but the first. */
export function indentLines(source: string, indent: string): string {
  return source.split('\n').join(`\n${indent}`);
}

/** `text[start, end)` with the indentation of its first line taken off the others (`\n` line breaks). */
export function dedentedSource(text: string, start: number, end: number): string {
  const column = start - lineStartAt(text, start);
  const lines = text.slice(start, end).split(/\r\n|\r|\n/);
  return lines.map((line, i) => (i === 0 ? line : line.replace(new RegExp(`^[ \\t]{0,${column}}`), ''))).join('\n');
}

/**
 * The variable names `node` reads: identifiers, and the first name of each `a.b.c` (the attributes are not
 * variables), not the names of keyword arguments (`model_name=` names a parameter).
 */
export function namesRead(node: Node): Set<string> {
  const used = new Set<string>();
  const visit = (current: Node) => {
    if (current.type === 'identifier') used.add(current.text);
    if (current.type === 'attribute') {
      const object = current.childForFieldName('object');
      if (object) visit(object);
      return;
    }
    const keyword = current.type === 'keyword_argument' ? current.childForFieldName('name') : null;
    for (const child of current.namedChildren) if (child && !(keyword && child.startIndex === keyword.startIndex)) visit(child);
  };
  visit(node);
  return used;
}

/**
 * What the current migration imports that `node` uses: an operation copied into another migration keeps what
 * it refers to (`models`, `django.utils.timezone`, a custom field's module). `from m import a` names come back as
 * names (merged with the new file's own imports); any other import statement that binds a used name, as written.
 */
export function importsUsedBy(root: Node, node: Node): { names: ImportName[]; statements: string[] } {
  const used = namesRead(node);
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

/**
 * Why the app's next free number is not known from the workspace, so a new migration file cannot be numbered: a
 * migration of the app that a dependency names is missing (MG502), or a numbered file of its migrations folder is
 * not in the graph (it does not parse, or holds no `Migration` class). Either may hold the number the file would take.
 */
export function numberingUnknown(graph: MigrationGraph, migration: Migration): string | undefined {
  const app = migration.appLabel;
  const missing = graph.unresolved.find((item) => item.reason === 'missing' && item.dependency.app === app);
  if (missing) return `\`${app}.${missing.dependency.name}\`, which a migration depends on, is not in the workspace: the next free number of \`${app}\` is not known`;
  const known = new Set([...(graph.apps.get(app) ?? []), migration.name]);
  let names: string[];
  try {
    names = readdirSync(dirname(migration.path));
  } catch {
    return `the migrations folder of \`${app}\` cannot be read: the next free number is not known`;
  }
  const stray = names.map((name) => /^(\d+_\w*)\.py$/.exec(name)?.[1]).find((name) => name !== undefined && !known.has(name));
  if (stray) return `\`${stray}.py\` in the migrations folder of \`${app}\` is not a migration the workspace could read (it does not parse, or has no \`Migration\` class): its number may be the one a new file would take`;
  return undefined;
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

export interface NewMigrationSource {
  app: string;
  /** The migration it depends on (of the same app). */
  dependency: string;
  /** Comment lines at the top, `#` included. */
  comment: string;
  /** What the operations need besides `from django.db import migrations`. */
  imports: ImportName[];
  /** Import statements copied as written (for operations copied from another file). */
  copiedImports?: string[];
  /** Module-level code before the class (the functions a `RunPython` calls). */
  definitions?: string[];
  /** `atomic = False` (the operations run CONCURRENTLY, or commit in batches). */
  nonAtomic?: boolean;
  /** Python source of each operation (lines after the first indented relative to it). */
  operations: string[];
}

/** The text of a new migration, as `makemigrations` lays it out; `q` writes a string literal, `eol` ends lines. */
export function migrationFileText(source: NewMigrationSource, q: (value: string) => string, eol: string): string {
  const imports = new Map<string, Set<string>>();
  for (const { module, name } of [DJANGO_DB, ...source.imports]) {
    const names = imports.get(module) ?? new Set<string>();
    names.add(name);
    imports.set(module, names);
  }
  const importLines = [...imports].sort(([a], [b]) => a.localeCompare(b))
    .map(([module, names]) => `from ${module} import ${[...names].sort().join(', ')}`);
  for (const copied of source.copiedImports ?? []) if (!importLines.includes(copied)) importLines.push(copied);
  const definitions = (source.definitions ?? []).flatMap((definition) => [...definition.split('\n'), '', '']);
  const body = [
    source.comment,
    ...importLines,
    '',
    '',
    ...definitions,
    'class Migration(migrations.Migration):',
    ...(source.nonAtomic ? ['', '    atomic = False'] : []),
    '',
    '    dependencies = [',
    `        (${q(source.app)}, ${q(source.dependency)}),`,
    '    ]',
    '',
    '    operations = [',
    ...source.operations.map((op) => `        ${indentLines(op, '        ')},`),
    '    ]',
    '',
  ];
  return body.join('\n').split('\n').join(eol);
}
