import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { argument, isNewTable, parseMigration, tableName } from '../../server/src/analysis/migration';
import { initParser, parsePython } from '../../server/src/base/parser';

before(() => initParser());

const SOURCE = `
from django.conf import settings
from django.db import migrations, models
from django.contrib.postgres.operations import AddIndexConcurrently as AIC


class Migration(migrations.Migration):
    atomic = False
    initial = True
    replaces = [("shop", "0001_initial"), ("shop", "0002_order")]
    run_before = [("billing", "0001_initial")]
    dependencies = [
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
        ("catalog", "0003_product"),
    ]

    operations = [
        migrations.CreateModel(name="Order", fields=[], options={"db_table": "orders"}),
        migrations.AddField("Order", "total", models.DecimalField(max_digits=10, decimal_places=2, null=True, db_index=True)),
        migrations.SeparateDatabaseAndState(
            database_operations=[AIC("customer", models.Index(fields=["email"], name="customer_email_idx"))],
            state_operations=[migrations.RemoveField(model_name="customer", name="fax")],
        ),
        migrations.AlterField(model_name="customer", name="user", field=models.ForeignKey(on_delete=models.CASCADE, to=settings.AUTH_USER_MODEL, db_constraint=False)),
        somewhere.CustomOperation(),
    ]
`;

test('reads class attributes, dependencies and every operation with its scope', () => {
  const tree = parsePython(SOURCE);
  const migration = parseMigration('/p/shop/migrations/0003_squashed.py', tree.rootNode)!;
  assert.equal(migration.appLabel, 'shop');
  assert.equal(migration.name, '0003_squashed');
  assert.equal(migration.atomic, false);
  assert.equal(migration.initial, true);
  assert.deepEqual(migration.replaces.map((d) => [d.app, d.name]), [['shop', '0001_initial'], ['shop', '0002_order']]);
  assert.deepEqual(migration.runBefore.map((d) => [d.app, d.name]), [['billing', '0001_initial']]);
  assert.deepEqual(migration.dependencies.map((d) => [d.swappable, d.app, d.name]), [[true, undefined, undefined], [false, 'catalog', '0003_product']]);
  assert.deepEqual(migration.operations.map((op) => [op.kind, op.scope, op.modelName ?? null]), [
    ['CreateModel', 'both', 'order'],
    ['AddField', 'both', 'order'],
    ['SeparateDatabaseAndState', 'both', null],
    ['AddIndexConcurrently', 'database', 'customer'],
    ['RemoveField', 'state', 'customer'],
    ['AlterField', 'both', 'customer'],
    ['', 'both', null],
  ]);
  tree.delete();
});

test('parses field definitions, positional or keyword', () => {
  const tree = parsePython(SOURCE);
  const migration = parseMigration('/p/shop/migrations/0003_squashed.py', tree.rootNode)!;
  const addField = migration.operations[1];
  assert.equal(addField.fieldName, 'total');
  assert.equal(argument(addField, 'name')?.text, '"total"');
  const total = addField.field!;
  assert.deepEqual([total.type, total.null, total.dbIndex, total.unique, total.hasDefault], ['DecimalField', true, true, false, false]);
  const user = migration.operations[5].field!;
  assert.deepEqual([user.type, user.isRelation, user.dbConstraint, user.dbIndex, user.to?.text], ['ForeignKey', true, false, true, 'settings.AUTH_USER_MODEL']);
  assert.equal(isNewTable(migration, addField), true);
  assert.equal(isNewTable(migration, migration.operations[3]), false);
  assert.equal(tableName(migration, 'order'), 'orders');
  assert.equal(tableName(migration, 'customer'), 'shop_customer');
  tree.delete();
});

test('a file without a Migration class, or half-typed, does not throw', () => {
  for (const text of ['', 'class Migration:\n    pass\n', 'class Migration(migrations.Migration):\n    operations = [\n        migrations.AddField(model_name=', 'class Migration(migrations.Migration)\n  operations = [migrations.RunPython(']) {
    const tree = parsePython(text);
    const migration = parseMigration('/p/shop/migrations/0004_x.py', tree.rootNode);
    if (text.startsWith('class Migration:')) assert.equal(migration, undefined);
    tree.delete();
  }
});
