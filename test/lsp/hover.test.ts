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
    assert.match(markdown(await client.hover(uri, addIndex.start)), /database is mysql/);
    await client.changeConfiguration({ enable: false });
    assert.equal(await client.hover(uri, addIndex.start), null);
    await client.changeConfiguration({});
  });
});
