// Hover on an operation over a real LSP connection: the lock, the table, what it blocks, the safe route.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Hover, MarkupContent } from 'vscode-languageserver-protocol/node';
import { ADD_INDEX_MIGRATION, MIGRATION_PATH, TestClient, makeProject, rangeOf } from './client';

const markdown = (hover: Hover | null) => {
  assert.ok(hover, 'a hover');
  const contents = hover.contents as MarkupContent;
  assert.equal(contents.kind, 'markdown');
  return contents.value;
};

describe('hover', () => {
  const project = makeProject();
  let client: TestClient;

  before(async () => {
    client = new TestClient({ rootPath: project.root });
    const result = await client.initialize();
    assert.equal(result.capabilities.hoverProvider, true);
  });

  after(async () => {
    await client.dispose();
    project.dispose();
  });

  test('on AddIndex: SHARE lock on shop_order, what it blocks, the safe route; range is the name', async () => {
    const uri = await client.open(project.write(MIGRATION_PATH, ADD_INDEX_MIGRATION), ADD_INDEX_MIGRATION);
    const name = rangeOf(ADD_INDEX_MIGRATION, 'migrations.AddIndex');
    const hover = await client.hover(uri, { line: name.start.line, character: name.start.character + 13 });
    const text = markdown(hover);
    assert.match(text, /\*\*`AddIndex`\*\* on `shop_order`/);
    assert.match(text, /\*\*SHARE\*\*/);
    assert.match(text, /inserts, updates and deletes/);
    assert.match(text, /AddIndexConcurrently/);
    assert.deepEqual(hover!.range, name);
    // Not on the arguments.
    assert.equal(await client.hover(uri, rangeOf(ADD_INDEX_MIGRATION, 'model_name').start), null);
    assert.equal(await client.hover(uri, { line: 0, character: 0 }), null);
  });

  test('on a statement inside a RunSQL string: its claim, its table, what waits; range is the statement', async () => {
    const text = [
      'from django.db import migrations',
      '',
      '',
      'class Migration(migrations.Migration):',
      '    dependencies = [("shop", "0001_initial")]',
      '',
      '    operations = [',
      '        migrations.RunSQL(',
      '            """',
      '            -- café ☕',
      '            CREATE TABLE shop_scratch (id int);',
      '            CREATE INDEX shop_scratch_idx ON shop_scratch (id);',
      '            ALTER TABLE shop_order',
      '                ALTER COLUMN note TYPE text;',
      '            COMMENT ON TABLE shop_order IS \'x\';',
      '            """,',
      '            reverse_sql=migrations.RunSQL.noop,',
      '        ),',
      '    ]',
      '',
    ].join('\n');
    const uri = await client.open(project.write('shop/migrations/0004_sql.py', text), text);
    await client.waitForCurrent(uri);
    const statement = rangeOf(text, 'ALTER TABLE shop_order');
    const hover = await client.hover(uri, { line: statement.start.line + 1, character: 20 });
    const value = markdown(hover);
    assert.match(value, /\*\*`ALTER TABLE`\*\* in `RunSQL`/);
    assert.match(value, /\*\*ACCESS EXCLUSIVE\*\* on `shop_order`/);
    assert.match(value, /Rewrites `shop_order` and its indexes/);
    assert.match(value, /Safe route: a new column with the new type/);
    assert.deepEqual(hover!.range, { start: statement.start, end: { line: statement.start.line + 1, character: 43 } });
    // A table created earlier in the same SQL is new.
    const onNew = markdown(await client.hover(uri, rangeOf(text, 'CREATE INDEX').start));
    assert.match(onNew, /`shop_scratch` is created earlier in this migration/);
    // A statement without a verified claim says so; the operation's name keeps the operation hover.
    assert.match(markdown(await client.hover(uri, rangeOf(text, 'COMMENT ON').start)), /No verified claim describes this statement/);
    assert.match(markdown(await client.hover(uri, { line: 7, character: 20 })), /What it locks depends on the SQL/);
  });

  test('after edits (before any lint ran), on a new table, inside state_operations, with another database', async () => {
    const text = [
      'from django.db import migrations, models',
      '',
      '',
      'class Migration(migrations.Migration):',
      '    operations = [',
      '        migrations.CreateModel(name="Item", fields=[("id", models.AutoField(primary_key=True))]),',
      '        migrations.AddIndex(model_name="item", index=models.Index(fields=["id"], name="item_idx")),',
      '        migrations.SeparateDatabaseAndState(state_operations=[migrations.RemoveField("order", "note")]),',
      '    ]',
      '',
    ].join('\n');
    const uri = await client.open(project.write('shop/migrations/0003_item.py', text), text);
    // Typed before the server linted anything: the hover parses the current text.
    await client.change(uri, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, '# ☕ café\n');
    const addIndex = rangeOf(client.text(uri), 'AddIndex');
    const newTable = markdown(await client.hover(uri, addIndex.start));
    assert.match(newTable, /`shop_item` is created earlier in this migration/);
    const removeField = markdown(await client.hover(uri, rangeOf(client.text(uri), 'RemoveField').start));
    assert.match(removeField, /state_operations/);
    assert.match(removeField, /no lock/);
    await client.changeConfiguration({ database: 'mysql' });
    const mysql = markdown(await client.hover(uri, addIndex.start));
    assert.match(mysql, /database is mysql/);
    // No PostgreSQL lock, scan or rewrite claim under another database (and no MySQL one: none is verified).
    assert.doesNotMatch(mysql, /SHARE|EXCLUSIVE|PostgreSQL lock:|Rewrites|Reads every row|Safe route/);
    // What MySQL does instead, as Django's backend says (test/integration/vendor-facts.test.ts): no transactional DDL.
    assert.match(mysql, /MySQL cannot roll back DDL/);
    await client.changeConfiguration({ database: 'sqlite' });
    const sqlite = markdown(await client.hover(uri, addIndex.start));
    assert.match(sqlite, /database is sqlite/);
    assert.doesNotMatch(sqlite, /SHARE|EXCLUSIVE|PostgreSQL lock:|Rewrites|Reads every row|Safe route|roll back/);
    await client.changeConfiguration({ enable: false });
    assert.equal(await client.hover(uri, addIndex.start), null);
    await client.changeConfiguration({});
  });

  test('vendor branches: an operation or RunSQL under `if connection.vendor == …` for another database gets no hover', async () => {
    const text = [
      'from django.db import connection, migrations, models',
      '',
      '',
      'class Migration(migrations.Migration):',
      '    dependencies = [("shop", "0001_initial")]',
      '',
      '    if connection.vendor == "postgresql":',
      '        operations = [',
      '            migrations.AddIndex(model_name="order", index=models.Index(fields=["created_at"], name="pg_idx")),',
      '            migrations.RunSQL("CREATE INDEX pg_sql_idx ON shop_order (created_at);", reverse_sql=migrations.RunSQL.noop),',
      '        ]',
      '    else:',
      '        operations = [',
      '            migrations.AddIndex(model_name="order", index=models.Index(fields=["created_at"], name="other_idx")),',
      '            migrations.RunSQL("CREATE INDEX other_sql_idx ON shop_order (created_at);", reverse_sql=migrations.RunSQL.noop),',
      '        ]',
      '',
    ].join('\n');
    const uri = await client.open(project.write('shop/migrations/0005_vendor.py', text), text);
    await client.waitForCurrent(uri);
    const pgIndex = rangeOf(text, 'AddIndex').start;
    const otherIndex = rangeOf(text, 'AddIndex', text.indexOf('else:')).start;
    const pgSql = rangeOf(text, 'CREATE INDEX pg_sql_idx').start;
    const otherSql = rangeOf(text, 'CREATE INDEX other_sql_idx').start;
    const otherRunSql = rangeOf(text, 'RunSQL', text.indexOf('else:')).start;
    const noLocks = /SHARE|EXCLUSIVE|PostgreSQL lock:|Rewrites|Reads every row|Safe route/;
    // PostgreSQL: the postgresql branch has its locks; the else branch never runs there.
    assert.match(markdown(await client.hover(uri, pgIndex)), /\*\*SHARE\*\* on `shop_order`/);
    assert.match(markdown(await client.hover(uri, pgSql)), /\*\*`CREATE INDEX`\*\* in `RunSQL`[\s\S]*\*\*SHARE\*\*/);
    assert.equal(await client.hover(uri, otherIndex), null);
    assert.equal(await client.hover(uri, otherSql), null);
    assert.equal(await client.hover(uri, otherRunSql), null);
    for (const database of ['mysql', 'sqlite']) {
      await client.changeConfiguration({ database });
      // The postgresql branch never runs on this database: no hover at all, on the operation or in its SQL.
      assert.equal(await client.hover(uri, pgIndex), null, database);
      assert.equal(await client.hover(uri, pgSql), null, database);
      // The branch that runs: this database named, no PostgreSQL claim, in the operation or in its SQL.
      const other = markdown(await client.hover(uri, otherIndex));
      assert.match(other, new RegExp(`database is ${database}`));
      assert.doesNotMatch(other, noLocks);
      assert.doesNotMatch(markdown(await client.hover(uri, otherRunSql)), noLocks);
      assert.equal(await client.hover(uri, otherSql), null, database);
    }
    await client.changeConfiguration({});
  });

  test('with the history indexed: the claim the state selects, tables from the state (db_table), both tables of a foreign key', async () => {
    const history = makeProject({
      'shop/__init__.py': '',
      'shop/migrations/__init__.py': '',
      'shop/migrations/0001_initial.py': [
        'from django.db import migrations, models',
        '',
        '',
        'class Migration(migrations.Migration):',
        '    initial = True',
        '    operations = [',
        '        migrations.CreateModel(name="Customer", fields=[("id", models.BigAutoField(primary_key=True))], options={"db_table": "crm_customer"}),',
        '        migrations.CreateModel(name="Order", fields=[',
        '            ("id", models.BigAutoField(primary_key=True)),',
        '            ("number", models.IntegerField()),',
        '            ("customer", models.ForeignKey(on_delete=models.CASCADE, to="shop.customer")),',
        '        ]),',
        '        migrations.CreateModel(name="Line", fields=[',
        '            ("id", models.BigAutoField(primary_key=True)),',
        '            ("order", models.ForeignKey(on_delete=models.CASCADE, to="shop.order")),',
        '        ]),',
        '    ]',
        '',
      ].join('\n'),
    });
    const local = new TestClient({ rootPath: history.root, workDoneProgress: true });
    try {
      await local.initialize();
      await local.waitFor(() => local.progress.find((p) => p.value.kind === 'end'), 'the end of the indexing progress');
      const text = [
        'from django.db import migrations, models',
        '',
        '',
        'class Migration(migrations.Migration):',
        '    dependencies = [("shop", "0001_initial")]',
        '    operations = [',
        '        migrations.AlterField(model_name="order", name="number", field=models.IntegerField(default=0)),',
        '        migrations.AlterField(model_name="order", name="number", field=models.IntegerField(db_index=True)),',
        '        migrations.RemoveField(model_name="order", name="customer"),',
        '        migrations.RenameModel(old_name="Order", new_name="Purchase"),',
        '    ]',
        '',
      ].join('\n');
      const uri = await local.open(history.write('shop/migrations/0002_changes.py', text), text);
      const at = (needle: string, from = 0) => rangeOf(text, needle, from).start;
      const defaultOnly = markdown(await local.hover(uri, at('AlterField')));
      assert.match(defaultOnly, /\*\*`AlterField`\*\* on `shop_order`/);
      assert.match(defaultOnly, /no SQL.*no lock/);
      assert.doesNotMatch(defaultOnly, /EXCLUSIVE|SHARE/);
      const dbIndex = markdown(await local.hover(uri, at('AlterField', text.lastIndexOf('AlterField', text.indexOf('db_index')))));
      assert.match(dbIndex, /\*\*SHARE\*\* on `shop_order`/);
      assert.doesNotMatch(dbIndex, /ACCESS EXCLUSIVE/);
      const removeForeignKey = markdown(await local.hover(uri, at('RemoveField')));
      assert.match(removeForeignKey, /\*\*ACCESS EXCLUSIVE\*\* on `shop_order`.*\*\*ACCESS EXCLUSIVE\*\* on `crm_customer`/);
      const rename = markdown(await local.hover(uri, at('RenameModel')));
      assert.match(rename, /\*\*ACCESS EXCLUSIVE\*\* on `shop_order`.*\*\*ACCESS EXCLUSIVE\*\* on `shop_line`/);
      assert.match(rename, /Reads every row of `shop_order` and `shop_line`/);
    } finally {
      await local.dispose();
      history.dispose();
    }
  });
});
