// A realistic Django project for the benchmark: apps whose migrations follow a consistent history. Every
// operation names a model and field that exist at that point (CreateModel first, then AddField, AlterField,
// RenameField, AddIndex, RemoveField, constraints, data migrations over time), foreign keys across apps come
// with a dependency on the target app's migration of the moment, a custom user model with
// swappable_dependency, a few squashed migrations (the replaced files kept, as during a squash's
// transition) and a rare run_before. The graph is therefore valid: no conflicting leaves, no missing
// dependency. Same seed → same bytes.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Random } from './generate';

const APP_NAMES = [
  'accounts', 'catalog', 'inventory', 'pricing', 'orders', 'payments', 'shipping', 'invoicing', 'crm', 'support',
  'marketing', 'notifications', 'reviews', 'loyalty', 'analytics', 'warehouse', 'reports', 'checkout',
];
const MODEL_NOUNS = [
  'product', 'variant', 'category', 'order', 'line', 'customer', 'address', 'payment', 'refund', 'shipment',
  'parcel', 'carrier', 'invoice', 'ticket', 'message', 'campaign', 'coupon', 'review', 'rating', 'stock',
  'supplier', 'price', 'discount', 'subscription', 'plan', 'event', 'report', 'batch', 'ledger', 'voucher',
];
const FIELD_WORDS = [
  'status', 'reference', 'note', 'amount', 'currency', 'quantity', 'created_at', 'updated_at', 'due_date', 'email',
  'phone', 'code', 'title', 'description', 'is_active', 'priority', 'external_id', 'country', 'city', 'zip_code',
  'weight', 'tracking_number', 'score', 'comment', 'source', 'channel', 'version', 'checksum', 'locale', 'slug',
  'label', 'position', 'expires_at', 'notes', 'kind', 'total', 'tax', 'discount_rate', 'sku', 'barcode',
];

type FieldKind = 'char' | 'text' | 'int' | 'decimal' | 'bool' | 'datetime' | 'json' | 'fk';

interface FieldSpec {
  kind: FieldKind;
  null: boolean;
  maxLength?: number;
  digits?: [number, number];
  dbIndex?: boolean;
  default?: string;
  /** `app.Model` of a foreign key, or the user model through settings.AUTH_USER_MODEL. */
  to?: string;
  swappable?: boolean;
}

interface ModelSpec {
  className: string;
  fields: Map<string, FieldSpec>;
  indexCount: number;
  /** Foreign keys from elsewhere point at it: never deleted. */
  referenced: boolean;
}

interface AppState {
  label: string;
  models: Map<string, ModelSpec>;
  migrations: GeneratedMigration[];
}

interface Operation {
  text: string;
  /** Schema operations go into a squashed migration; data migrations are left out of it. */
  schema: boolean;
}

interface GeneratedMigration {
  app: string;
  number: number;
  name: string;
  dependencies: Set<string>;
  swappable: boolean;
  operations: Operation[];
  functions: string[];
  runBefore: [string, string][];
  replaces?: [string, string][];
  initial: boolean;
  atomic: boolean;
}

export interface RealisticOptions {
  apps?: number;
  perApp?: number;
  seed?: number;
  /** Apps (by index) that may carry a squashed migration of their first migrations (default: the first 3 that can). */
  squashed?: number[];
  /** One migration made ~`lines` long: the 1,000-line file of the keystroke benchmark. */
  big?: { app: number; number: number; lines: number };
}

/** The bench's 1,500-migration project (sections e and f; its JSON report's digest is kept by test/cli/report-digest.test.ts). */
export const BENCH_PROJECT: RealisticOptions = { apps: 15, perApp: 100, seed: 7, big: { app: 4, number: 97, lines: 1000 } };

export interface RealisticProject {
  root: string;
  apps: number;
  migrations: number;
  squashed: number;
  runBefore: number;
  crossAppDependencies: number;
  otherFiles: number;
  lines: number;
  bytes: number;
  /** A late migration of a middle app (the keystroke benchmark's file), and the big one. */
  lateMigration: string;
  bigMigration?: string;
}

const I1 = '        ';
const I2 = '            ';
const I3 = '                ';

function className(noun: string): string {
  return noun.split('_').map((part) => part[0].toUpperCase() + part.slice(1)).join('');
}

function fieldCode(field: FieldSpec): string {
  const args: string[] = [];
  let type: string;
  switch (field.kind) {
    case 'char': type = 'CharField'; args.push(`max_length=${field.maxLength ?? 100}`); break;
    case 'text': type = 'TextField'; break;
    case 'int': type = 'IntegerField'; break;
    case 'decimal': type = 'DecimalField'; args.push(`decimal_places=${field.digits![1]}`, `max_digits=${field.digits![0]}`); break;
    case 'bool': type = 'BooleanField'; break;
    case 'datetime': type = 'DateTimeField'; break;
    case 'json': type = 'JSONField'; break;
    case 'fk':
      type = 'ForeignKey';
      args.push(`on_delete=django.db.models.deletion.${field.null ? 'SET_NULL' : 'CASCADE'}`, 'related_name="+"', `to=${field.swappable ? 'settings.AUTH_USER_MODEL' : `"${field.to}"`}`);
      break;
  }
  if (field.dbIndex) args.push('db_index=True');
  if (field.null) args.push(field.kind === 'char' || field.kind === 'text' ? 'blank=True, null=True' : 'null=True');
  else if (field.default !== undefined) args.push(`default=${field.default}`);
  return `models.${type}(${args.join(', ')})`;
}

function lineCount(text: string): number {
  return text.split('\n').length;
}

export function generateRealisticProject(root: string, options: RealisticOptions = {}): RealisticProject {
  const rng = new Random(options.seed ?? 7);
  const appCount = options.apps ?? 15;
  const perApp = options.perApp ?? 100;
  const labels = APP_NAMES.slice(0, appCount);
  const apps: AppState[] = labels.map((label) => ({ label, models: new Map(), migrations: [] }));
  const squashedApps = new Set(options.squashed ?? []);
  let crossApp = 0;

  const newFieldName = (model: ModelSpec): string => {
    for (let attempt = 0; attempt < 20; attempt++) {
      const name = rng.chance(0.7) ? rng.pick(FIELD_WORDS) : `${rng.pick(FIELD_WORDS)}_${rng.pick(FIELD_WORDS)}`;
      if (!model.fields.has(name)) return name;
    }
    return `field_${model.fields.size}_${rng.int(100, 999)}`;
  };

  const newFieldSpec = (forAdd: boolean): FieldSpec => {
    const roll = rng.int(0, 9);
    const nullable = forAdd ? rng.chance(0.65) : rng.chance(0.4);
    const base = (kind: FieldKind, fallback: string): FieldSpec => ({ kind, null: nullable, default: nullable ? undefined : fallback });
    switch (roll) {
      case 0: case 1: case 2: return { ...base('char', '""'), maxLength: rng.pick([32, 64, 100, 255]), dbIndex: rng.chance(0.1) };
      case 3: return base('text', '""');
      case 4: return base('int', String(rng.int(0, 10)));
      case 5: return { ...base('decimal', '0'), digits: [rng.pick([10, 12, 14]), 2] };
      case 6: return { kind: 'bool', null: false, default: rng.chance(0.5) ? 'True' : 'False' };
      case 7: return base('datetime', 'django.utils.timezone.now');
      case 8: return { kind: 'json', null: false, default: 'dict' };
      default: return base('int', '0');
    }
  };

  /** A model of another app that exists now (for a foreign key), with the dependency it needs. */
  const foreignTarget = (self: AppState, migration: GeneratedMigration): string | undefined => {
    const candidates = apps.filter((app) => app !== self && app.models.size > 0 && app.migrations.length > 0);
    if (candidates.length === 0) return undefined;
    const app = rng.pick(candidates);
    const [key, model] = rng.pick([...app.models]);
    model.referenced = true;
    const latest = app.migrations[app.migrations.length - 1];
    const dependency = `${app.label}\u0000${latest.name}`;
    if (!migration.dependencies.has(dependency)) {
      migration.dependencies.add(dependency);
      crossApp++;
    }
    return key ? `${app.label}.${model.className}` : undefined;
  };

  const fkSpec = (self: AppState, migration: GeneratedMigration): FieldSpec | undefined => {
    const accounts = apps[0];
    if (self !== accounts && accounts.models.has('user') && rng.chance(0.3)) {
      migration.swappable = true;
      accounts.models.get('user')!.referenced = true;
      return { kind: 'fk', null: true, to: 'accounts.User', swappable: true };
    }
    const to = foreignTarget(self, migration);
    return to ? { kind: 'fk', null: rng.chance(0.7), to } : undefined;
  };

  const createModel = (app: AppState, migration: GeneratedMigration, name?: string): Operation | undefined => {
    const noun = name ?? [...MODEL_NOUNS].sort(() => rng.next() - 0.5).find((candidate) => !app.models.has(candidate));
    if (!noun) return undefined;
    const model: ModelSpec = { className: className(noun), fields: new Map(), indexCount: 0, referenced: false };
    const lines = [`${I3}("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),`];
    if (noun === 'user') {
      for (const [field, spec] of [['password', { kind: 'char', null: false, maxLength: 128, default: '""' }], ['email', { kind: 'char', null: false, maxLength: 254, default: '""' }], ['is_active', { kind: 'bool', null: false, default: 'True' }]] as [string, FieldSpec][]) {
        model.fields.set(field, spec);
        lines.push(`${I3}("${field}", ${fieldCode(spec)}),`);
      }
    }
    const count = rng.int(3, 10);
    for (let i = 0; i < count; i++) {
      const field = newFieldName(model);
      const spec = rng.chance(0.12) ? fkSpec(app, migration) ?? newFieldSpec(false) : newFieldSpec(false);
      model.fields.set(field, spec);
      lines.push(`${I3}("${field}", ${fieldCode(spec)}),`);
    }
    app.models.set(noun, model);
    const options = rng.chance(0.4) ? `${I2}options={\n${I3}"ordering": ["-id"],\n${I3}"verbose_name": "${noun}",\n${I2}},\n` : '';
    return { schema: true, text: `${I1}migrations.CreateModel(\n${I2}name="${model.className}",\n${I2}fields=[\n${lines.join('\n')}\n${I2}],\n${options}${I1}),` };
  };

  const pickModel = (app: AppState): [string, ModelSpec] | undefined => (app.models.size ? rng.pick([...app.models]) : undefined);
  const pickField = (model: ModelSpec, filter: (spec: FieldSpec) => boolean = () => true): [string, FieldSpec] | undefined => {
    const fields = [...model.fields].filter(([, spec]) => filter(spec));
    return fields.length ? rng.pick(fields) : undefined;
  };

  const operation = (app: AppState, migration: GeneratedMigration): Operation | undefined => {
    const picked = pickModel(app);
    if (!picked) return createModel(app, migration);
    const [modelKey, model] = picked;
    const roll = rng.next();
    if (roll < 0.28) {
      const field = newFieldName(model);
      const spec = rng.chance(0.1) ? fkSpec(app, migration) ?? newFieldSpec(true) : newFieldSpec(true);
      model.fields.set(field, spec);
      const preserve = !spec.null && spec.kind !== 'bool' && spec.kind !== 'json' && rng.chance(0.3) ? `\n${I2}preserve_default=False,` : '';
      return { schema: true, text: `${I1}migrations.AddField(\n${I2}model_name="${modelKey}",\n${I2}name="${field}",\n${I2}field=${fieldCode(spec)},${preserve}\n${I1}),` };
    }
    if (roll < 0.46) {
      const target = pickField(model, (spec) => spec.kind !== 'fk' && spec.kind !== 'json');
      if (!target) return undefined;
      const [field, spec] = target;
      const next: FieldSpec = { ...spec };
      const change = rng.int(0, 3);
      if (change === 0 && spec.kind === 'char') next.maxLength = rng.chance(0.75) ? (spec.maxLength ?? 100) * 2 : Math.max(16, Math.floor((spec.maxLength ?? 100) / 2));
      else if (change === 1) {
        next.null = !spec.null;
        next.default = next.null ? undefined : spec.kind === 'char' || spec.kind === 'text' ? '""' : spec.kind === 'bool' ? 'False' : spec.kind === 'datetime' ? 'django.utils.timezone.now' : '0';
      } else if (change === 2) next.dbIndex = !spec.dbIndex;
      else if (spec.kind === 'int' && rng.chance(0.5)) {
        next.kind = 'decimal';
        next.digits = [12, 2];
      } else next.dbIndex = !spec.dbIndex;
      model.fields.set(field, next);
      return { schema: true, text: `${I1}migrations.AlterField(\n${I2}model_name="${modelKey}",\n${I2}name="${field}",\n${I2}field=${fieldCode(next)},\n${I1}),` };
    }
    if (roll < 0.52) {
      const target = pickField(model, (spec) => spec.kind !== 'fk');
      if (!target) return undefined;
      const [field, spec] = target;
      const renamed = `${field.split('_')[0]}_${rng.pick(FIELD_WORDS)}`;
      if (model.fields.has(renamed)) return undefined;
      model.fields.delete(field);
      model.fields.set(renamed, spec);
      return { schema: true, text: `${I1}migrations.RenameField(\n${I2}model_name="${modelKey}",\n${I2}old_name="${field}",\n${I2}new_name="${renamed}",\n${I1}),` };
    }
    if (roll < 0.6) {
      if (model.fields.size < 4) return undefined;
      const target = pickField(model);
      if (!target || target[0] === 'password' || target[0] === 'email') return undefined;
      model.fields.delete(target[0]);
      return { schema: true, text: `${I1}migrations.RemoveField(\n${I2}model_name="${modelKey}",\n${I2}name="${target[0]}",\n${I1}),` };
    }
    if (roll < 0.7) {
      const target = pickField(model, (spec) => spec.kind !== 'json' && spec.kind !== 'text');
      if (!target) return undefined;
      const name = `${modelKey.slice(0, 8)}_${target[0].slice(0, 10)}_${++model.indexCount}_idx`;
      return { schema: true, text: `${I1}migrations.AddIndex(\n${I2}model_name="${modelKey}",\n${I2}index=models.Index(fields=["${target[0]}"], name="${name}"),\n${I1}),` };
    }
    if (roll < 0.76) return createModel(app, migration);
    if (roll < 0.8) {
      const numeric = pickField(model, (spec) => spec.kind === 'int' || spec.kind === 'decimal');
      if (numeric) return { schema: true, text: `${I1}migrations.AddConstraint(\n${I2}model_name="${modelKey}",\n${I2}constraint=models.CheckConstraint(check=models.Q(("${numeric[0]}__gte", 0)), name="${modelKey.slice(0, 10)}_${numeric[0].slice(0, 10)}_gte_0"),\n${I1}),` };
      const a = pickField(model);
      const b = pickField(model);
      if (!a || !b || a[0] === b[0]) return undefined;
      return { schema: true, text: `${I1}migrations.AlterUniqueTogether(\n${I2}name="${modelKey}",\n${I2}unique_together={("${a[0]}", "${b[0]}")},\n${I1}),` };
    }
    if (roll < 0.9) {
      const target = pickField(model, (spec) => spec.kind !== 'fk');
      if (!target) return undefined;
      const n = migration.functions.length / 2;
      const value = target[1].kind === 'char' || target[1].kind === 'text' ? '""' : target[1].kind === 'bool' ? 'False' : '0';
      migration.functions.push(
        [
          `def forwards_${n}(apps, schema_editor):`,
          `    ${model.className} = apps.get_model("${app.label}", "${model.className}")`,
          `    pks = ${model.className}.objects.filter(${target[0]}__isnull=True).values_list("pk", flat=True)`,
          '    batch = []',
          '    for pk in pks.iterator(chunk_size=1000):',
          '        batch.append(pk)',
          '        if len(batch) >= 1000:',
          `            ${model.className}.objects.filter(pk__in=batch).update(${target[0]}=${value})`,
          '            batch = []',
          '    if batch:',
          `        ${model.className}.objects.filter(pk__in=batch).update(${target[0]}=${value})`,
        ].join('\n'),
        `def backwards_${n}(apps, schema_editor):\n    pass`,
      );
      return { schema: false, text: `${I1}migrations.RunPython(forwards_${n}, reverse_code=backwards_${n}),` };
    }
    if (roll < 0.95) {
      const target = pickField(model, (spec) => spec.kind === 'char');
      if (!target) return undefined;
      const table = `${app.label}_${modelKey}`;
      return { schema: false, text: `${I1}migrations.RunSQL(\n${I2}sql="UPDATE ${table} SET ${target[0]} = '' WHERE ${target[0]} IS NULL",\n${I2}reverse_sql=migrations.RunSQL.noop,\n${I1}),` };
    }
    if (roll < 0.965 && !model.referenced && app.models.size > 2 && modelKey !== 'user') {
      app.models.delete(modelKey);
      return { schema: true, text: `${I1}migrations.DeleteModel(\n${I2}name="${model.className}",\n${I1}),` };
    }
    const options = `{"ordering": ["-id"], "verbose_name_plural": "${modelKey}s"}`;
    return { schema: true, text: `${I1}migrations.AlterModelOptions(\n${I2}name="${modelKey}",\n${I2}options=${options},\n${I1}),` };
  };

  const render = (migration: GeneratedMigration): string => {
    const deps = [...migration.dependencies].sort().map((dep) => {
      const [app, name] = dep.split('\u0000');
      return `${I1}("${app}", "${name}"),`;
    });
    if (migration.swappable) deps.unshift(`${I1}migrations.swappable_dependency(settings.AUTH_USER_MODEL),`);
    const out = [
      `# Generated by Django 4.2.${migration.number % 16} on 2024-${String(1 + (migration.number % 12)).padStart(2, '0')}-1${migration.number % 10} 12:00`,
      '',
      ...(migration.swappable ? ['from django.conf import settings'] : []),
      'from django.db import migrations, models',
      'import django.db.models.deletion',
      'import django.utils.timezone',
      '',
      '',
    ];
    if (migration.functions.length) out.push(migration.functions.join('\n\n\n'), '', '');
    out.push('class Migration(migrations.Migration):');
    if (migration.initial) out.push('    initial = True', '');
    if (!migration.atomic) out.push('    atomic = False', '');
    if (migration.replaces) {
      out.push('    replaces = [');
      for (const [app, name] of migration.replaces) out.push(`${I1}("${app}", "${name}"),`);
      out.push('    ]', '');
    }
    out.push('    dependencies = [', ...deps, '    ]', '');
    if (migration.runBefore.length) {
      out.push('    run_before = [');
      for (const [app, name] of migration.runBefore) out.push(`${I1}("${app}", "${name}"),`);
      out.push('    ]', '');
    }
    out.push('    operations = [', ...migration.operations.map((op) => op.text), '    ]', '');
    return out.join('\n');
  };

  const estimate = (migration: GeneratedMigration) => 14 + migration.dependencies.size + migration.operations.reduce((sum, op) => sum + lineCount(op.text), 0) + migration.functions.length * 6;

  // Round by round: each app's migration N after every app's N−1, so dependencies point backwards in time.
  for (let number = 1; number <= perApp; number++) {
    for (const [appIndex, app] of apps.entries()) {
      const previous = app.migrations[app.migrations.length - 1];
      const big = options.big && options.big.app === appIndex && options.big.number === number ? options.big.lines : undefined;
      const name = number === 1 ? '0001_initial' : `${String(number).padStart(4, '0')}_${rng.pick(MODEL_NOUNS)}_${rng.pick(FIELD_WORDS)}`;
      const migration: GeneratedMigration = {
        app: app.label, number, name, dependencies: new Set(), swappable: false, operations: [], functions: [], runBefore: [], initial: number === 1, atomic: true,
      };
      if (previous) migration.dependencies.add(`${app.label}\u0000${previous.name}`);
      if (number === 1) {
        if (appIndex === 0) migration.operations.push(createModel(app, migration, 'user')!);
        const models = rng.int(2, 4);
        for (let i = 0; i < models; i++) {
          const op = createModel(app, migration);
          if (op) migration.operations.push(op);
        }
      } else {
        const target = big ?? (rng.chance(0.08) ? rng.int(120, 300) : rng.int(20, 60));
        let guard = 0;
        while (estimate(migration) < target && guard++ < 5000) {
          const op = operation(app, migration);
          if (op) migration.operations.push(op);
        }
        if (migration.operations.length === 0) migration.operations.push(createModel(app, migration) ?? { schema: true, text: `${I1}migrations.AlterModelOptions(name="${[...app.models.keys()][0]}", options={}),` });
      }
      app.migrations.push(migration);
    }
  }

  // A rare run_before: an early migration of one app must run before a later one of another.
  let runBefore = 0;
  for (const [from, to, number] of [[3, 9, 40], [10, 5, 70]] as const) {
    if (from >= appCount || to >= appCount || number + 5 > perApp) continue;
    apps[from].migrations[number - 1].runBefore.push([apps[to].label, apps[to].migrations[number + 4].name]);
    runBefore++;
  }

  // Squashed migrations (schema operations only, as squashmigrations keeps them), the replaced files kept. A
  // squash whose outside dependencies lead back into what it replaces would be a cycle (Django refuses it, and
  // people fix it by hand): such ranges are shortened, or the app skipped.
  const byKey = new Map<string, GeneratedMigration>();
  for (const app of apps) for (const migration of app.migrations) byKey.set(`${app.label}\u0000${migration.name}`, migration);
  /** Replaced migration → its squashed one: dependencies on it lead there (as in Django's graph). */
  const redirect = new Map<string, string>();
  const reachesInto = (start: Iterable<string>, targets: Set<GeneratedMigration>): boolean => {
    const seen = new Set<string>();
    const stack = [...start];
    while (stack.length) {
      const given = stack.pop()!;
      const key = redirect.get(given) ?? given;
      if (seen.has(key)) continue;
      seen.add(key);
      const migration = byKey.get(key);
      if (!migration) continue;
      if (targets.has(migration)) return true;
      stack.push(...migration.dependencies);
    }
    return false;
  };
  let squashed = 0;
  const wanted = options.squashed?.length ?? 3;
  for (let appIndex = 1; appIndex < apps.length && squashed < wanted; appIndex++) {
    if (options.squashed && !squashedApps.has(appIndex)) continue;
    const app = apps[appIndex];
    for (const length of [20, 12, 8]) {
      if (perApp <= length) continue;
      const replaced = app.migrations.slice(0, length);
      const dependencies = new Set<string>();
      for (const migration of replaced) for (const dep of migration.dependencies) if (!dep.startsWith(`${app.label}\u0000`)) dependencies.add(dep);
      if (reachesInto(dependencies, new Set(replaced))) continue;
      const last = replaced[length - 1];
      const squash: GeneratedMigration = {
        app: app.label, number: 1, name: `0001_squashed_${last.name}`, dependencies,
        swappable: replaced.some((migration) => migration.swappable), operations: replaced.flatMap((migration) => migration.operations.filter((op) => op.schema)),
        functions: [], runBefore: [], replaces: replaced.map((migration) => [app.label, migration.name]), initial: true, atomic: true,
      };
      app.migrations.push(squash);
      const key = `${app.label}\u0000${squash.name}`;
      byKey.set(key, squash);
      for (const migration of replaced) redirect.set(`${app.label}\u0000${migration.name}`, key);
      squashed++;
      break;
    }
  }

  // Files.
  const summary: RealisticProject = {
    root, apps: appCount, migrations: 0, squashed, runBefore, crossAppDependencies: crossApp, otherFiles: 0, lines: 0, bytes: 0, lateMigration: '',
  };
  const write = (path: string, text: string, migration = false) => {
    const full = join(root, path);
    mkdirSync(join(full, '..'), { recursive: true });
    writeFileSync(full, text);
    summary.bytes += Buffer.byteLength(text);
    summary.lines += text.split('\n').length - 1;
    if (migration) summary.migrations++;
    else summary.otherFiles++;
  };
  write('manage.py', '#!/usr/bin/env python\nimport os\nimport sys\n\nif __name__ == "__main__":\n    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")\n    from django.core.management import execute_from_command_line\n\n    execute_from_command_line(sys.argv)\n');
  write('pyproject.toml', '[project]\nname = "shop"\ndependencies = ["Django==4.2.11"]\n\n[tool.migration-guard]\ndatabase = "postgresql"\npostgres-version = 15\n');
  write('project/__init__.py', '');
  write('project/settings.py', [
    'SECRET_KEY = "not-secret"',
    'DEBUG = False',
    `INSTALLED_APPS = [${labels.map((label) => `"${label}"`).join(', ')}]`,
    'AUTH_USER_MODEL = "accounts.User"',
    'DATABASES = {',
    '    "default": {',
    '        "ENGINE": "django.db.backends.postgresql",',
    '        "NAME": "shop",',
    '        "OPTIONS": {"options": "-c statement_timeout=30000 -c lock_timeout=4000"},',
    '    }',
    '}',
    '',
  ].join('\n'));
  for (const app of apps) {
    write(`${app.label}/__init__.py`, '');
    write(`${app.label}/apps.py`, `from django.apps import AppConfig\n\n\nclass ${className(app.label)}Config(AppConfig):\n    default_auto_field = "django.db.models.BigAutoField"\n    name = "${app.label}"\n`);
    write(`${app.label}/models.py`, 'from django.db import models\n');
    write(`${app.label}/migrations/__init__.py`, '');
    for (const migration of app.migrations) write(`${app.label}/migrations/${migration.name}.py`, render(migration), true);
  }
  const middle = apps[Math.min(apps.length - 1, Math.floor(apps.length / 2))];
  const late = middle.migrations[Math.max(0, Math.min(perApp, middle.migrations.length) - 5)];
  summary.lateMigration = join(root, middle.label, 'migrations', `${late.name}.py`);
  if (options.big) {
    const app = apps[options.big.app];
    const migration = app?.migrations[options.big.number - 1];
    if (migration) summary.bigMigration = join(root, app.label, 'migrations', `${migration.name}.py`);
  }
  return summary;
}
