// Deterministic generator of realistic Django migrations (valid Python) and of a whole project of them.
// Same seed → same bytes, so figures from different machines compare.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** mulberry32: a tiny seeded PRNG. */
export class Random {
  private state: number;

  constructor(seed: number) {
    this.state = seed >>> 0;
  }

  next(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }

  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  chance(probability: number): boolean {
    return this.next() < probability;
  }
}

const APPS = [
  'accounts', 'billing', 'catalog', 'checkout', 'crm', 'inventory', 'invoicing', 'marketing', 'notifications',
  'orders', 'payments', 'reports', 'shipping', 'support', 'warehouse', 'analytics', 'loyalty', 'reviews',
];
const NOUNS = [
  'order', 'customer', 'invoice', 'product', 'shipment', 'address', 'payment', 'refund', 'coupon', 'campaign',
  'ticket', 'message', 'supplier', 'warehouse', 'stock', 'price', 'discount', 'subscription', 'plan', 'event',
  'report', 'batch', 'carrier', 'parcel', 'review', 'rating', 'category', 'tag', 'voucher', 'ledger',
];
const FIELD_WORDS = [
  'status', 'reference', 'note', 'amount', 'currency', 'quantity', 'created_at', 'updated_at', 'due_date', 'email',
  'phone', 'code', 'title', 'description', 'is_active', 'priority', 'external_id', 'country', 'city', 'zip_code',
  'weight', 'tracking_number', 'score', 'comment', 'source', 'channel', 'version', 'checksum', 'locale', 'slug',
];

function className(noun: string): string {
  return noun.split('_').map((part) => part[0].toUpperCase() + part.slice(1)).join('');
}

function quote(text: string): string {
  return `"${text}"`;
}

/** A field definition `models.X(...)` (one line). */
function fieldCall(rng: Random, app: string, opts: { allowNotNull: boolean }): string {
  const kind = rng.int(0, 9);
  const nullable = !opts.allowNotNull || rng.chance(0.6);
  const nullArg = nullable ? ', null=True' : '';
  switch (kind) {
    case 0: return `models.CharField(max_length=${rng.pick([32, 64, 100, 255])}${nullable ? ', blank=True, null=True' : ', default=""'})`;
    case 1: return `models.IntegerField(${nullable ? 'null=True' : `default=${rng.int(0, 10)}`})`;
    case 2: return `models.DecimalField(decimal_places=2, max_digits=${rng.pick([10, 12, 14])}${nullable ? ', null=True' : ', default=0'})`;
    case 3: return `models.DateTimeField(${nullable ? 'blank=True, null=True' : 'auto_now_add=True'})`;
    case 4: return `models.BooleanField(default=${rng.chance(0.5) ? 'True' : 'False'})`;
    case 5: return `models.TextField(blank=True${nullArg})`;
    case 6: return `models.ForeignKey(null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to="${app}.${rng.pick(NOUNS)}")`;
    case 7: return `models.CharField(db_index=True, max_length=64${nullArg})`;
    case 8: return `models.JSONField(blank=True, default=dict)`;
    default: return `models.PositiveSmallIntegerField(choices=[(1, "Low"), (2, "Normal"), (3, "High")], default=2)`;
  }
}

interface Body {
  /** Module-level helper functions (RunPython code). */
  functions: string[];
  operations: string[];
  /** Lines so far, counted as they will be written. */
  lines: number;
  functionCount: number;
}

const I1 = '        ';
const I2 = '            ';
const I3 = '                ';

function push(body: Body, text: string): void {
  body.operations.push(text);
  body.lines += text.split('\n').length;
}

function addCreateModel(rng: Random, app: string, body: Body): void {
  const model = className(rng.pick(NOUNS)) + (rng.chance(0.5) ? className(rng.pick(['item', 'entry', 'line', 'log', 'link'])) : '');
  const fields = [`${I3}("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),`];
  const count = rng.int(3, 12);
  for (let i = 0; i < count; i++) fields.push(`${I3}(${quote(`${rng.pick(FIELD_WORDS)}_${i}`)}, ${fieldCall(rng, app, { allowNotNull: true })}),`);
  const options = rng.chance(0.5)
    ? `${I2}options={\n${I3}"ordering": ["-id"],\n${I3}"verbose_name": ${quote(model.toLowerCase())},\n${I2}},\n`
    : '';
  push(body, `${I1}migrations.CreateModel(\n${I2}name=${quote(model)},\n${I2}fields=[\n${fields.join('\n')}\n${I2}],\n${options}${I1}),`);
}

function addField(rng: Random, app: string, body: Body, operation: 'AddField' | 'AlterField'): void {
  push(body, `${I1}migrations.${operation}(\n${I2}model_name=${quote(rng.pick(NOUNS))},\n${I2}name=${quote(rng.pick(FIELD_WORDS))},\n${I2}field=${fieldCall(rng, app, { allowNotNull: operation === 'AlterField' || rng.chance(0.3) })},\n${I1}),`);
}

function addSmallOperation(rng: Random, body: Body): void {
  const model = quote(rng.pick(NOUNS));
  switch (rng.int(0, 5)) {
    case 0:
      push(body, `${I1}migrations.RemoveField(\n${I2}model_name=${model},\n${I2}name=${quote(rng.pick(FIELD_WORDS))},\n${I1}),`);
      break;
    case 1:
      push(body, `${I1}migrations.RenameField(\n${I2}model_name=${model},\n${I2}old_name=${quote(rng.pick(FIELD_WORDS))},\n${I2}new_name=${quote(rng.pick(FIELD_WORDS) + '_new')},\n${I1}),`);
      break;
    case 2:
      push(body, `${I1}migrations.AlterModelOptions(\n${I2}name=${model},\n${I2}options={"ordering": ["-created_at"], "verbose_name_plural": ${quote(rng.pick(NOUNS) + 's')}},\n${I1}),`);
      break;
    case 3:
      push(body, `${I1}migrations.AlterUniqueTogether(\n${I2}name=${model},\n${I2}unique_together={(${quote(rng.pick(FIELD_WORDS))}, ${quote(rng.pick(FIELD_WORDS))})},\n${I1}),`);
      break;
    case 4:
      push(body, `${I1}migrations.AddConstraint(\n${I2}model_name=${model},\n${I2}constraint=models.UniqueConstraint(fields=("${rng.pick(FIELD_WORDS)}", "${rng.pick(FIELD_WORDS)}"), name="uniq_${rng.int(1000, 9999)}"),\n${I1}),`);
      break;
    default:
      push(body, `${I1}migrations.AddConstraint(\n${I2}model_name=${model},\n${I2}constraint=models.CheckConstraint(check=models.Q(("amount__gte", 0)), name="amount_positive_${rng.int(1000, 9999)}"),\n${I1}),`);
  }
}

function addIndex(rng: Random, body: Body): void {
  const field = rng.pick(FIELD_WORDS);
  const noun = rng.pick(NOUNS);
  push(body, `${I1}migrations.AddIndex(\n${I2}model_name=${quote(noun)},\n${I2}index=models.Index(fields=["${field}"], name="${noun}_${field}_${rng.int(100, 999)}_idx"),\n${I1}),`);
}

function addRunPython(rng: Random, app: string, body: Body): void {
  const noun = rng.pick(NOUNS);
  const model = className(noun);
  const n = body.functionCount++;
  const forward = `forwards_${n}`;
  const backward = `backwards_${n}`;
  const field = rng.pick(FIELD_WORDS);
  body.functions.push([
    `def ${forward}(apps, schema_editor):`,
    `    ${model} = apps.get_model(${quote(app)}, ${quote(model)})`,
    `    batch = []`,
    `    for row in ${model}.objects.filter(${field}__isnull=True).only("pk").iterator(chunk_size=1000):`,
    `        row.${field} = ${rng.chance(0.5) ? '""' : '0'}`,
    `        batch.append(row)`,
    `        if len(batch) >= 1000:`,
    `            ${model}.objects.bulk_update(batch, [${quote(field)}])`,
    `            batch = []`,
    `    if batch:`,
    `        ${model}.objects.bulk_update(batch, [${quote(field)}])`,
    ``,
    ``,
    `def ${backward}(apps, schema_editor):`,
    `    pass`,
  ].join('\n'));
  body.lines += 17;
  const reverse = rng.chance(0.8) ? `, reverse_code=${backward}` : '';
  const atomic = rng.chance(0.2) ? ', atomic=False' : '';
  push(body, `${I1}migrations.RunPython(${forward}${reverse}${atomic}),`);
}

function addRunSql(rng: Random, body: Body): void {
  const noun = rng.pick(NOUNS);
  const field = rng.pick(FIELD_WORDS);
  const table = `${noun}_${noun}`;
  const reverse = rng.chance(0.75) ? `\n${I2}reverse_sql="DROP INDEX IF EXISTS ${table}_${field}_trgm;",` : '';
  push(body, `${I1}migrations.RunSQL(\n${I2}sql="""\n${I3}CREATE INDEX IF NOT EXISTS ${table}_${field}_trgm\n${I3}ON ${table} USING gin (${field} gin_trgm_ops);\n${I2}""",${reverse}\n${I1}),`);
}

export interface MigrationSpec {
  app: string;
  /** 1-based; `0001` is the initial migration. */
  number: number;
  /** Approximate number of lines to produce (the result is within a few lines of it). */
  lines: number;
  dependencies: [string, string][];
  swappable?: boolean;
  seed: number;
}

export function migrationName(number: number, rng: Random): string {
  const prefix = String(number).padStart(4, '0');
  return number === 1 ? `${prefix}_initial` : `${prefix}_${rng.pick(NOUNS)}_${rng.pick(FIELD_WORDS)}`;
}

/** One migration file's text. */
export function generateMigration(spec: MigrationSpec): string {
  const rng = new Random(spec.seed);
  const body: Body = { functions: [], operations: [], lines: 0, functionCount: 0 };
  const header = 16 + spec.dependencies.length; // imports, class, dependencies, operations brackets
  const target = Math.max(spec.lines - header, 5);
  if (spec.number === 1) addCreateModel(rng, spec.app, body);
  while (body.lines < target) {
    const roll = rng.next();
    if (roll < 0.18) addCreateModel(rng, spec.app, body);
    else if (roll < 0.45) addField(rng, spec.app, body, 'AddField');
    else if (roll < 0.6) addField(rng, spec.app, body, 'AlterField');
    else if (roll < 0.7) addIndex(rng, body);
    else if (roll < 0.78) addRunPython(rng, spec.app, body);
    else if (roll < 0.85) addRunSql(rng, body);
    else addSmallOperation(rng, body);
  }
  const deps = spec.dependencies.map(([app, name]) => `        (${quote(app)}, ${quote(name)}),`);
  if (spec.swappable) deps.unshift('        migrations.swappable_dependency(settings.AUTH_USER_MODEL),');
  const out = [
    `# Generated by Django 4.2.${spec.seed % 16} on 2024-0${1 + (spec.seed % 9)}-1${spec.seed % 10} 12:00`,
    '',
    ...(spec.swappable ? ['from django.conf import settings'] : []),
    'from django.db import migrations, models',
    'import django.db.models.deletion',
    '',
    '',
  ];
  if (body.functions.length) out.push(body.functions.join('\n\n\n'), '', '');
  out.push(
    'class Migration(migrations.Migration):',
    ...(spec.number === 1 ? ['    initial = True', ''] : []),
    '    dependencies = [',
    ...deps,
    '    ]',
    '',
    '    operations = [',
    ...body.operations,
    '    ]',
    '',
  );
  return out.join('\n');
}

export interface WorkspaceSummary {
  root: string;
  apps: number;
  migrations: number;
  otherFiles: number;
  lines: number;
  bytes: number;
}

/**
 * A Django project: `manage.py`, settings, pyproject.toml and `apps` × `perApp` migrations. Each migration
 * depends on the previous one of its app; about one in six also on a migration of an earlier app.
 */
export function generateWorkspace(root: string, options: { apps?: number; perApp?: number; seed?: number } = {}): WorkspaceSummary {
  const apps = APPS.slice(0, options.apps ?? 15);
  const perApp = options.perApp ?? 100;
  const rng = new Random(options.seed ?? 42);
  const summary: WorkspaceSummary = { root, apps: apps.length, migrations: 0, otherFiles: 0, lines: 0, bytes: 0 };
  const write = (path: string, text: string, migration = false) => {
    writeFileSync(join(root, path), text);
    summary.bytes += Buffer.byteLength(text);
    summary.lines += text.split('\n').length - 1;
    if (migration) summary.migrations++;
    else summary.otherFiles++;
  };
  mkdirSync(join(root, 'project'), { recursive: true });
  write('manage.py', '#!/usr/bin/env python\nimport os\nimport sys\n\nif __name__ == "__main__":\n    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")\n    from django.core.management import execute_from_command_line\n\n    execute_from_command_line(sys.argv)\n');
  write('pyproject.toml', '[project]\nname = "shop"\ndependencies = ["Django==4.2.11"]\n\n[tool.migration-guard]\ndatabase = "postgresql"\npostgres-version = 15\n');
  write('project/__init__.py', '');
  write('project/settings.py', [
    'SECRET_KEY = "not-secret"',
    'DEBUG = False',
    `INSTALLED_APPS = [${apps.map((app) => `"${app}"`).join(', ')}]`,
    'DATABASES = {',
    '    "default": {',
    '        "ENGINE": "django.db.backends.postgresql",',
    '        "NAME": "shop",',
    '        "OPTIONS": {"options": "-c statement_timeout=30000 -c lock_timeout=4000"},',
    '    }',
    '}',
    '',
  ].join('\n'));
  const names: string[][] = [];
  apps.forEach((app, appIndex) => {
    mkdirSync(join(root, app, 'migrations'), { recursive: true });
    write(`${app}/__init__.py`, '');
    write(`${app}/models.py`, 'from django.db import models\n');
    write(`${app}/migrations/__init__.py`, '');
    const appNames: string[] = [];
    names.push(appNames);
    for (let number = 1; number <= perApp; number++) {
      const name = migrationName(number, rng);
      const dependencies: [string, string][] = number > 1 ? [[app, appNames[number - 2]]] : [];
      if (appIndex > 0 && rng.chance(number === 1 ? 1 : 0.17)) {
        const other = rng.int(0, appIndex - 1);
        dependencies.push([apps[other], names[other][Math.min(number, perApp) - 1]]);
      }
      // Sizes as in real projects: most migrations are short, initial ones and a few data migrations long.
      const lines = number === 1 ? rng.int(120, 320) : rng.chance(0.08) ? rng.int(120, 400) : rng.int(22, 70);
      appNames.push(name);
      write(`${app}/migrations/${name}.py`, generateMigration({ app, number, lines, dependencies, swappable: number === 1 && rng.chance(0.3), seed: rng.int(1, 2 ** 31) }), true);
    }
  });
  return summary;
}
