// Raw SQL through the language server: PostgreSQL's parser is loaded the first time an open document has a
// RunSQL (not before), and a diagnostic inside the string lands on the statement's row and column.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { INITIAL_MIGRATION, MIGRATION_PATH, ADD_INDEX_MIGRATION, TestClient, applyTextEdits, has, makeProject, rangeOf } from './client';

const SQL_MIGRATION = [
  'from django.db import migrations',
  '',
  '',
  'class Migration(migrations.Migration):',
  '    dependencies = [("shop", "0001_initial")]',
  '',
  '    operations = [',
  '        migrations.RunSQL(',
  '            """',
  "            UPDATE shop_order SET note = 'café ☕ 🚀' WHERE id = 1;",
  "            ALTER TABLE shop_order ADD COLUM flag boolean;",
  '            """,',
  '            reverse_sql=migrations.RunSQL.noop,',
  '        ),',
  '    ]',
  '',
].join('\n');

const LOADED = /Loaded PostgreSQL's SQL parser for RunSQL/;

describe('RunSQL over LSP', () => {
  const project = makeProject({ 'shop/migrations/__init__.py': '', 'shop/migrations/0001_initial.py': INITIAL_MIGRATION });
  let client: TestClient;

  before(async () => {
    client = new TestClient({ rootPath: project.root, settings: { ignore: ['MG501'] } });
    await client.initialize();
  });

  after(async () => {
    await client.dispose();
    project.dispose();
  });

  test('a workspace without RunSQL does not load the SQL parser', async () => {
    const uri = await client.open(project.write(MIGRATION_PATH, ADD_INDEX_MIGRATION), ADD_INDEX_MIGRATION);
    await client.waitForCurrent(uri, has('MG101'));
    assert.ok(!client.logs.some((line) => LOADED.test(line)), client.logs.join('\n'));
  });

  test('MG401 inside the string, at the token PostgreSQL stopped at (row of the statement, UTF-16 column)', async () => {
    const uri = await client.open(project.write('shop/migrations/0003_sql.py', SQL_MIGRATION), SQL_MIGRATION);
    const diagnostics = await client.waitForCurrent(uri, has('MG401'));
    const mg401 = diagnostics.find((d) => d.code === 'MG401')!;
    assert.deepEqual(mg401.range, rangeOf(SQL_MIGRATION, 'boolean'));
    assert.equal(mg401.range.start.line, 10);
    assert.equal(mg401.severity, 1, 'error');
    assert.match(mg401.message as string, /^PostgreSQL rejects this SQL: syntax error at or near "boolean"\./);
    assert.equal(client.logs.filter((line) => LOADED.test(line)).length, 1, 'loaded once');

    // Fix the statement: the diagnostic goes; break the one above (after the non-ASCII text): it comes back there.
    await client.change(uri, rangeOf(client.text(uri), 'COLUM flag'), 'COLUMN flag');
    assert.ok(!has('MG401')(await client.waitForCurrent(uri)));
    await client.change(uri, rangeOf(client.text(uri), 'WHERE id'), 'WHER id');
    const again = (await client.waitForCurrent(uri, has('MG401'))).find((d) => d.code === 'MG401')!;
    assert.match(again.message as string, /at or near "WHER"/);
    assert.deepEqual(again.range, rangeOf(client.text(uri), 'WHER'));
    assert.equal(client.logs.filter((line) => LOADED.test(line)).length, 1, 'still loaded once');
  });
});

const CREATE_INDEX_MIGRATION = [
  'from django.db import migrations',
  '',
  '',
  'class Migration(migrations.Migration):',
  '    dependencies = [("shop", "0001_initial")]',
  '',
  '    operations = [',
  '        migrations.RunSQL(',
  '            [',
  // Each item its own execute call: in one string, CONCURRENTLY would share a transaction block with the SET.
  '                "SET lock_timeout = \'4s\'",',
  '                \'CREATE INDEX "shop_order_café_idx" ON shop_order (note)\',',
  '            ],',
  '            reverse_sql="DROP INDEX CONCURRENTLY shop_order_café_idx",',
  '        ),',
  '    ]',
  '',
].join('\n');

describe('code actions on a statement inside a RunSQL string', () => {
  const project = makeProject({ 'shop/migrations/__init__.py': '', 'shop/migrations/0001_initial.py': INITIAL_MIGRATION });
  let client: TestClient;

  before(async () => {
    client = new TestClient({ rootPath: project.root, settings: { ignore: ['MG501'] } });
    await client.initialize();
  });

  after(async () => {
    await client.dispose();
    project.dispose();
  });

  test('MG101 inside the string: the preferred quick fix writes CONCURRENTLY there and sets atomic = False', async () => {
    const uri = await client.open(project.write('shop/migrations/0002_sql_index.py', CREATE_INDEX_MIGRATION), CREATE_INDEX_MIGRATION);
    const diagnostics = await client.waitForCurrent(uri, has('MG101'));
    const mg101 = diagnostics.find((d) => d.code === 'MG101')!;
    assert.equal(mg101.range.start.line, 10, 'on the row of the statement inside the string');
    const actions = await client.codeActions(uri, mg101.range, [mg101]);
    const fix = actions.find((action) => action.title === 'Migration Guard (MG101): Write CREATE INDEX CONCURRENTLY');
    assert.ok(fix, actions.map((action) => action.title).join('\n'));
    assert.equal(fix.isPreferred, true);
    const edits = fix.edit?.changes?.[uri];
    assert.ok(edits);
    const fixed = applyTextEdits(client.text(uri), edits);
    assert.match(fixed, /\n                'CREATE INDEX CONCURRENTLY "shop_order_café_idx" ON shop_order \(note\)',\n/);
    assert.match(fixed, /\n    atomic = False\n\n    dependencies/);
    await client.changeMany(uri, [{ text: fixed }]);
    const after = await client.waitForCurrent(uri);
    assert.deepEqual(after.filter((d) => d.code === 'MG101' || d.code === 'MG109' || d.code === 'MG401').map((d) => d.code), []);
  });
});
