// The table policy `[tool.migration-guard.tables]` through the built CLI: lock and rewrite findings on a large
// table become errors and say so, on a small table info (a brief lock); names and globs match the replayed
// db_table, for operations and for RunSQL statements alike.
import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import { cleanup, makeProject, migration, runJson } from './helpers';

const INITIAL = migration([
  '        migrations.CreateModel("Order", [("id", models.BigAutoField(primary_key=True)), ("note", models.TextField(null=True))]),',
  '        migrations.CreateModel("OrderLine", [("id", models.BigAutoField(primary_key=True)), ("sku", models.TextField(null=True))]),',
  '        migrations.CreateModel("Tag", [("id", models.BigAutoField(primary_key=True)), ("name", models.TextField(null=True))], options={"db_table": "shop_tag_small"}),',
  '        migrations.CreateModel("Coupon", [("id", models.BigAutoField(primary_key=True)), ("code", models.TextField(null=True))]),',
].join('\n'), { dependency: '' }).replace('    dependencies = [("shop", "")]', '    initial = True\n    dependencies = []');

const LOCKS = migration([
  '        migrations.AddIndex("order", models.Index(fields=["note"], name="order_note_idx")),',
  '        migrations.AddIndex("orderline", models.Index(fields=["sku"], name="line_sku_idx")),',
  '        migrations.AddIndex("tag", models.Index(fields=["name"], name="tag_name_idx")),',
  '        migrations.AddIndex("coupon", models.Index(fields=["code"], name="coupon_code_idx")),',
  '        migrations.RunSQL("CREATE INDEX coupon_code_sql ON shop_coupon (code)", reverse_sql="DROP INDEX coupon_code_sql"),',
  '        migrations.RunSQL("CREATE INDEX order_note_sql ON shop_order (note)", reverse_sql="DROP INDEX order_note_sql"),',
  '        migrations.RemoveField("tag", "name"),',
].join('\n'));

after(cleanup);

describe('[tool.migration-guard.tables]', () => {
  test('large: error, with "large table" in the message; small: info; unlisted: the rule\'s severity', () => {
    const root = makeProject({
      'manage.py': '',
      'pyproject.toml': '[tool.migration-guard]\nignore = ["MG110"]\n\n[tool.migration-guard.tables]\nlarge = ["shop_order", "shop_*line"]\nsmall = ["SHOP_TAG_*", "shop_coupon"]\n',
      'shop/__init__.py': '',
      'shop/migrations/__init__.py': '',
      'shop/migrations/0001_initial.py': INITIAL,
      'shop/migrations/0002_locks.py': LOCKS,
    });
    const { findings } = runJson(['--exit-zero', 'shop/migrations/0002_locks.py'], root);
    const summary = findings.map((f) => `${f.location.row}:${f.code}:${f.severity}`);
    assert.deepEqual(summary, ['8:MG101:error', '9:MG101:error', '10:MG101:info', '11:MG101:info', '12:MG101:info', '13:MG101:error', '14:MG202:warning']);
    const [order, line, tag, , sqlSmall, sqlLarge, removal] = findings;
    assert.match(order.message, /`shop_order` is a large table \(`\[tool\.migration-guard\.tables\]`\)\.$/);
    assert.match(line.message, /`shop_orderline` is a large table/);
    assert.match(tag.message, /`shop_tag_small` is a small table \(`\[tool\.migration-guard\.tables\]`\): the lock is brief\.$/);
    assert.match(sqlSmall.message, /`shop_coupon` is a small table/);
    assert.match(sqlLarge.message, /`shop_order` is a large table/);
    // A rolling-deploy finding is not a lock finding: a small table does not make the old code's queries work.
    assert.doesNotMatch(removal.message, /small table/);
  });

  test('a bad value is MG000 on its line and the rest of the policy still applies', () => {
    const root = makeProject({
      'manage.py': '',
      'pyproject.toml': '[tool.migration-guard]\nignore = ["MG110"]\n\n[tool.migration-guard.tables]\nlarge = ["shop_order"]\nsmall = 3\nhuge = ["x"]\n',
      'shop/__init__.py': '',
      'shop/migrations/__init__.py': '',
      'shop/migrations/0001_initial.py': INITIAL,
      'shop/migrations/0002_locks.py': LOCKS,
    });
    const { findings } = runJson(['--exit-zero', '.'], root);
    const config = findings.filter((f) => f.code === 'MG000').map((f) => `${f.location.row}:${f.message}`);
    assert.deepEqual(config, [
      '6:`tables.small` must be a list of table names or globs such as "shop_*line"; got 3',
      '7:unknown option `tables.huge` (expected `large` or `small`)',
    ]);
    assert.equal(findings.find((f) => f.code === 'MG101' && f.location.row === 8)?.severity, 'error');
    assert.equal(findings.find((f) => f.code === 'MG101' && f.location.row === 10)?.severity, 'warning');
  });
});
