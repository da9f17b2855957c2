// Proof through Django: each rule's safe route, as its docs write it (`docs.history`, `docs.useInstead`,
// `docs.followUps`, read from the rule objects, not copied), is applied by Django to a throwaway PostgreSQL 15 as
// a rolling deploy applies it (test/integration/harness/apply_route.py): every step migrates forward, the code
// deployed before and after each step can insert, `migrate shop zero` and forward again succeed, and
// `makemigrations --check --dry-run` finds nothing to change against the models.py the route leads to. The docs'
// `otherRoutes` (an older Django, renaming the column itself) are applied the same way; every rule on migrations has
// an entry (for the rules whose advice is one migration, that migration: MG4xx, MG5xx, MG900).
// Debian's Django 3.2 runs the routes that 3.2 supports; Django 5.2 (harness/django5.ts: MG_DJANGO5_PYTHON, else a
// venv made from the machine's pip index) those that need `db_default`, `AddConstraintNotValid` or
// `CheckConstraint(condition=)`.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ALL_RULES, findRule } from '../../server/src/rules';
import { CREATE_ORDER, exampleMigration, initialMigration } from '../../server/src/rules/docs';
import { DEBIAN_PYTHON, djangoEnv, djangoProblems } from './harness/django';
import { django5Python } from './harness/django5';
import { INTEGRATION_DIR, requirePrograms } from './harness/packages';
import { Postgres, postgresProblems } from './harness/postgres';
import { run } from './harness/run';
import { removeTempDirs, tempDir } from '../settings/project';
import { REPO_ROOT } from '../helpers/paths';

/** Stands for the Django 5.2 interpreter, found or made when a route first needs it. */
export const DJANGO5_PYTHON = 'django-5.2';

interface StepReport {
  migration: string;
  migrate: { ok: boolean; output: string };
  old_code?: Record<string, string | null>;
  new_code?: Record<string, string | null>;
}

interface RouteReport {
  django: string;
  setup?: { ok: boolean; output: string };
  setup_insert?: Record<string, string | null>;
  steps: StepReport[];
  zero?: { ok: boolean; output: string };
  again?: { ok: boolean; output: string };
  makemigrations?: { ok: boolean; output: string };
}

export interface Route {
  /** Which Django applies it. */
  python: string;
  /** The app's migrations before the route, when the rule's docs have no `history` (they then assume it). */
  history?: string[];
  /** shop/models.py as the code of the last deploy declares the models. */
  models: string;
  /** `DATABASES["default"]["OPTIONS"]` (a Python dict), as the settings of the rule's docs history set them. */
  options?: string;
  /** The same for each of the docs' `otherRoutes`, in their order. */
  others?: Omit<Route, 'others'>[];
}

/** `shop.Order` with Django's automatic primary key, as makemigrations writes it (5.x compares `serialize=False`). */
const ORDER_AS_MAKEMIGRATIONS_WRITES_IT = initialMigration([
  'migrations.CreateModel(name="Order", fields=[("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID"))]),',
]);

const MODELS_HEADER = 'from django.db import models\n\n\n';

/** `shop.Order` with a nullable `status` added in 0002 (the history the MG3xx data migrations run after). */
const ORDER_STATUS_HISTORY = [
  CREATE_ORDER,
  exampleMigration({
    imports: ['# shop/migrations/0002_order_status.py', 'from django.db import migrations, models'],
    operations: ['migrations.AddField(model_name="order", name="status", field=models.CharField(max_length=20, null=True)),'],
  }),
];

const ORDER_MODELS = `${MODELS_HEADER}class Order(models.Model):\n    id = models.BigAutoField(primary_key=True)\n`;
const ORDER_STATUS_MODELS = `${MODELS_HEADER}class Order(models.Model):\n    id = models.BigAutoField(primary_key=True)\n    status = models.CharField(max_length=20, null=True)\n`;
const ORDER_NOTE_MODELS = `${MODELS_HEADER}class Order(models.Model):\n    id = models.BigAutoField(primary_key=True)\n    note = models.TextField(null=True)\n`;
/** The timeouts the settings in the docs' history of MG110 and MG111 set. */
const TIMEOUT_OPTIONS = '{"options": "-c statement_timeout=30000 -c lock_timeout=4000"}';

/** The routes, by rule code; the migrations come from the rule's docs. */
const ROUTES: Record<string, Route> = {
  MG101: {
    python: DEBIAN_PYTHON,
    history: [initialMigration(['migrations.CreateModel(name="Order", fields=[("id", models.BigAutoField(primary_key=True)), ("created_at", models.DateTimeField())]),'])],
    models: `${MODELS_HEADER}class Order(models.Model):\n    id = models.BigAutoField(primary_key=True)\n    created_at = models.DateTimeField()\n\n    class Meta:\n        indexes = [models.Index(fields=["created_at"], name="order_created_idx")]\n`,
    others: [{
      python: DEBIAN_PYTHON,
      models: `${MODELS_HEADER}class Order(models.Model):\n    id = models.BigAutoField(primary_key=True)\n    reference = models.CharField(max_length=32, null=True, db_index=False)\n\n    class Meta:\n        indexes = [models.Index(fields=["reference"], name="order_reference_idx")]\n`,
    }],
  },
  MG102: {
    python: DEBIAN_PYTHON,
    history: [initialMigration([
      'migrations.CreateModel(name="Order", fields=[("id", models.BigAutoField(primary_key=True)), ("created_at", models.DateTimeField())],',
      '    options={"indexes": [models.Index(fields=["created_at"], name="order_created_idx")]}),',
    ])],
    models: `${MODELS_HEADER}class Order(models.Model):\n    id = models.BigAutoField(primary_key=True)\n    created_at = models.DateTimeField()\n`,
  },
  MG103: {
    python: DEBIAN_PYTHON,
    history: [initialMigration(['migrations.CreateModel(name="Order", fields=[("id", models.BigAutoField(primary_key=True)), ("reference", models.CharField(max_length=32))]),'])],
    models: `${MODELS_HEADER}class Order(models.Model):\n    id = models.BigAutoField(primary_key=True)\n    reference = models.CharField(max_length=32)\n\n    class Meta:\n        constraints = [models.UniqueConstraint(fields=["reference"], name="order_reference_uniq")]\n`,
  },
  MG104: {
    python: DJANGO5_PYTHON,
    history: [initialMigration(['migrations.CreateModel(name="Order", fields=[("id", models.BigAutoField(primary_key=True, serialize=False)), ("total", models.IntegerField())]),'])],
    models: `${MODELS_HEADER}class Order(models.Model):\n    id = models.BigAutoField(primary_key=True)\n    total = models.IntegerField()\n\n    class Meta:\n        constraints = [models.CheckConstraint(condition=models.Q(total__gte=0), name="order_total_gte_0")]\n`,
  },
  MG105: {
    python: DEBIAN_PYTHON,
    history: [initialMigration([
      'migrations.CreateModel(name="Coupon", fields=[("id", models.BigAutoField(primary_key=True))]),',
      'migrations.CreateModel(name="Order", fields=[("id", models.BigAutoField(primary_key=True))]),',
    ])],
    models: `${MODELS_HEADER}class Coupon(models.Model):\n    id = models.BigAutoField(primary_key=True)\n\n\nclass Order(models.Model):\n    id = models.BigAutoField(primary_key=True)\n    coupon = models.ForeignKey(Coupon, null=True, db_index=False, on_delete=models.SET_NULL)\n`,
  },
  MG106: {
    python: DJANGO5_PYTHON,
    models: `${MODELS_HEADER}class Order(models.Model):\n    id = models.BigAutoField(primary_key=True)\n    note = models.TextField(default="")\n`,
    others: [{
      python: DEBIAN_PYTHON,
      models: `${MODELS_HEADER}class Order(models.Model):\n    id = models.BigAutoField(primary_key=True)\n    note = models.TextField(default="")\n`,
    }],
  },
  MG107: {
    python: DEBIAN_PYTHON,
    models: `${MODELS_HEADER}class Order(models.Model):\n    id = models.BigAutoField(primary_key=True)\n    reference = models.CharField(max_length=32)\n    quantity_new = models.BigIntegerField(null=True)\n`,
  },
  MG108: {
    python: DJANGO5_PYTHON,
    history: [ORDER_AS_MAKEMIGRATIONS_WRITES_IT],
    models: `from django.contrib.postgres.functions import RandomUUID\n${MODELS_HEADER}class Order(models.Model):\n    token = models.UUIDField(null=True, db_default=RandomUUID())\n`,
  },
  MG109: {
    python: DEBIAN_PYTHON,
    history: [initialMigration(['migrations.CreateModel(name="Order", fields=[("id", models.BigAutoField(primary_key=True)), ("created_at", models.DateTimeField())]),'])],
    models: `${MODELS_HEADER}class Order(models.Model):\n    id = models.BigAutoField(primary_key=True)\n    created_at = models.DateTimeField()\n\n    class Meta:\n        indexes = [models.Index(fields=["created_at"], name="order_created_idx")]\n`,
  },
  MG110: {
    python: DEBIAN_PYTHON,
    options: TIMEOUT_OPTIONS,
    models: ORDER_NOTE_MODELS,
  },
  MG111: {
    python: DEBIAN_PYTHON,
    options: TIMEOUT_OPTIONS,
    models: `${MODELS_HEADER}class Order(models.Model):\n    id = models.BigAutoField(primary_key=True)\n\n    class Meta:\n        indexes = [models.Index(fields=["id"], name="order_id_idx")]\n`,
  },
  MG112: {
    python: DJANGO5_PYTHON,
    history: [initialMigration(['migrations.CreateModel(name="Order", fields=[("id", models.BigAutoField(primary_key=True, serialize=False)), ("total", models.IntegerField())]),'])],
    models: `${MODELS_HEADER}class Order(models.Model):\n    id = models.BigAutoField(primary_key=True)\n    total = models.IntegerField()\n\n    class Meta:\n        constraints = [models.CheckConstraint(condition=models.Q(total__gte=0), name="order_total_gte_0")]\n`,
  },
  MG113: {
    python: DEBIAN_PYTHON,
    history: [CREATE_ORDER],
    models: `from django.contrib.postgres.constraints import ExclusionConstraint\nfrom django.contrib.postgres.fields import DateTimeRangeField, RangeOperators\n${ORDER_MODELS}\n\nclass Booking(models.Model):\n    id = models.BigAutoField(primary_key=True)\n    room = models.IntegerField()\n    period = DateTimeRangeField()\n\n    class Meta:\n        constraints = [ExclusionConstraint(name="booking_no_overlap", expressions=[("period", RangeOperators.OVERLAPS), ("room", RangeOperators.EQUAL)])]\n`,
  },
  // No CLUSTER in the migration (pg_repack outside it): the route is the migration without it.
  MG114: { python: DEBIAN_PYTHON, models: ORDER_MODELS },
  MG201: {
    python: DJANGO5_PYTHON,
    history: [ORDER_AS_MAKEMIGRATIONS_WRITES_IT],
    models: `${MODELS_HEADER}class Order(models.Model):\n    status = models.CharField(max_length=20, default="new", db_default="new")\n`,
    others: [{
      python: DEBIAN_PYTHON,
      models: `${MODELS_HEADER}class Order(models.Model):\n    id = models.BigAutoField(primary_key=True)\n    status = models.CharField(max_length=20, default="new")\n`,
    }],
  },
  MG202: {
    python: DEBIAN_PYTHON,
    models: `${MODELS_HEADER}class Order(models.Model):\n    id = models.BigAutoField(primary_key=True)\n`,
  },
  MG203: {
    python: DEBIAN_PYTHON,
    models: `${MODELS_HEADER}`,
  },
  MG204: {
    python: DEBIAN_PYTHON,
    models: `${MODELS_HEADER}class Order(models.Model):\n    id = models.BigAutoField(primary_key=True)\n    comment = models.TextField(null=True, db_column="note")\n`,
    others: [{
      python: DEBIAN_PYTHON,
      models: `${MODELS_HEADER}class Order(models.Model):\n    id = models.BigAutoField(primary_key=True)\n    comment = models.TextField(null=True)\n`,
    }],
  },
  MG205: {
    python: DEBIAN_PYTHON,
    models: `${MODELS_HEADER}class Purchase(models.Model):\n    id = models.BigAutoField(primary_key=True)\n\n    class Meta:\n        db_table = "shop_order"\n`,
  },
  MG206: {
    python: DEBIAN_PYTHON,
    models: `${MODELS_HEADER}class Order(models.Model):\n    id = models.BigAutoField(primary_key=True)\n    note = models.TextField(default="")\n`,
  },
  MG301: { python: DEBIAN_PYTHON, history: ORDER_STATUS_HISTORY, models: ORDER_STATUS_MODELS },
  MG302: { python: DEBIAN_PYTHON, history: ORDER_STATUS_HISTORY, models: ORDER_STATUS_MODELS },
  MG303: { python: DEBIAN_PYTHON, history: ORDER_STATUS_HISTORY, models: ORDER_STATUS_MODELS },
  MG304: { python: DEBIAN_PYTHON, history: ORDER_STATUS_HISTORY, models: ORDER_STATUS_MODELS },
  MG305: { python: DEBIAN_PYTHON, history: ORDER_STATUS_HISTORY, models: ORDER_STATUS_MODELS },
  MG306: { python: DEBIAN_PYTHON, history: ORDER_STATUS_HISTORY, models: ORDER_STATUS_MODELS },
  // RunSQL outside Django's state: the column it adds is not in models.py either.
  MG401: { python: DEBIAN_PYTHON, history: [CREATE_ORDER], models: ORDER_MODELS },
  MG402: { python: DEBIAN_PYTHON, models: ORDER_STATUS_MODELS },
  MG403: {
    python: DEBIAN_PYTHON,
    models: `${ORDER_MODELS}\n\nclass OrderImport(models.Model):\n    id = models.BigAutoField(primary_key=True)\n\n    class Meta:\n        db_table = "shop_order_import"\n`,
  },
  MG501: {
    python: DEBIAN_PYTHON,
    models: `${MODELS_HEADER}class Order(models.Model):\n    id = models.BigAutoField(primary_key=True)\n    status = models.TextField(null=True)\n    note = models.TextField(null=True)\n`,
  },
  MG502: { python: DEBIAN_PYTHON, models: ORDER_NOTE_MODELS },
  MG503: {
    python: DEBIAN_PYTHON,
    models: `${MODELS_HEADER}class Order(models.Model):\n    id = models.BigAutoField(primary_key=True)\n    status = models.TextField(null=True)\n    note = models.TextField(null=True)\n`,
  },
  // The migration without the stale noqa comment.
  MG900: { python: DEBIAN_PYTHON, history: [CREATE_ORDER], models: ORDER_NOTE_MODELS },
};

let pg: Postgres | undefined;
let startError: unknown;

before(async () => {
  try {
    requirePrograms("These tests need Debian's Django 3.2 and PostgreSQL 15", [...djangoProblems({ modules: ['psycopg2'] }), ...postgresProblems()]);
    pg = await Postgres.start();
  } catch (error) {
    startError = error;
  }
});

after(() => {
  pg?.stopSync();
  removeTempDirs();
});

function server(): Postgres {
  if (!pg) throw startError instanceof Error ? startError : new Error(String(startError));
  return pg;
}

/** `# shop/migrations/0002_x.py` on the first line → that path; else the docs' defaults (see RuleDocs.history). */
function pathOf(text: string, fallback: string): string {
  return /^# ([\w/]+\.py)\b/.exec(text)?.[1] ?? fallback;
}

/** A Django project in a temp dir: settings for its own database on the server, app `shop` with the files. */
async function writeProject(name: string, files: Map<string, string>, options = '{}'): Promise<string> {
  const dir = tempDir('mg-advice-');
  const database = `advice_${name.toLowerCase()}`;
  const created = await run('/usr/lib/postgresql/15/bin/psql', ['-h', server().host, '-p', String(server().port), '-U', server().user, '-d', 'postgres', '-c', `CREATE DATABASE ${database}`]);
  assert.equal(created.status, 0, created.stderr);
  const all = new Map(files);
  all.set('advicesite/__init__.py', '');
  all.set('advicesite/settings.py', [
    'SECRET_KEY = "advice"',
    'INSTALLED_APPS = ["shop"]',
    'USE_TZ = True',
    'DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"',
    `DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "${database}", "HOST": "${server().host}", "PORT": "${server().port}", "USER": "${server().user}", "OPTIONS": ${options}}}`,
    '',
  ].join('\n'));
  all.set('shop/__init__.py', '');
  all.set('shop/migrations/__init__.py', '');
  for (const [path, text] of all) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  return dir;
}

function migrationName(path: string): string {
  return path.split('/').pop()!.replace(/\.py$/, '');
}

/** Applies the route; returns the report and a list of what went wrong (empty: Django accepts the advice). */
export async function applyRoute(name: string, interpreter: string, history: string[], route: string[], models: string, options?: string): Promise<{ report: RouteReport; problems: string[] }> {
  const python = interpreter === DJANGO5_PYTHON ? await django5Python() : interpreter;
  requirePrograms(`The ${name} route needs ${python} with Django and psycopg2`, djangoProblems({ python, modules: ['psycopg2'] }));
  const files = new Map<string, string>();
  history.forEach((text) => files.set(pathOf(text, 'shop/migrations/0001_initial.py'), text));
  const routePaths = route.map((text, index) => pathOf(text, index === 0 ? 'shop/migrations/0002_example.py' : `shop/migrations/000${index + 2}_step.py`));
  route.forEach((text, index) => files.set(routePaths[index], text));
  files.set('shop/models.py', models);
  const dir = await writeProject(name, files, options);
  const result = await run(python, [join(INTEGRATION_DIR, 'harness', 'apply_route.py'), 'shop', ...routePaths.map(migrationName)], { cwd: dir, env: djangoEnv(dir, 'advicesite.settings'), timeoutMs: 180_000 });
  assert.equal(result.status, 0, `apply_route.py failed:\n${result.stderr}`);
  const report = JSON.parse(result.stdout) as RouteReport;
  const problems: string[] = [];
  if (report.setup && !report.setup.ok) problems.push(`migrating the history failed:\n${report.setup.output}`);
  for (const [model, error] of Object.entries(report.setup_insert ?? {})) if (error) problems.push(`the code before the route cannot insert ${model}: ${error}`);
  for (const step of report.steps) {
    if (!step.migrate.ok) problems.push(`migrate shop ${step.migration} failed:\n${step.migrate.output}`);
    for (const [who, results] of [['code deployed before', step.old_code], ['code deployed with', step.new_code]] as const) {
      for (const [model, error] of Object.entries(results ?? {})) if (error) problems.push(`after ${step.migration}, the ${who} it cannot insert ${model}: ${error}`);
    }
  }
  if (report.zero && !report.zero.ok) problems.push(`migrate shop zero failed:\n${report.zero.output}`);
  if (report.again && !report.again.ok) problems.push(`migrate shop (forward again) failed:\n${report.again.output}`);
  if (report.makemigrations && !report.makemigrations.ok) problems.push(`makemigrations --check --dry-run finds changes:\n${report.makemigrations.output}`);
  return { report, problems };
}

test('every rule on migrations has its route here (the settings rules have their own tests in settings/)', () => {
  const migrationRules = ALL_RULES.filter((rule) => rule.fileKinds.includes('migration')).map((rule) => rule.code);
  assert.deepEqual(migrationRules.filter((code) => !ROUTES[code]), []);
});

describe('every safe route the docs describe is accepted by Django and PostgreSQL', () => {
  for (const [code, route] of Object.entries(ROUTES)) {
    test(`${code}: the docs' route migrates forward, back to zero and forward again; both deploys' code inserts; makemigrations finds no change`, async () => {
      const rule = findRule(code);
      assert.ok(rule, code);
      const history = rule.docs.history === undefined ? route.history : typeof rule.docs.history === 'string' ? [rule.docs.history] : rule.docs.history;
      assert.ok(history, `${code}: the docs have no history; the route needs one`);
      const { report, problems } = await applyRoute(code, route.python, history, [rule.docs.useInstead, ...(rule.docs.followUps ?? [])], route.models, route.options);
      assert.deepEqual(problems, [], `${code} with Django ${report.django}`);
      assert.equal(report.steps.length, 1 + (rule.docs.followUps?.length ?? 0));
    });
    const others = findRule(code)?.docs.otherRoutes ?? [];
    test(`${code}: every other route of the docs has its entry here`, () => assert.equal(route.others?.length ?? 0, others.length));
    others.forEach((other, index) => {
      test(`${code}, other route "${other.when}": Django accepts it the same way`, async () => {
        const rule = findRule(code)!;
        const entry = route.others![index];
        const docsHistory = other.history ?? rule.docs.history;
        const history = docsHistory === undefined ? entry.history : typeof docsHistory === 'string' ? [docsHistory] : docsHistory;
        assert.ok(history, `${code}: the other route has no history`);
        const { report, problems } = await applyRoute(`${code}_other${index}`, entry.python, history, other.steps, entry.models, entry.options);
        assert.deepEqual(problems, [], `${code} (${other.when}) with Django ${report.django}`);
        assert.equal(report.steps.length, other.steps.length);
      });
    });
  }
});

// The fixes, applied by the built CLI to a project, then applied by Django like the routes above.

const ADD_STATUS = [
  'from django.db import migrations, models',
  '',
  '',
  'class Migration(migrations.Migration):',
  '    dependencies = [("shop", "0001_initial")]',
  '',
  '    operations = [',
  '        migrations.AddField(',
  '            model_name="order",',
  '            name="status",',
  '            field=models.CharField(default="new", max_length=20),',
  '        ),',
  '    ]',
  '',
].join('\n');

const STATUS_MODELS = `${MODELS_HEADER}class Order(models.Model):\n    status = models.CharField(default="new", max_length=20)\n`;

const CREATE_IMPORT_TABLE = [
  'from django.db import migrations',
  '',
  '',
  'class Migration(migrations.Migration):',
  '    atomic = False',
  '',
  '    dependencies = [("shop", "0001_initial")]',
  '',
  '    operations = [',
  '        migrations.RunSQL("CREATE TABLE shop_import (id bigint PRIMARY KEY, status text)"),',
  '        migrations.RunSQL("CREATE INDEX import_status_idx ON shop_import (status)"),',
  '        migrations.RunSQL("ALTER TABLE shop_order ADD COLUMN legacy_ref text NULL"),',
  '        migrations.RunSQL("CREATE UNIQUE INDEX CONCURRENTLY order_legacy_ref_uniq ON shop_order (legacy_ref)"),',
  '    ]',
  '',
].join('\n');

/** Runs `migration-guard check --fix [flags]` on a project with the migration and models.py; returns both files after. */
async function fixWithCli(migration: string, models: string, djangoVersion: string, flags: string[]): Promise<{ migration: string; models: string; stderr: string }> {
  const dir = tempDir('mg-advice-fix-');
  const files: Record<string, string> = {
    'pyproject.toml': `[tool.migration-guard]\ndjango-version = "${djangoVersion}"\n`,
    'shop/__init__.py': '',
    'shop/migrations/__init__.py': '',
    'shop/migrations/0001_initial.py': ORDER_AS_MAKEMIGRATIONS_WRITES_IT,
    'shop/migrations/0002_change.py': migration,
    'shop/models.py': models,
  };
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, path)), { recursive: true });
    writeFileSync(join(dir, path), text);
  }
  const result = await run(process.execPath, [join(REPO_ROOT, 'dist', 'cli.js'), 'check', '.', '--fix', '--exit-zero', ...flags], { cwd: dir });
  assert.equal(result.status, 0, result.stderr);
  return { migration: readFileSync(join(dir, 'shop/migrations/0002_change.py'), 'utf8'), models: readFileSync(join(dir, 'shop/models.py'), 'utf8'), stderr: result.stderr };
}

describe('the fixes give projects Django accepts', () => {
  test('MG201 db_default= (Django 5.2): old code inserts; makemigrations finds no change, as the model changed too', async () => {
    const unfixed = await applyRoute('mg201_unfixed', DJANGO5_PYTHON, [ORDER_AS_MAKEMIGRATIONS_WRITES_IT], [ADD_STATUS], STATUS_MODELS);
    assert.ok(unfixed.problems.some((problem) => /code deployed before it cannot insert Order: IntegrityError/.test(problem)), `the test sees the hazard:\n${unfixed.problems.join('\n')}`);
    const fixed = await fixWithCli(ADD_STATUS, STATUS_MODELS, '5.2', []);
    assert.match(fixed.migration, /db_default="new"/);
    assert.match(fixed.models, /status = models\.CharField\(default="new", max_length=20, db_default="new"\)/);
    const { problems } = await applyRoute('mg201_db_default', DJANGO5_PYTHON, [ORDER_AS_MAKEMIGRATIONS_WRITES_IT], [fixed.migration], fixed.models);
    assert.deepEqual(problems, []);
    // The migration alone, with the model left behind: makemigrations writes an AlterField that undoes it.
    const modelBehind = await applyRoute('mg201_model_behind', DJANGO5_PYTHON, [ORDER_AS_MAKEMIGRATIONS_WRITES_IT], [fixed.migration], STATUS_MODELS);
    assert.ok(modelBehind.problems.some((problem) => /makemigrations --check --dry-run finds changes/.test(problem)), modelBehind.problems.join('\n'));
  });

  test('MG201 null=True (Debian Django 3.2, --unsafe-fixes): old code inserts; makemigrations finds no change', async () => {
    const fixed = await fixWithCli(ADD_STATUS, STATUS_MODELS, '3.2', ['--unsafe-fixes']);
    assert.match(fixed.models, /status = models\.CharField\(default="new", max_length=20, null=True\)/);
    const { problems } = await applyRoute('mg201_null', DEBIAN_PYTHON, [ORDER_AS_MAKEMIGRATIONS_WRITES_IT], [fixed.migration], fixed.models);
    assert.deepEqual(problems, []);
  });

  test('MG302 inverse reverse_sql (Debian Django 3.2): forward, back to zero and forward again', async () => {
    const models = `${MODELS_HEADER}class Order(models.Model):\n    pass\n`;
    const fixed = await fixWithCli(CREATE_IMPORT_TABLE, models, '3.2', ['--unsafe-fixes']);
    assert.match(fixed.migration, /reverse_sql="DROP TABLE IF EXISTS shop_import"/);
    assert.match(fixed.migration, /reverse_sql="DROP INDEX CONCURRENTLY IF EXISTS order_legacy_ref_uniq"/);
    const { problems } = await applyRoute('mg302_inverse', DEBIAN_PYTHON, [ORDER_AS_MAKEMIGRATIONS_WRITES_IT], [fixed.migration], models);
    assert.deepEqual(problems, []);
    const noop = await applyRoute('mg302_noop', DEBIAN_PYTHON, [ORDER_AS_MAKEMIGRATIONS_WRITES_IT], [CREATE_IMPORT_TABLE.replace(/"\)\,\n/g, '", reverse_sql=migrations.RunSQL.noop),\n')], models);
    assert.ok(noop.problems.some((problem) => /forward again\) failed/.test(problem)), `with RunSQL.noop, migrating forward again fails:\n${noop.problems.join('\n')}`);
  });
});
