// MG201's fixes change the field in the migration and in the app's models.py together (issue 13 item 13): the
// built CLI's --fix writes both files, --diff shows both, and without the model's field no fix is offered.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { cleanup, makeProject, migration, run, runJson } from './helpers';

const ADD_STATUS = migration('        migrations.AddField(model_name="order", name="status", field=models.CharField(max_length=20, default="new")),', { imports: 'from django.db import migrations, models' });

const MODELS = [
  'from django.db import models',
  '',
  '',
  'class Order(models.Model):',
  '    status = models.CharField(max_length=20, default="new")',
  '    note = models.TextField(verbose_name="café")',
  '',
].join('\n');

after(cleanup);

function project(models: string | undefined): string {
  return makeProject({
    'pyproject.toml': '[tool.migration-guard]\ndjango-version = "5.2"\n',
    'shop/__init__.py': '',
    'shop/migrations/__init__.py': '',
    'shop/migrations/0002_order_status.py': ADD_STATUS,
    ...(models === undefined ? {} : { 'shop/models.py': models }),
  });
}

function pythonParses(path: string): void {
  const parsed = spawnSync('python3', ['-c', 'import ast,sys; ast.parse(open(sys.argv[1], encoding="utf-8").read())', path]);
  assert.equal(parsed.status, 0, String(parsed.stderr));
}

describe('MG201 fixes edit models.py too', () => {
  test('--fix writes db_default= into the migration and the model; a second run changes nothing', () => {
    const dir = project(MODELS);
    const fixed = run(['check', '.', '--fix', '--exit-zero'], dir);
    assert.equal(fixed.status, 0, fixed.stderr);
    const migrationText = readFileSync(join(dir, 'shop/migrations/0002_order_status.py'), 'utf8');
    const modelsText = readFileSync(join(dir, 'shop/models.py'), 'utf8');
    assert.match(migrationText, /models\.CharField\(max_length=20, default="new", db_default="new"\)/);
    assert.equal(modelsText, MODELS.replace('default="new")', 'default="new", db_default="new")'));
    pythonParses(join(dir, 'shop/models.py'));
    const again = runJson(['.'], dir);
    assert.deepEqual(again.findings.filter((finding) => finding.code === 'MG201'), []);
  });

  test('--unsafe-fixes on Django 4.2 makes both nullable; --diff prints both files and writes neither', () => {
    const dir = project(MODELS);
    writeFileSync(join(dir, 'pyproject.toml'), '[tool.migration-guard]\ndjango-version = "4.2"\n');
    const diff = run(['check', '.', '--fix', '--unsafe-fixes', '--diff', '--exit-zero'], dir);
    assert.match(diff.stdout, /shop\/migrations\/0002_order_status\.py/);
    assert.match(diff.stdout, /\+    status = models\.CharField\(max_length=20, default="new", null=True\)/);
    assert.equal(readFileSync(join(dir, 'shop/models.py'), 'utf8'), MODELS);
    run(['check', '.', '--fix', '--unsafe-fixes', '--exit-zero'], dir);
    assert.match(readFileSync(join(dir, 'shop/models.py'), 'utf8'), /status = models\.CharField\(max_length=20, default="new", null=True\)/);
    assert.match(readFileSync(join(dir, 'shop/migrations/0002_order_status.py'), 'utf8'), /default="new", null=True\)/);
  });

  test('no models.py, or no such field in it: no fix, and the help says why', () => {
    for (const models of [undefined, MODELS.replace('    status = models.CharField(max_length=20, default="new")\n', '')]) {
      const dir = project(models);
      const result = runJson(['.'], dir);
      const finding = result.findings.find((candidate) => candidate.code === 'MG201');
      assert.ok(finding, result.stderr);
      assert.match(finding.help ?? '', /no automatic fix: `status` of model `order` was not found in `shop\/models\.py`/);
      const fixed = run(['check', '.', '--fix', '--unsafe-fixes', '--exit-zero'], dir);
      assert.equal(fixed.status, 0);
      assert.equal(readFileSync(join(dir, 'shop/migrations/0002_order_status.py'), 'utf8'), ADD_STATUS);
    }
  });
});
