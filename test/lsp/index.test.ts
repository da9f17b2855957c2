// The workspace index over a real LSP connection: built at start-up with work-done progress, it gives an
// opened migration the project state of migrations that are not open; edits to an open migration, files
// changed on disk (watched-file events) and apps.py labels keep it fresh.
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { FileChangeType, type Diagnostic } from 'vscode-languageserver-protocol/node';
import { TestClient, has, lacks, makeProject, rangeOf, uriOf } from './client';
import { SHOP_0001, SHOP_0002 } from '../helpers/migrations';


/** `note` becomes NOT NULL: MG106 only when the state says it was `null=True` (0001, not open). */
export const BILLING_0001 = [
  'from django.db import migrations, models',
  'import django.db.models.deletion',
  '',
  '',
  'class Migration(migrations.Migration):',
  '    initial = True',
  '    dependencies = [("shop", "0001_initial")]',
  '',
  '    operations = [',
  '        migrations.CreateModel(',
  '            name="Invoice",',
  '            fields=[',
  '                ("id", models.BigAutoField(primary_key=True)),',
  '                ("order", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to="shop.order")),',
  '            ],',
  '        ),',
  '    ]',
  '',
].join('\n');

/** A second leaf of `shop` when it is on disk: MG501 on every leaf. */
const SHOP_0003_BRANCH = SHOP_0002.replace('name="note",\n            field=models.CharField(max_length=100, default=""),', 'name="note",\n            field=models.CharField(max_length=200, null=True),');

export const TWO_APPS = {
  'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "site_conf.settings")\n',
  'site_conf/__init__.py': '',
  'site_conf/settings.py': 'SECRET_KEY = "x"\nINSTALLED_APPS = ["shop", "billing"]\n',
  'shop/__init__.py': '',
  'shop/apps.py': 'from django.apps import AppConfig\n\n\nclass ShopConfig(AppConfig):\n    name = "shop"\n',
  'shop/migrations/__init__.py': '',
  'shop/migrations/0001_initial.py': SHOP_0001,
  'shop/migrations/0002_order_note_required.py': SHOP_0002,
  'billing/__init__.py': '',
  'billing/migrations/__init__.py': '',
  'billing/migrations/0001_initial.py': BILLING_0001,
};

describe('workspace index', () => {
  const project = makeProject(TWO_APPS);
  const first = project.path('shop/migrations/0001_initial.py');
  const second = project.path('shop/migrations/0002_order_note_required.py');
  const noteLine = SHOP_0001.split('\n').findIndex((line) => line.includes('("note"'));
  let client: TestClient;

  before(async () => {
    client = new TestClient({ rootPath: project.root, workDoneProgress: true });
    await client.initialize();
  });

  after(async () => {
    await client.dispose();
    project.dispose();
  });

  /** Waits until the diagnostics of (open) 0002 satisfy `predicate`. */
  const secondDiagnostics = (predicate: (d: Diagnostic[]) => boolean) => client.waitForDiagnostics(uriOf(second), predicate);

  test('indexes at start-up with work-done progress, and watches migrations, apps.py and settings', async () => {
    const end = await client.waitFor(() => client.progress.find((p) => p.value.kind === 'end'), 'the end of the indexing progress');
    const begin = client.progress.find((p) => p.value.kind === 'begin');
    assert.ok(begin, 'a begin before the end');
    assert.equal(begin.token, end.token);
    assert.ok(client.progressTokens.includes(begin.token), 'created with window/workDoneProgress/create');
    assert.equal((begin.value as { title: string }).title, 'Migration Guard: indexing 3 migrations');
    assert.ok(client.progress.indexOf(begin) < client.progress.indexOf(end));
    await client.waitFor(() => (client.logs.some((line) => /^Indexed 3 migrations \(\d+ Python files\) of .* in \d+ ms$/.test(line)) ? true : undefined), 'the index log line');
    assert.ok(client.registrations.includes('workspace/didChangeWatchedFiles'));
  });

  test('an opened migration knows the state left by a migration that is not open', async () => {
    const uri = await client.open(second, SHOP_0002);
    const diagnostics = await client.waitForCurrent(uri, has('MG106'));
    const mg106 = diagnostics.find((d) => d.code === 'MG106')!;
    assert.match(mg106.message as string, /`note`/);
    assert.deepEqual(mg106.range.start, rangeOf(SHOP_0002, 'migrations.AlterField(').start);
    // relatedInformation: where `note` was defined nullable, in the other (unopened) file.
    assert.equal(mg106.relatedInformation?.length, 1);
    const [related] = mg106.relatedInformation!;
    assert.equal(related.location.uri, uriOf(first));
    assert.equal(related.location.range.start.line, noteLine);
    assert.match(related.message, /`note`.*null=True/);
    assert.ok(lacks('MG501')(diagnostics) && lacks('MG502')(diagnostics), 'one leaf, every dependency known');
  });

  test('editing the open 0001 updates the diagnostics of the open 0002 that depends on it', async () => {
    const uri = await client.open(first, SHOP_0001);
    await client.waitForCurrent(uri);
    await secondDiagnostics(has('MG106'));
    // `note` NOT NULL from the start: 0002 changes nothing about NULLs.
    await client.change(uri, rangeOf(client.text(uri), 'max_length=100, null=True'), 'max_length=100');
    await secondDiagnostics(lacks('MG106'));
    await client.change(uri, rangeOf(client.text(uri), 'max_length=100)'), 'max_length=100, null=True)');
    await secondDiagnostics(has('MG106'));
    // Two lines added above: the related location follows the live text of 0001, not the file on disk.
    await client.change(uri, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, '# one\n# two\n');
    await secondDiagnostics((d) => d.find((x) => x.code === 'MG106')?.relatedInformation?.[0].location.range.start.line === noteLine + 2);
    // Closed without saving: the file on disk counts again.
    await client.close(uri);
    await secondDiagnostics((d) => d.find((x) => x.code === 'MG106')?.relatedInformation?.[0].location.range.start.line === noteLine);
  });

  test('files created, changed and deleted on disk (watched-file events) update the index', async () => {
    // Changed: 0001 on disk without null=True.
    writeFileSync(first, SHOP_0001.replace('max_length=100, null=True', 'max_length=100'));
    await client.fileChanged(first);
    await secondDiagnostics(lacks('MG106'));
    writeFileSync(first, SHOP_0001);
    await client.fileChanged(first);
    await secondDiagnostics(has('MG106'));
    // Created: a second leaf of `shop` (the graph changes: MG501 on the open 0002).
    const branch = project.write('shop/migrations/0003_order_note_longer.py', SHOP_0003_BRANCH.replace('("shop", "0001_initial")', '("shop", "0001_initial")'));
    await client.fileChanged(branch, FileChangeType.Created);
    const conflict = await secondDiagnostics(has('MG501'));
    const mg501 = conflict.find((d) => d.code === 'MG501')!;
    assert.match(mg501.message as string, /0003_order_note_longer/);
    assert.equal(mg501.relatedInformation?.[0].location.uri, uriOf(branch));
    // Deleted: one leaf again.
    rmSync(branch);
    await client.fileChanged(branch, FileChangeType.Deleted);
    await secondDiagnostics(lacks('MG501'));
    // A deleted migrations folder takes its migrations with it: 0002's dependency is gone (MG502).
    rmSync(first);
    await client.fileChanged(project.path('shop/migrations'), FileChangeType.Deleted);
    await secondDiagnostics(has('MG502'));
    writeFileSync(first, SHOP_0001);
    await client.fileChanged(first, FileChangeType.Created);
    await secondDiagnostics((d) => has('MG106')(d) && lacks('MG502')(d));
  });

  test('Lint Workspace uses the same index', async () => {
    await client.close(uriOf(second));
    const result = await client.lintWorkspace();
    assert.equal(result.files, 4, 'three migrations and the settings module');
    const diagnostics = await client.waitForDiagnostics(uriOf(second), has('MG106'));
    assert.equal(diagnostics.find((d) => d.code === 'MG106')!.relatedInformation?.[0].location.uri, uriOf(first));
    // A change on disk upstream re-lints the files Lint Workspace published, too.
    writeFileSync(first, SHOP_0001.replace('max_length=100, null=True', 'max_length=100'));
    await client.fileChanged(first);
    await client.waitForDiagnostics(uriOf(second), lacks('MG106'));
    writeFileSync(first, SHOP_0001);
    await client.fileChanged(first);
    await client.waitForDiagnostics(uriOf(second), has('MG106'));
  });
});

describe('workspace index without progress support', () => {
  test('the index is still built (no progress token is created) and used', async () => {
    const project = makeProject(TWO_APPS);
    const client = new TestClient({ rootPath: project.root });
    try {
      await client.initialize();
      const uri = await client.open(project.path('shop/migrations/0002_order_note_required.py'), SHOP_0002);
      await client.waitForDiagnostics(uri, has('MG106'));
      assert.deepEqual(client.progressTokens, []);
      assert.deepEqual(client.progress, []);
    } finally {
      await client.dispose();
      project.dispose();
    }
  });

  test('without a workspace folder, a migration is linted alone: no history, graph rules silent', async () => {
    const project = makeProject(TWO_APPS);
    const client = new TestClient();
    try {
      await client.initialize();
      const uri = await client.open(project.path('shop/migrations/0002_order_note_required.py'), SHOP_0002.replace('"0001_initial"', '"0009_missing"'));
      const diagnostics = await client.waitForCurrent(uri);
      assert.ok(lacks('MG106')(diagnostics) && lacks('MG502')(diagnostics), JSON.stringify(diagnostics));
    } finally {
      await client.dispose();
      project.dispose();
    }
  });
});

describe('settings modules in the index', () => {
  const settingsWith = (options: string) => [
    'SECRET_KEY = "x"',
    'INSTALLED_APPS = ["shop", "billing"]',
    'DATABASES = {',
    '    "default": {',
    '        "ENGINE": "django.db.backends.postgresql",',
    '        "NAME": "shop",',
    `        "OPTIONS": {"options": "${options}"},`,
    '    }',
    '}',
    '',
  ].join('\n');
  const without = settingsWith('-c statement_timeout=30000');
  const withLockTimeout = settingsWith('-c statement_timeout=30000 -c lock_timeout=4000');

  test('a migration knows the settings module that is not open (MG110), on disk and as it is edited', async () => {
    const project = makeProject({ ...TWO_APPS, 'site_conf/settings.py': without });
    const settings = project.path('site_conf/settings.py');
    const client = new TestClient({ rootPath: project.root });
    try {
      await client.initialize();
      const uri = await client.open(project.path('shop/migrations/0002_order_note_required.py'), SHOP_0002);
      const diagnostics = await client.waitForCurrent(uri, has('MG110'));
      const mg110 = diagnostics.find((d) => d.code === 'MG110')!;
      assert.equal(mg110.relatedInformation?.[0].location.uri, uriOf(settings), 'related: the settings entry');
      // On disk: the settings gain a lock_timeout.
      writeFileSync(settings, withLockTimeout);
      await client.fileChanged(settings);
      await client.waitForDiagnostics(uri, lacks('MG110'));
      // Edited in the editor (not saved): the open migration follows the live text.
      const settingsUri = await client.open(settings, withLockTimeout);
      await client.waitForCurrent(settingsUri);
      await client.change(settingsUri, rangeOf(client.text(settingsUri), ' -c lock_timeout=4000'), '');
      await client.waitForDiagnostics(uri, has('MG110'));
      // Closed without saving: the file on disk (with the timeout) counts again.
      await client.close(settingsUri);
      await client.waitForDiagnostics(uri, lacks('MG110'));
    } finally {
      await client.dispose();
      project.dispose();
    }
  });
});

describe('excluded files', () => {
  test('excluded folders stay out of the index, also through watched events, until the exclude setting changes', async () => {
    // shop's 0002 depends on a legacy migration that does not exist: MG502 only when `legacy` is indexed.
    const project = makeProject({
      ...TWO_APPS,
      'pyproject.toml': '[tool.migration-guard]\nexclude = ["legacy/**"]\n',
      'legacy/migrations/__init__.py': '',
      'legacy/migrations/0001_initial.py': SHOP_0001,
    });
    const text = SHOP_0002.replace('[("shop", "0001_initial")]', '[("shop", "0001_initial"), ("legacy", "0002_missing")]');
    const client = new TestClient({ rootPath: project.root });
    try {
      await client.initialize();
      const uri = await client.open(project.path('shop/migrations/0002_order_note_required.py'), text);
      await client.waitForCurrent(uri, has('MG106'));
      assert.ok(lacks('MG502')(client.diagnostics.get(uri)!.diagnostics), 'legacy is excluded: an external app');
      // A watched event inside the excluded folder changes nothing.
      const added = project.write('legacy/migrations/0003_more.py', SHOP_0002.replace('"shop", "0001_initial"', '"legacy", "0001_initial"'));
      await client.fileChanged(added, FileChangeType.Created);
      // Events are applied in order: once a later one (0001 on disk loses null=True) shows, the first was seen.
      const first = project.path('shop/migrations/0001_initial.py');
      writeFileSync(first, SHOP_0001.replace('max_length=100, null=True', 'max_length=100'));
      await client.fileChanged(first);
      await client.waitForDiagnostics(uri, lacks('MG106'));
      assert.ok(lacks('MG502')(client.diagnostics.get(uri)!.diagnostics));
      // The exclude goes: the folder is indexed again, legacy is a workspace app without 0002_missing.
      const pyproject = project.write('pyproject.toml', '[tool.migration-guard]\n');
      await client.fileChanged(pyproject);
      await client.waitForDiagnostics(uri, has('MG502'));
      await client.waitFor(() => (client.logs.some((line) => /exclude setting .* changed: indexing it again/.test(line)) ? true : undefined), 'the re-index log line');
    } finally {
      await client.dispose();
      project.dispose();
    }
  });
});

describe('a cycle in the graph (a hand-edited squash)', () => {
  test('migrations of a cycle are still linted; nothing crashes', async () => {
    const project = makeProject({
      ...TWO_APPS,
      // shop 0001 depends on billing 0001, which depends on shop 0001.
      'shop/migrations/0001_initial.py': SHOP_0001.replace('dependencies = []', 'dependencies = [("billing", "0001_initial")]'),
    });
    const client = new TestClient({ rootPath: project.root });
    try {
      await client.initialize();
      const uri = await client.open(project.path('shop/migrations/0002_order_note_required.py'), SHOP_0002);
      await client.waitForCurrent(uri);
      assert.ok(client.logs.every((line) => !/failed|exception|Maximum call stack/i.test(line)), client.logs.join('\n'));
      assert.equal(client.stderr, '');
    } finally {
      await client.dispose();
      project.dispose();
    }
  });
});

describe('app labels', () => {
  test('apps.py changes the label: the app\'s migrations are indexed again under it', async () => {
    // shop's 0002 depends on `payments`, which is billing's label only while apps.py says so.
    const project = makeProject({
      ...TWO_APPS,
      'billing/apps.py': 'from django.apps import AppConfig\n\n\nclass BillingConfig(AppConfig):\n    name = "billing"\n    label = "payments"\n',
    });
    const second = project.path('shop/migrations/0002_order_note_required.py');
    const text = SHOP_0002.replace('[("shop", "0001_initial")]', '[("shop", "0001_initial"), ("payments", "0002_missing")]');
    const client = new TestClient({ rootPath: project.root });
    try {
      await client.initialize();
      const uri = await client.open(second, text);
      // `payments` is a workspace app without 0002_missing: MG502.
      await client.waitForDiagnostics(uri, has('MG502'));
      const apps = project.write('billing/apps.py', 'from django.apps import AppConfig\n\n\nclass BillingConfig(AppConfig):\n    name = "billing"\n');
      await client.fileChanged(apps);
      // Now `payments` is no workspace app (an external one): nothing can be said.
      await client.waitForDiagnostics(uri, lacks('MG502'));
    } finally {
      await client.dispose();
      project.dispose();
    }
  });
});
