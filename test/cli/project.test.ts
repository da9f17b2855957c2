// `check` knows the project around what it is given: the migration graph and the state left by the
// migrations before (related locations in text and JSON), even when only one file is named; findings are
// reported only for the paths asked for.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { SHOP_0001, SHOP_0002 } from '../helpers/migrations';
import { cleanup, locate, makeProject, run, runJson } from './helpers';

after(cleanup);

/** billing: an index on an existing table (MG101), to be reported only when billing is checked. */
const BILLING_0001 = 'from django.db import migrations, models\n\n\nclass Migration(migrations.Migration):\n    initial = True\n    dependencies = [("shop", "0001_initial")]\n\n    operations = [\n        migrations.CreateModel("Invoice", [("id", models.BigAutoField(primary_key=True)), ("number", models.IntegerField(null=True))]),\n    ]\n';
const BILLING_0002 = 'from django.db import migrations, models\n\n\nclass Migration(migrations.Migration):\n    dependencies = [("billing", "0001_initial")]\n\n    operations = [\n        migrations.AddIndex("invoice", models.Index(fields=["number"], name="invoice_number_idx")),\n    ]\n';

const SECOND = 'shop/migrations/0002_order_note_required.py';

function twoApps(extra: Record<string, string> = {}): string {
  return makeProject({
    'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "conf.settings")\n',
    'shop/__init__.py': '',
    'shop/migrations/__init__.py': '',
    'shop/migrations/0001_initial.py': SHOP_0001,
    [SECOND]: SHOP_0002,
    'billing/__init__.py': '',
    'billing/migrations/__init__.py': '',
    'billing/migrations/0001_initial.py': BILLING_0001,
    'billing/migrations/0002_invoice_number_idx.py': BILLING_0002,
    ...extra,
  });
}

describe('check indexes the project', () => {
  test('given only 0002, the state left by 0001 is known; related locations in JSON', () => {
    const dir = twoApps();
    const { findings, stderr } = runJson([SECOND], dir);
    assert.deepEqual(findings.map((finding) => finding.code), ['MG106'], stderr);
    const [finding] = findings;
    assert.equal(finding.filename, join(dir, SECOND));
    assert.equal(finding.related.length, 1);
    const [related] = finding.related;
    assert.deepEqual(Object.keys(related), ['filename', 'location', 'end_location', 'message']);
    assert.equal(related.filename, join(dir, 'shop/migrations/0001_initial.py'));
    assert.deepEqual(related.location, locate(SHOP_0001, '("note"'));
    assert.equal(related.end_location.row, related.location.row);
    assert.match(related.message, /`note`.*null=True/);
  });

  test('text output: a note line per related location, after the help line', () => {
    const dir = twoApps();
    const result = run(['check', SECOND], dir);
    assert.equal(result.status, 1, result.stderr);
    const lines = result.stdout.split('\n');
    const at = locate(SHOP_0002, 'migrations.AlterField(');
    assert.match(lines[0], new RegExp(`^shop/migrations/0002_order_note_required\\.py:${at.row}:${at.column}: MG106 `));
    assert.match(lines[1], /^ {2}help: Instead, /);
    const note = locate(SHOP_0001, '("note"');
    assert.match(lines[2], new RegExp(`^ {2}shop/migrations/0001_initial\\.py:${note.row}:${note.column}: note: \`note\`.*null=True`));
    assert.equal(lines[3], 'Found 1 problem (1 warning) in 1 file.');
  });

  test('from a subfolder, a relative path: the project root is found above (manage.py)', () => {
    const dir = twoApps();
    const { findings } = runJson(['migrations/0002_order_note_required.py'], join(dir, 'shop'));
    assert.deepEqual(findings.map((finding) => finding.code), ['MG106']);
    const shopOnly = runJson(['.'], join(dir, 'shop'));
    assert.deepEqual(shopOnly.findings.map((finding) => finding.code), ['MG106'], 'billing is indexed, not reported');
  });

  test('the whole project: every app reported; without a project marker, the file\'s own app is still known', () => {
    const dir = twoApps();
    const { findings } = runJson([], dir);
    assert.deepEqual(findings.map((finding) => finding.code).sort(), ['MG101', 'MG106']);
    const bare = makeProject({ 'shop/migrations/0001_initial.py': SHOP_0001, [SECOND]: SHOP_0002 });
    assert.deepEqual(runJson([SECOND], bare).findings.map((finding) => finding.code), ['MG106']);
  });

  test('the project\'s settings modules are indexed too: MG110 on a migration checked alone', () => {
    const settings = (options: string) => `SECRET_KEY = "x"\nDATABASES = {\n    "default": {\n        "ENGINE": "django.db.backends.postgresql",\n        "OPTIONS": {"options": "${options}"},\n    }\n}\n`;
    const dir = twoApps({ 'conf/__init__.py': '', 'conf/settings.py': settings('-c statement_timeout=30000') });
    const { findings } = runJson([SECOND], dir);
    const mg110 = findings.find((finding) => finding.code === 'MG110');
    assert.ok(mg110, JSON.stringify(findings.map((finding) => finding.code)));
    assert.equal(mg110.related[0].filename, join(dir, 'conf/settings.py'));
    const timed = twoApps({ 'conf/__init__.py': '', 'conf/settings.py': settings('-c statement_timeout=30000 -c lock_timeout=4000') });
    assert.ok(!runJson([SECOND], timed).findings.some((finding) => finding.code === 'MG110'));
  });

  test('graph rules see the migrations not given: a second leaf elsewhere in the app', () => {
    const dir = twoApps({ 'shop/migrations/0002_order_other.py': SHOP_0002.replace('max_length=100, default=""', 'max_length=100, null=True') });
    const { findings } = runJson([SECOND], dir);
    const conflict = findings.find((finding) => finding.code === 'MG501');
    assert.ok(conflict, JSON.stringify(findings));
    assert.equal(conflict.related[0].filename, join(dir, 'shop/migrations/0002_order_other.py'));
    assert.ok(findings.every((finding) => finding.filename === join(dir, SECOND)), 'only the file asked for');
  });
});
