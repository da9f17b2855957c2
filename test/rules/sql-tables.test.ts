// A RunSQL statement names its table as the database knows it; the message adds the model whose db_table it is
// (test/fixtures/projects/raw-sql: Order has db_table "orders").
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { lintSource } from '../../server/src/engine/lint';
import { initParser } from '../../server/src/base/parser';
import { loadSqlParser, parseSql, type PgNode } from '../../server/src/base/sql-parser';
import { classifyStatement } from '../../server/src/analysis/sql-classify';
import { statementClaims } from '../../server/src/analysis/sql-claims';
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

test('RunSQL judged with the replayed state: old column types, the table of a dropped index, a dropped table', () => {
  const root = join(FIXTURES, 'projects', 'raw-sql-state');
  const { workspace, settingsIndex } = indexProject(root);
  const file = join(root, 'shop', 'migrations', '0003_raw.py');
  const text = readFileSync(file, 'utf8');
  const result = lintSource({ path: file, text, config: new ConfigResolver().forFile(file).config, workspace, settingsIndex });
  const messages = result.violations.map((v) => `${v.code} ${v.message}`);
  assert.ok(messages.includes('MG107 `ALTER COLUMN … TYPE` changes `orders` (model `shop.order`).`code` from `varchar(20)` to `varchar(10)`: `ALTER TABLE … ALTER COLUMN … TYPE varchar(shorter)` takes an ACCESS EXCLUSIVE lock: reads and writes wait while the table and its indexes are rewritten.'), messages.join('\n'));
  assert.ok(messages.includes('MG107 `ALTER COLUMN … TYPE` changes `orders` (model `shop.order`).`total` from `numeric(10, 2)` to `numeric(14,4)`: `ALTER TABLE … ALTER COLUMN … TYPE` takes an ACCESS EXCLUSIVE lock: reads and writes wait while the table and its indexes are rewritten.'), messages.join('\n'));
  assert.ok(messages.some((m) => m.startsWith('MG102 `DROP INDEX` `orders_code_idx` on `orders` (model `shop.order`) takes an ACCESS EXCLUSIVE lock')), messages.join('\n'));
  assert.ok(messages.some((m) => m.startsWith('MG102 `DROP INDEX` `orders_something_idx` (on a table the migrations do not show: the index was not created by an `AddIndex` or `CREATE INDEX` in them) takes an ACCESS EXCLUSIVE lock')), messages.join('\n'));
  assert.ok(messages.includes('MG202 `DROP COLUMN` `code` of `shop_legacy`: the code still running selects and inserts the column, and its queries fail until the deploy finishes: no migration in the workspace creates a model with this table, so no earlier state-only removal is visible.'), messages.join('\n'));
  assert.ok(messages.includes('MG203 `DROP TABLE` `shop_legacy`: the code still running queries it, and fails until the deploy finishes: no migration in the workspace creates a model with this table, so no earlier state-only removal is visible.'), messages.join('\n'));
  result.tree.delete();
});

test('a DROP TABLE linted without its project says its history is not visible', () => {
  const file = join(FIXTURES, 'rules', 'MG403', 'safe.py');
  const text = readFileSync(file, 'utf8');
  const result = lintSource({ path: '/p/shop/migrations/0002_x.py', text, config: new ConfigResolver().forFile(file).config });
  const mg203 = result.violations.find((v) => v.code === 'MG203');
  assert.equal(mg203?.message, '`DROP TABLE` `shop_order_import`: the code still running queries it, and fails until the deploy finishes: the migration is linted without its project, so its history (and any earlier state-only removal) is not visible.');
  result.tree.delete();
});

test('the hover\'s claim for ALTER COLUMN … TYPE follows the old type from the state', () => {
  const alter = (type: string) => classifyStatement((parseSql(`ALTER TABLE orders ALTER COLUMN code TYPE ${type}`) as { ok: true; statements: { stmt: PgNode }[] }).statements[0].stmt);
  const old = () => ({ base: 'varchar', length: 20 });
  assert.deepEqual(statementClaims(alter('varchar(40)'), old).map((c) => c.id), ['AlterField.varcharLonger']);
  assert.deepEqual(statementClaims(alter('text'), old).map((c) => c.id), ['AlterField.varcharToText']);
  assert.deepEqual(statementClaims(alter('varchar'), old).map((c) => c.id), ['RunSQL.varcharUnbounded']);
  assert.deepEqual(statementClaims(alter('varchar(10)'), old).map((c) => c.id), ['AlterField.varcharShorter']);
  assert.deepEqual(statementClaims(alter('varchar(40)')).map((c) => c.id), ['AlterField.type'], 'old type unknown');
});
