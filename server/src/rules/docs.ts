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

/** The app's first migration, for docs examples that change `Order.note` (nullable there). */
export const ORDER_NOTE_HISTORY = initialMigration([
  'migrations.CreateModel(',
  '    name="Order",',
  '    fields=[',
  '        ("id", models.BigAutoField(primary_key=True, serialize=False)),',
  '        ("note", models.TextField(null=True)),',
  '    ],',
  '),',
]);

/** The secure settings every MG7xx docs example carries, so only the rule's own line differs. */
export const SECURE_PRODUCTION = [
  'import os',
  '',
  'from .base import *  # noqa: F403',
  '',
  'DEBUG = False',
  'SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]',
  'ALLOWED_HOSTS = ["shop.example.com"]',
  'SESSION_COOKIE_SECURE = True',
  'CSRF_COOKIE_SECURE = True',
  'SECURE_SSL_REDIRECT = True',
  'SECURE_HSTS_SECONDS = 3600',
];

/** `config/settings/base.py`, indexed before the docs examples (`docs.history`). */
export const BASE_SETTINGS = [
  '# config/settings/base.py',
  'DEBUG = True',
  'SECRET_KEY = "django-insecure-local-development-only"',
  'INSTALLED_APPS = ["django.contrib.auth", "django.contrib.contenttypes", "django.contrib.sessions", "shop"]',
  'MIDDLEWARE = [',
  '    "django.middleware.security.SecurityMiddleware",',
  '    "django.contrib.sessions.middleware.SessionMiddleware",',
  '    "django.middleware.csrf.CsrfViewMiddleware",',
  ']',
  '',
].join('\n');

/** A production settings module for the docs: the secure lines with some replaced (`{ DEBUG: 'DEBUG = True' }`). */
export function productionExample(replace: Record<string, string | null> = {}): string {
  const lines = SECURE_PRODUCTION.flatMap((line) => {
    const name = /^([A-Z_]+) =/.exec(line)?.[1];
    if (!name || !(name in replace)) return [line];
    const replacement = replace[name];
    return replacement === null ? [] : [replacement];
  });
  return ['# config/settings/production.py', ...lines, ''].join('\n');
}
