// The RunPython code analysis behind MG303–MG306: which function is passed, its signature, the names it sees,
// and the querysets it builds.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { databaseOperations, parseMigration, type Migration } from '../../server/src/analysis/migration';
import {
  acceptsTwoPositional, doesNothing, functionScope, importedModel, importedModelsUsed, isWholeTable, querySetChain, runPythonCode, signature,
} from '../../server/src/analysis/python-functions';
import { defaultConfig } from '../../server/src/config/defaults';
import { lintSource } from '../../server/src/engine/lint';
import { initParser, parsePython } from '../../server/src/base/parser';
import { Workspace } from '../../server/src/engine/workspace';

before(() => initParser());

function migrationOf(prelude: string, operations: string[], classBody = ''): Migration {
  const text = `from django.db import migrations, models\n\n${prelude}\n\nclass Migration(migrations.Migration):\n${classBody}    operations = [\n${operations.map((op) => `        ${op},\n`).join('')}    ]\n`;
  return parseMigration('/p/shop/migrations/0002_data.py', parsePython(text).rootNode)!;
}

test('resolves defs, lambdas, RunPython.noop and class-body functions; imported or rebound names are unknown', () => {
  const migration = migrationOf(
    'from shop.helpers import imported\n\ndef forwards(apps, schema_editor):\n    pass\n\nrebound = forwards\nnamed = lambda apps, schema_editor: None\n',
    ['migrations.RunPython(forwards, migrations.RunPython.noop)', 'migrations.RunPython(lambda apps: None, named)', 'migrations.RunPython(imported, rebound)', 'migrations.RunPython(in_class, None)'],
    '    def in_class(apps, schema_editor):\n        pass\n\n',
  );
  const [first, second, third, fourth] = databaseOperations(migration, 'RunPython').map((op) => runPythonCode(migration, op));
  assert.equal(first.forward?.kind, 'def');
  assert.equal(first.forward?.name, 'forwards');
  assert.equal(first.reverse?.kind, 'noop');
  assert.equal(second.forward?.kind, 'lambda');
  assert.equal(second.reverse?.kind, 'lambda');
  assert.equal(third.forward, undefined);
  assert.equal(third.reverse, undefined);
  assert.equal(fourth.forward?.name, 'in_class');
  assert.equal(fourth.reverse, undefined);
});

test('a function accepts (apps, schema_editor) when two positional arguments fit', () => {
  const cases: [string, boolean][] = [
    ['def f(apps, schema_editor): pass', true],
    ['def f(a, b, c=1, *, d=2, **kw): pass', true],
    ['def f(*args): pass', true],
    ['def f(a, *args: object): pass', true],
    ['def f(a, b, /): pass', true],
    ['def f(a: int, b: int = 0, c: int = 0): pass', true],
    ['def f(apps): pass', false],
    ['def f(): pass', false],
    ['def f(a, b, c): pass', false],
    ['def f(a, b, *, c): pass', false],
    ['def f(a, **kwargs): pass', false],
  ];
  for (const [source, expected] of cases) {
    const migration = migrationOf(source, ['migrations.RunPython(f)']);
    const { forward } = runPythonCode(migration, databaseOperations(migration, 'RunPython')[0]);
    assert.equal(acceptsTwoPositional(signature(forward!)!), expected, source);
  }
});

test('doesNothing: pass, docstrings, ellipsis, bare return, None lambdas and noop', () => {
  const migration = migrationOf(
    'def a(apps, se):\n    """Doc."""\n    pass\n\ndef b(apps, se):\n    ...\n\ndef c(apps, se):\n    return None\n\ndef d(apps, se):\n    apps.get_model("shop", "Order")\n',
    ['migrations.RunPython(a, b)', 'migrations.RunPython(c, d)', 'migrations.RunPython(lambda apps, se: None, migrations.RunPython.noop)'],
  );
  const done = databaseOperations(migration, 'RunPython').flatMap((op) => {
    const { forward, reverse } = runPythonCode(migration, op);
    return [doesNothing(forward!), doesNothing(reverse!)];
  });
  assert.deepEqual(done, [true, true, true, false, true, true]);
});

test('importedModel: models modules of apps, not django.db.models', () => {
  assert.deepEqual(importedModel('shop.models.Order', 'shop'), { className: 'Order', module: 'shop.models', app: 'shop' });
  assert.deepEqual(importedModel('..models.Order', 'shop'), { className: 'Order', module: '..models', app: 'shop' });
  assert.deepEqual(importedModel('django.contrib.auth.models.User', 'shop'), { className: 'User', module: 'django.contrib.auth.models', app: 'auth' });
  assert.deepEqual(importedModel('shop.models.order.Order', 'billing'), { className: 'Order', module: 'shop.models.order', app: 'shop' });
  assert.equal(importedModel('django.db.models.F', 'shop'), undefined);
  assert.equal(importedModel('django.contrib.gis.db.models.PointField', 'shop'), undefined);
  assert.equal(importedModel('shop.models.compute_total', 'shop'), undefined);
  assert.equal(importedModel('shop.helpers.Order', 'shop'), undefined);
});

test('names bound in the function hide module imports; imports inside the function count', () => {
  const migration = migrationOf(
    'from shop.models import Order, Customer\n\ndef f(apps, schema_editor):\n    Order = apps.get_model("shop", "Order")\n    Order.objects.count()\n    Customer.objects.count()\n    from billing.models import Invoice\n    Invoice._meta.db_table\n    for Customer in []:\n        pass\n',
    ['migrations.RunPython(f)'],
  );
  const { forward } = runPythonCode(migration, databaseOperations(migration, 'RunPython')[0]);
  assert.deepEqual(importedModelsUsed(migration, forward!).map((model) => `${model.written}:${model.app}`), ['Invoice:billing']);
});

test('querySetChain reads managers through methods, list() and single assignments', () => {
  const migration = migrationOf(
    'def f(apps, schema_editor):\n    Order = apps.get_model("shop", "Order")\n    everything = Order.objects.all()\n    few = Order.objects.filter(pk__lt=10)\n    twice = Order.objects.all()\n    twice = twice.filter(status="")\n    a = list(everything.only("id"))\n    b = few.all()\n    c = Order.objects.all()[:10]\n    d = Order.objects.all().iterator()\n    e = twice.all()\n',
    ['migrations.RunPython(f)'],
  );
  const { forward } = runPythonCode(migration, databaseOperations(migration, 'RunPython')[0]);
  const scope = functionScope(migration, forward!);
  const value = (name: string) => scope.assignments.get(name)![0];
  assert.deepEqual(querySetChain(scope, value('a'))?.methods, ['all', 'only']);
  assert.equal(isWholeTable(querySetChain(scope, value('a'))), true);
  assert.equal(isWholeTable(querySetChain(scope, value('b'))), false);
  assert.equal(isWholeTable(querySetChain(scope, value('c'))), false);
  assert.equal(isWholeTable(querySetChain(scope, value('d'))), false);
  assert.equal(querySetChain(scope, value('e')), undefined, 'assigned twice: unknown');
});

test('messages name the real table: db_table from the history (MG306), the table of the altered model (MG305)', () => {
  const workspace = new Workspace();
  workspace.indexText('/p/shop/migrations/0001_initial.py', [
    'from django.db import migrations, models',
    'class Migration(migrations.Migration):',
    '    initial = True',
    '    operations = [',
    '        migrations.CreateModel("Customer", [("id", models.BigAutoField(primary_key=True)), ("email", models.CharField(max_length=100))], options={"db_table": "crm_customer"}),',
    '    ]',
  ].join('\n'));
  const text = [
    'from django.db import migrations, models',
    'def lower(apps, schema_editor):',
    '    Customer = apps.get_model("shop", "Customer")',
    '    for customer in Customer.objects.all():',
    '        customer.save()',
    'class Migration(migrations.Migration):',
    '    dependencies = [("shop", "0001_initial")]',
    '    operations = [',
    '        migrations.RunPython(lower, migrations.RunPython.noop),',
    '        migrations.AlterField("customer", "email", models.CharField(max_length=200)),',
    '    ]',
  ].join('\n');
  const result = lintSource({ path: '/p/shop/migrations/0002_lower.py', text, config: defaultConfig(), workspace });
  const messages = Object.fromEntries(result.violations.map((v) => [v.code, v.message]));
  assert.match(messages.MG306, /every row of `crm_customer` at once and saves them one by one in a single transaction/);
  assert.match(messages.MG305, /`RunPython\(lower\)` runs in the same transaction as the later `AlterField` on `crm_customer`/);
  result.tree.delete();
});
