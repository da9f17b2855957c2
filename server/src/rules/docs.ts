// Builds the migration files shown in rule docs (`example`, `useInstead`), so each rule states only what
// differs: its imports, class attributes, module-level code and operations.

export interface ExampleMigration {
  /** Import lines; default `from django.db import migrations, models`. */
  imports?: string[];
  /** Module-level code between imports and the class (functions for RunPython). */
  prelude?: string[];
  /** Class attributes before `dependencies`, e.g. `atomic = False`. */
  attributes?: string[];
  dependency?: [string, string];
  /** Operation lines, written at the operations list's indentation (8 spaces are added). */
  operations: string[];
  /** Trailing comment lines after the class. */
  epilogue?: string[];
}

export function exampleMigration(example: ExampleMigration): string {
  const imports = example.imports ?? ['from django.db import migrations, models'];
  const [app, name] = example.dependency ?? ['shop', '0001_initial'];
  const lines = [...imports, '', ''];
  if (example.prelude?.length) lines.push(...example.prelude, '', '');
  lines.push('class Migration(migrations.Migration):');
  if (example.attributes?.length) lines.push(...example.attributes.map((line) => `    ${line}`), '');
  lines.push(`    dependencies = [("${app}", "${name}")]`, '', '    operations = [');
  lines.push(...example.operations.map((line) => (line ? `        ${line}` : '')));
  lines.push('    ]', '');
  if (example.epilogue?.length) lines.push(...example.epilogue, '');
  return lines.join('\n');
}

/** The app's first migration (`shop/migrations/0001_initial.py`), for `docs.history`: operation lines at the list's indentation. */
export function initialMigration(operations: string[]): string {
  return [
    'from django.db import migrations, models',
    '',
    '',
    'class Migration(migrations.Migration):',
    '    initial = True',
    '',
    '    dependencies = []',
    '',
    '    operations = [',
    ...operations.map((line) => `        ${line}`),
    '    ]',
    '',
  ].join('\n');
}

/** The most common history: a `shop.Order` table with only its primary key. */
export const CREATE_ORDER = initialMigration(['migrations.CreateModel(name="Order", fields=[("id", models.BigAutoField(primary_key=True))]),']);

/**
 * A safe route that spans migrations is written as its files one after another in one `useInstead` string: each
 * file after the first starts with a line naming its path (`# shop/migrations/0003_validate.py`). Rendered, it
 * reads as the files in order; the docs test lints each on top of the ones before it (all must be clean).
 */
const STEP_PATH = /^# [\w/]+\/migrations\/\w+\.py$/;

export function docsFiles(text: string): string[] {
  const files: string[][] = [];
  text.split('\n').forEach((line, index) => {
    if (index === 0 || STEP_PATH.test(line)) files.push([]);
    files[files.length - 1].push(line);
  });
  return files.map((lines) => lines.join('\n'));
}
