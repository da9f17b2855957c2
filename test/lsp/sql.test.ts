// Raw SQL through the language server: PostgreSQL's parser is loaded the first time an open document has a
// RunSQL (not before), and a diagnostic inside the string lands on the statement's row and column.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { INITIAL_MIGRATION, MIGRATION_PATH, ADD_INDEX_MIGRATION, TestClient, has, makeProject, rangeOf } from './client';

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
