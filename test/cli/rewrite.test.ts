// `migration-guard rewrite FILE:LINE [--diff]`, the built CLI in a child process: writes the edited migration and
// the follow-ups (then `check` finds no warning), prints their diff without writing, and says why when it cannot.
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { ROOT, run, runJson } from './helpers';

const dirs: string[] = [];

function project(name: string): string {
  const dir = realpathSync(mkdtempSync(join(tmpdir(), 'mg-cli-rewrite-')));
  dirs.push(dir);
  cpSync(join(ROOT, 'test', 'fixtures', 'rewrite', name), dir, { recursive: true });
  return dir;
}

const migrations = (dir: string) => readdirSync(join(dir, 'shop', 'migrations')).filter((name) => /^\d{4}_/.test(name)).sort();

describe('migration-guard rewrite', () => {
  after(() => {
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  test('writes the rewritten migration and its follow-up; `check` then finds no warning', () => {
    const dir = project('remove-field');
    const before = runJson(['.'], dir);
    assert.ok(before.findings.some((finding) => finding.code === 'MG202'));
    const result = run(['rewrite', 'shop/migrations/0002_remove_order_note.py:11'], dir);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^MG202: remove `note` from the state now \(the column made nullable\), drop `note` after the deploy\n  edited  shop\/migrations\/0002_remove_order_note\.py\n  created shop\/migrations\/0003_remove_order_note_column\.py\n$/);
    assert.deepEqual(migrations(dir), ['0001_initial.py', '0002_remove_order_note.py', '0003_remove_order_note_column.py']);
    assert.match(readFileSync(join(dir, 'shop/migrations/0002_remove_order_note.py'), 'utf8'), /SeparateDatabaseAndState/);
    const afterRewrite = runJson(['.'], dir);
    assert.deepEqual(afterRewrite.findings.filter((finding) => finding.severity !== 'info').map((finding) => `${finding.filename} ${finding.code}`), []);
    assert.equal(afterRewrite.status, 0);
  });

  test('a rename is rewritten in the migration and in models.py (db_column keeps the column), no new file', () => {
    const dir = project('rename-field');
    const result = run(['rewrite', 'shop/migrations/0002_rename_note_order_comment.py:11'], dir);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^MG204: .*\n  edited  shop\/migrations\/0002_rename_note_order_comment\.py\n  edited  shop\/models\.py\n$/);
    assert.match(readFileSync(join(dir, 'shop/models.py'), 'utf8'), /comment = models\.TextField\(null=True, db_column="note"\)/);
    assert.deepEqual(migrations(dir), ['0001_initial.py', '0002_rename_note_order_comment.py']);
    const afterRewrite = runJson(['.'], dir);
    assert.deepEqual(afterRewrite.findings.filter((finding) => finding.severity !== 'info').map((finding) => `${finding.filename} ${finding.code}`), []);
  });

  test('a NOT NULL column before Django 5.0: added nullable, backfilled in batches (atomic = False), then MG106\'s route', () => {
    const dir = project('add-not-null');
    assert.ok(runJson(['.'], dir).findings.some((finding) => finding.code === 'MG201'));
    const result = run(['rewrite', 'shop/migrations/0002_order_status.py:11'], dir);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^MG201: add `status` nullable, backfill it in batches, then make it NOT NULL through a validated CHECK\n  edited  shop\/migrations\/0002_order_status\.py\n  created shop\/migrations\/0003_backfill_order_status\.py\n  created shop\/migrations\/0004_order_order_status_not_null_not_valid\.py\n  created shop\/migrations\/0005_order_validate_order_status_not_null\.py\n  created shop\/migrations\/0006_alter_order_status_and_more\.py\n$/);
    assert.match(readFileSync(join(dir, 'shop/migrations/0002_order_status.py'), 'utf8'), /field=models\.CharField\(max_length=20, null=True\),/);
    const backfill = readFileSync(join(dir, 'shop/migrations/0003_backfill_order_status.py'), 'utf8');
    assert.match(backfill, /\n    atomic = False\n/);
    assert.match(backfill, /\.filter\(pk__gte=start, pk__lt=start \+ 1000, status__isnull=True\)\.update\(status="new"\)/);
    assert.match(backfill, /reverse_code=migrations\.RunPython\.noop/);
    const afterRewrite = runJson(['.'], dir);
    assert.deepEqual(afterRewrite.findings.filter((finding) => finding.severity !== 'info').map((finding) => `${finding.filename} ${finding.code}`), []);
  });

  test('on Django 5.0 and later MG201 is not rewritten: the db_default fix is the one step it takes', () => {
    const dir = project('add-not-null');
    writeFileSync(join(dir, 'pyproject.toml'), '[tool.migration-guard]\ndjango-version = "5.2"\n');
    const result = run(['rewrite', 'shop/migrations/0002_order_status.py:11'], dir);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /MG201: not rewritten: on Django 5\.0 and later, `db_default=` \(the quick fix\) makes the column safe in one step/);
  });

  test('a unique constraint: the index built CONCURRENTLY and attached USING INDEX, the migration made atomic = False', () => {
    const dir = project('unique-constraint');
    assert.ok(runJson(['.'], dir).findings.some((finding) => finding.code === 'MG103'));
    const result = run(['rewrite', 'shop/migrations/0002_order_order_reference_uniq.py:11'], dir);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^MG103: build the unique index `order_reference_uniq` CONCURRENTLY, then attach it as the constraint \(atomic = False\)\n  edited  shop\/migrations\/0002_order_order_reference_uniq\.py\n$/);
    const text = readFileSync(join(dir, 'shop/migrations/0002_order_order_reference_uniq.py'), 'utf8');
    assert.match(text, /class Migration\(migrations\.Migration\):\n\n    atomic = False\n\n    dependencies/);
    assert.match(text, /sql='CREATE UNIQUE INDEX CONCURRENTLY "order_reference_uniq" ON "shop_order" \("reference"\)'/);
    assert.match(text, /sql='ALTER TABLE "shop_order" ADD CONSTRAINT "order_reference_uniq" UNIQUE USING INDEX "order_reference_uniq"'/);
    assert.deepEqual(migrations(dir), ['0001_initial.py', '0002_order_order_reference_uniq.py']);
    const afterRewrite = runJson(['.'], dir);
    assert.deepEqual(afterRewrite.findings.filter((finding) => finding.severity !== 'info').map((finding) => `${finding.filename} ${finding.code}`), []);
  });

  test('a unique constraint after other operations moves to a migration of its own; before others, it is not rewritten', () => {
    const moved = project('unique-constraint-moved');
    const result = run(['rewrite', 'shop/migrations/0002_order_order_reference_uniq.py:15'], moved);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /in a migration of its own\n  edited  shop\/migrations\/0002_order_order_reference_uniq\.py\n  created shop\/migrations\/0003_order_order_reference_uniq\.py\n$/);
    const current = readFileSync(join(moved, 'shop/migrations/0002_order_order_reference_uniq.py'), 'utf8');
    assert.match(current, /migrations\.AlterModelOptions\(/);
    assert.doesNotMatch(current, /migrations\.AddConstraint|atomic = /);
    assert.match(readFileSync(join(moved, 'shop/migrations/0003_order_order_reference_uniq.py'), 'utf8'), /\n    atomic = False\n[\s\S]*CREATE UNIQUE INDEX CONCURRENTLY/);
    assert.deepEqual(runJson(['.'], moved).findings.filter((finding) => finding.severity !== 'info').map((finding) => `${finding.filename} ${finding.code}`), []);

    const dir = project('unique-constraint');
    const path = join(dir, 'shop/migrations/0002_order_order_reference_uniq.py');
    writeFileSync(path, readFileSync(path, 'utf8').replace('        ),\n    ]\n', '        ),\n        migrations.AlterField(model_name="order", name="note", field=models.TextField(null=True, blank=True)),\n    ]\n'));
    const refused = run(['rewrite', 'shop/migrations/0002_order_order_reference_uniq.py:11'], dir);
    assert.equal(refused.status, 1);
    assert.match(refused.stderr, /MG103: not rewritten: the migration has operations after this one, which would then run before it/);
  });

  test('a foreign key constraint turned on: NOT VALID now under Django\'s own constraint name, VALIDATE in the follow-up', () => {
    const dir = project('foreign-key');
    assert.ok(runJson(['.'], dir).findings.some((finding) => finding.code === 'MG105'));
    const result = run(['rewrite', 'shop/migrations/0002_alter_order_coupon.py:12'], dir);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^MG105: add the foreign key of `coupon_id` NOT VALID, then validate it in the next migration\n  edited  shop\/migrations\/0002_alter_order_coupon\.py\n  created shop\/migrations\/0003_validate_order_coupon_fk\.py\n$/);
    assert.match(readFileSync(join(dir, 'shop/migrations/0002_alter_order_coupon.py'), 'utf8'), /ADD CONSTRAINT "shop_order_coupon_id_b64bb177_fk_shop_coupon_id" FOREIGN KEY \("coupon_id"\) REFERENCES "shop_coupon" \("id"\) DEFERRABLE INITIALLY DEFERRED NOT VALID'/);
    assert.match(readFileSync(join(dir, 'shop/migrations/0003_validate_order_coupon_fk.py'), 'utf8'), /VALIDATE CONSTRAINT "shop_order_coupon_id_b64bb177_fk_shop_coupon_id"/);
    const afterRewrite = runJson(['.'], dir);
    assert.deepEqual(afterRewrite.findings.filter((finding) => finding.severity !== 'info').map((finding) => `${finding.filename} ${finding.code}`), []);
  });

  test('a model rename is rewritten in the migration and in models.py (Meta.db_table keeps the table), no new file', () => {
    const dir = project('rename-model');
    assert.ok(runJson(['.'], dir).findings.some((finding) => finding.code === 'MG205'));
    const result = run(['rewrite', 'shop/migrations/0002_rename_order_purchase.py:11'], dir);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^MG205: rename `Order` to `Purchase` in the state only, keeping table `shop_order`\n  edited  shop\/migrations\/0002_rename_order_purchase\.py\n  edited  shop\/models\.py\n$/);
    assert.match(readFileSync(join(dir, 'shop/models.py'), 'utf8'), /class Purchase\(models\.Model\):\n    note = models\.TextField\(null=True\)\n\n    class Meta:\n        db_table = "shop_order"\n/);
    assert.match(readFileSync(join(dir, 'shop/migrations/0002_rename_order_purchase.py'), 'utf8'), /migrations\.AlterModelTable\(\n\s+name="purchase",\n\s+table="shop_order",/);
    assert.deepEqual(migrations(dir), ['0001_initial.py', '0002_rename_order_purchase.py']);
    const afterRewrite = runJson(['.'], dir);
    assert.deepEqual(afterRewrite.findings.filter((finding) => finding.severity !== 'info').map((finding) => `${finding.filename} ${finding.code}`), []);
  });

  test('--diff prints every file\'s diff and writes nothing', () => {
    const dir = project('set-not-null');
    const original = readFileSync(join(dir, 'shop/migrations/0002_alter_order_note.py'), 'utf8');
    const result = run(['rewrite', 'shop/migrations/0002_alter_order_note.py:11', '--diff'], dir);
    assert.equal(result.status, 0, result.stderr);
    assert.match(result.stdout, /^--- a\/shop\/migrations\/0002_alter_order_note\.py\n\+\+\+ b\/shop\/migrations\/0002_alter_order_note\.py\n/);
    assert.match(result.stdout, /\n--- \/dev\/null\n\+\+\+ b\/shop\/migrations\/0003_order_validate_order_note_not_null\.py\n/);
    assert.match(result.stdout, /\n--- \/dev\/null\n\+\+\+ b\/shop\/migrations\/0004_alter_order_note_remove_order_order_note_not_null\.py\n/);
    assert.match(result.stdout, /^\+from django\.contrib\.postgres\.operations import AddConstraintNotValid$/m);
    assert.equal(readFileSync(join(dir, 'shop/migrations/0002_alter_order_note.py'), 'utf8'), original);
    assert.deepEqual(migrations(dir), ['0001_initial.py', '0002_alter_order_note.py']);
  });

  test('a migration that is not its app\'s latest is not rewritten, and the reason is printed (exit 1)', () => {
    const dir = project('set-not-null');
    writeFileSync(join(dir, 'shop/migrations/0003_later.py'), 'from django.db import migrations\n\n\nclass Migration(migrations.Migration):\n    dependencies = [("shop", "0002_alter_order_note")]\n    operations = []\n');
    const result = run(['rewrite', 'shop/migrations/0002_alter_order_note.py:11'], dir);
    assert.equal(result.status, 1);
    assert.match(result.stderr, /MG106: not rewritten: `0002_alter_order_note` is not the latest migration of `shop`/);
    assert.ok(!existsSync(join(dir, 'shop/migrations/0004_order_validate_order_note_not_null.py')));
  });

  test('a line without a finding that has a rewrite, and bad arguments', () => {
    const dir = project('set-not-null');
    const empty = run(['rewrite', 'shop/migrations/0002_alter_order_note.py:1'], dir);
    assert.equal(empty.status, 1);
    assert.match(empty.stderr, /no finding with a rewrite on this line; rules with one: MG103, MG105, MG106, MG201, MG202, MG203, MG204, MG205/);
    for (const args of [['rewrite'], ['rewrite', 'shop/migrations/0002_alter_order_note.py'], ['rewrite', 'nope.py:3'], ['rewrite', 'shop/migrations/0002_alter_order_note.py:999'], ['rewrite', 'shop/models.py:1']]) {
      const result = run(args, dir);
      assert.equal(result.status, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, /^migration-guard: error: /);
    }
  });
});
