// A RunSQL statement names its table as the database knows it; the message adds the model whose db_table it is
// (test/fixtures/projects/raw-sql: Order has db_table "orders").
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { lintSource } from '../../server/src/engine/lint';
import { initParser } from '../../server/src/engine/parser';
import { loadSqlParser } from '../../server/src/engine/sql-parser';
import { ConfigResolver } from '../../server/src/config/pyproject';
import { indexProject } from '../helpers/engine';
import { FIXTURES } from '../helpers/paths';

before(() => Promise.all([initParser(), loadSqlParser()]));

test('RunSQL findings name the model of a db_table, and both tables of a foreign key', () => {
  const root = join(FIXTURES, 'projects', 'raw-sql');
  const { workspace, settingsIndex } = indexProject(root);
  const file = join(root, 'shop', 'migrations', '0002_raw.py');
  const text = readFileSync(file, 'utf8');
  const result = lintSource({ path: file, text, config: new ConfigResolver().forFile(file).config, workspace, settingsIndex });
  const messages = Object.fromEntries(result.violations.map((v) => [v.code, v.message]));
  assert.equal(messages.MG101, '`CREATE INDEX` `orders_note_idx` on `orders` (model `shop.order`) takes a SHARE lock: inserts, updates and deletes wait while every row is read.');
  assert.match(messages.MG105, /^`ADD CONSTRAINT … FOREIGN KEY` on `orders` \(model `shop\.order`\) to `shop_customer` \(model `shop\.customer`\) takes a SHARE ROW EXCLUSIVE lock on `orders` and `shop_customer`/);
  const mg101 = result.violations.find((v) => v.code === 'MG101')!;
  assert.equal(text.slice(mg101.range.start, mg101.range.end), 'CREATE INDEX orders_note_idx ON orders (note)');
  result.tree.delete();
});
