// The statement classifier: what each statement does, read from libpg-query's real parse tree.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { classifyStatement, isConcurrentIndexOperation, type SqlAction } from '../../server/src/analysis/sql-classify';
import { loadSqlParser, parseSql } from '../../server/src/base/sql-parser';

before(async () => {
  assert.equal(await loadSqlParser(), true);
});

function classify(sql: string): SqlAction[] {
  const parsed = parseSql(sql);
  assert.ok(parsed?.ok, `${sql} parses`);
  return parsed.statements.map((statement) => classifyStatement(statement.stmt));
}

function one(sql: string): SqlAction {
  const [action] = classify(sql);
  return action;
}

test('CREATE [UNIQUE] INDEX [CONCURRENTLY]: table (schema-qualified, quoted), columns, partial', () => {
  assert.deepEqual(one('CREATE INDEX i ON shop_order (created_at)'), {
    kind: 'create-index', table: { name: 'shop_order', schema: undefined, key: 'shop_order' }, name: 'i', unique: false, concurrently: false, columns: ['created_at'], partial: false,
  });
  assert.deepEqual(one('CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS j ON public."Shop_Order" (a, lower(b)) WHERE c IS NULL'), {
    kind: 'create-index', table: { name: 'Shop_Order', schema: 'public', key: 'Shop_Order' }, name: 'j', unique: true, concurrently: true, columns: ['a', '(expression)'], partial: true,
  });
  const other = one('CREATE INDEX ON billing.Invoice (x)');
  assert.equal(other.kind === 'create-index' && other.table.key, 'billing.invoice');
});

test('DROP INDEX [CONCURRENTLY]', () => {
  assert.deepEqual(one('DROP INDEX CONCURRENTLY IF EXISTS public.i, j'), { kind: 'drop-index', names: ['public.i', 'j'], concurrently: true, cascade: false });
  assert.deepEqual(one('DROP INDEX i'), { kind: 'drop-index', names: ['i'], concurrently: false, cascade: false });
  assert.deepEqual(one('DROP INDEX i CASCADE'), { kind: 'drop-index', names: ['i'], concurrently: false, cascade: true });
});

test('ALTER TABLE constraints: UNIQUE, UNIQUE USING INDEX, CHECK, FOREIGN KEY, NOT VALID, VALIDATE, PRIMARY KEY', () => {
  const action = one(`ALTER TABLE shop_order
    ADD CONSTRAINT u UNIQUE (a),
    ADD CONSTRAINT u2 UNIQUE USING INDEX i,
    ADD CONSTRAINT c CHECK (a > 0) NOT VALID,
    ADD CONSTRAINT c2 CHECK (a > 0),
    ADD CONSTRAINT f FOREIGN KEY (customer_id) REFERENCES shop_customer (id) NOT VALID,
    ADD CONSTRAINT f2 FOREIGN KEY (customer_id) REFERENCES shop_customer (id),
    VALIDATE CONSTRAINT f,
    ADD PRIMARY KEY (id),
    ADD CONSTRAINT p PRIMARY KEY USING INDEX pi,
    DROP CONSTRAINT old`);
  assert.equal(action.kind, 'alter-table');
  const commands = action.kind === 'alter-table' ? action.commands : [];
  const customer = { name: 'shop_customer', schema: undefined, key: 'shop_customer' };
  assert.deepEqual(commands, [
    { kind: 'add-constraint', constraint: { type: 'unique', name: 'u', notValid: false, usingIndex: undefined, columns: ['a'], references: undefined } },
    { kind: 'add-constraint', constraint: { type: 'unique', name: 'u2', notValid: false, usingIndex: 'i', columns: [], references: undefined } },
    { kind: 'add-constraint', constraint: { type: 'check', name: 'c', notValid: true, usingIndex: undefined, columns: [], references: undefined } },
    { kind: 'add-constraint', constraint: { type: 'check', name: 'c2', notValid: false, usingIndex: undefined, columns: [], references: undefined } },
    { kind: 'add-constraint', constraint: { type: 'foreign-key', name: 'f', notValid: true, usingIndex: undefined, columns: ['customer_id'], references: customer } },
    { kind: 'add-constraint', constraint: { type: 'foreign-key', name: 'f2', notValid: false, usingIndex: undefined, columns: ['customer_id'], references: customer } },
    { kind: 'validate-constraint', name: 'f' },
    { kind: 'add-constraint', constraint: { type: 'primary-key', name: undefined, notValid: false, usingIndex: undefined, columns: ['id'], references: undefined } },
    { kind: 'add-constraint', constraint: { type: 'primary-key', name: 'p', notValid: false, usingIndex: 'pi', columns: [], references: undefined } },
    { kind: 'drop-constraint', name: 'old' },
  ]);
});

test('ALTER TABLE columns: SET NOT NULL, TYPE, DROP COLUMN, SET LOGGED/UNLOGGED, defaults', () => {
  const action = one('ALTER TABLE t ALTER COLUMN a SET NOT NULL, ALTER COLUMN b TYPE bigint, ALTER COLUMN c TYPE varchar(20) USING c::text, DROP COLUMN d, SET LOGGED, SET UNLOGGED, ALTER COLUMN e SET DEFAULT random(), ALTER COLUMN e DROP DEFAULT, ALTER COLUMN f DROP NOT NULL');
  assert.deepEqual(action.kind === 'alter-table' && action.commands, [
    { kind: 'set-not-null', column: 'a' },
    { kind: 'alter-column-type', column: 'b', newType: 'int8', using: false },
    { kind: 'alter-column-type', column: 'c', newType: 'varchar(20)', using: true },
    { kind: 'drop-column', column: 'd' },
    { kind: 'set-logged' },
    { kind: 'set-unlogged' },
    { kind: 'set-default', column: 'e', volatility: 'volatile' },
    { kind: 'drop-default', column: 'e' },
    { kind: 'drop-not-null', column: 'f' },
  ]);
});

test('ADD COLUMN: NOT NULL, DEFAULT (volatile or not), GENERATED STORED / VIRTUAL, identity, serial, REFERENCES', () => {
  const action = one(`ALTER TABLE t
    ADD COLUMN a uuid NOT NULL DEFAULT gen_random_uuid(),
    ADD COLUMN b float DEFAULT random(),
    ADD COLUMN c timestamptz DEFAULT clock_timestamp(),
    ADD COLUMN d timestamptz NOT NULL DEFAULT now(),
    ADD COLUMN e int DEFAULT 0,
    ADD COLUMN f text DEFAULT my_function(),
    ADD COLUMN g int GENERATED ALWAYS AS (e * 2) STORED,
    ADD COLUMN h int GENERATED ALWAYS AS (e * 2) VIRTUAL,
    ADD COLUMN i bigint GENERATED BY DEFAULT AS IDENTITY,
    ADD COLUMN j bigserial,
    ADD COLUMN IF NOT EXISTS k int REFERENCES shop_customer (id),
    ADD COLUMN l int`);
  const columns = action.kind === 'alter-table' ? action.commands.map((command) => command.kind === 'add-column' ? command : undefined) : [];
  const pick = (index: number) => columns[index]!;
  assert.deepEqual([pick(0).notNull, pick(0).default], [true, { volatility: 'volatile' }]);
  assert.deepEqual(pick(1).default, { volatility: 'volatile' });
  assert.deepEqual(pick(2).default, { volatility: 'volatile' });
  assert.deepEqual([pick(3).notNull, pick(3).default], [true, { volatility: 'not-volatile' }]);
  assert.deepEqual(pick(4).default, { volatility: 'not-volatile' });
  assert.deepEqual(pick(5).default, { volatility: 'unknown' });
  assert.equal(pick(6).generated, 'stored');
  assert.equal(pick(7).generated, 'virtual');
  assert.equal(pick(8).identity, true);
  assert.deepEqual([pick(9).serial, pick(9).type, pick(9).default], [true, 'bigserial', { volatility: 'volatile' }]);
  assert.deepEqual([pick(10).references?.key, pick(10).ifNotExists], ['shop_customer', true]);
  assert.deepEqual([pick(11).column, pick(11).type, pick(11).notNull, pick(11).default], ['l', 'int4', false, undefined]);
});

test('RENAME COLUMN, RENAME TO, CREATE TABLE, DROP TABLE', () => {
  assert.deepEqual(classify('ALTER TABLE t RENAME COLUMN a TO b; ALTER TABLE t RENAME TO u; CREATE TABLE n (id int); CREATE TABLE m AS SELECT 1; DROP TABLE IF EXISTS s.a, b CASCADE'), [
    { kind: 'rename-column', table: { name: 't', schema: undefined, key: 't' }, column: 'a', newName: 'b' },
    { kind: 'rename-table', table: { name: 't', schema: undefined, key: 't' }, newName: 'u' },
    { kind: 'create-table', table: { name: 'n', schema: undefined, key: 'n' } },
    { kind: 'create-table', table: { name: 'm', schema: undefined, key: 'm' } },
    { kind: 'drop-table', tables: [{ name: 'a', schema: 's', key: 's.a' }, { name: 'b', schema: undefined, key: 'b' }], cascade: true },
  ]);
});

test('UPDATE / DELETE with and without WHERE, TRUNCATE [CASCADE], DROP DATABASE, DROP SCHEMA', () => {
  const t = { name: 't', schema: undefined, key: 't' };
  assert.deepEqual(classify('UPDATE t SET a = 1; UPDATE t SET a = 1 WHERE b; DELETE FROM t; DELETE FROM t WHERE a = 1; TRUNCATE t; TRUNCATE TABLE t, u CASCADE; DROP DATABASE shop; DROP SCHEMA IF EXISTS s, r CASCADE'), [
    { kind: 'update', table: t, where: false },
    { kind: 'update', table: t, where: true },
    { kind: 'delete', table: t, where: false },
    { kind: 'delete', table: t, where: true },
    { kind: 'truncate', tables: [t], cascade: false },
    { kind: 'truncate', tables: [t, { name: 'u', schema: undefined, key: 'u' }], cascade: true },
    { kind: 'drop-database', name: 'shop' },
    { kind: 'drop-schema', names: ['s', 'r'], cascade: true },
  ]);
});

test('VACUUM FULL, CLUSTER, REINDEX [CONCURRENTLY], LOCK TABLE, REFRESH MATERIALIZED VIEW [CONCURRENTLY]', () => {
  const t = { name: 't', schema: undefined, key: 't' };
  assert.deepEqual(classify('VACUUM FULL t; VACUUM t; VACUUM (FULL false) t; CLUSTER t USING i; REINDEX TABLE CONCURRENTLY t; REINDEX INDEX i; LOCK TABLE t IN SHARE MODE; LOCK t; REFRESH MATERIALIZED VIEW CONCURRENTLY v; REFRESH MATERIALIZED VIEW v'), [
    { kind: 'vacuum', full: true, tables: [t] },
    { kind: 'vacuum', full: false, tables: [t] },
    { kind: 'vacuum', full: false, tables: [t] },
    { kind: 'cluster', table: t },
    { kind: 'reindex', target: 'table', name: 't', concurrently: true },
    { kind: 'reindex', target: 'index', name: 'i', concurrently: false },
    { kind: 'lock-table', tables: [t], mode: 'SHARE' },
    { kind: 'lock-table', tables: [t], mode: 'ACCESS EXCLUSIVE' },
    { kind: 'refresh-materialized-view', view: { name: 'v', schema: undefined, key: 'v' }, concurrently: true },
    { kind: 'refresh-materialized-view', view: { name: 'v', schema: undefined, key: 'v' }, concurrently: false },
  ]);
});

test('SET / SET LOCAL / SET SESSION lock_timeout and statement_timeout, RESET, set_config()', () => {
  assert.deepEqual(classify("SET lock_timeout = '4s'; SET LOCAL statement_timeout TO 0; SET SESSION lock_timeout = 100; SET lock_timeout TO DEFAULT; RESET statement_timeout; SELECT set_config('lock_timeout', '2s', false); SELECT set_config('statement_timeout', '0', true); SELECT 1"), [
    { kind: 'set', setting: 'lock_timeout', scope: 'session', value: '4s', reset: false },
    { kind: 'set', setting: 'statement_timeout', scope: 'local', value: '0', reset: false },
    { kind: 'set', setting: 'lock_timeout', scope: 'session', value: '100', reset: false },
    { kind: 'set', setting: 'lock_timeout', scope: 'session', value: undefined, reset: true },
    { kind: 'set', setting: 'statement_timeout', scope: 'session', value: undefined, reset: true },
    { kind: 'set-config', setting: 'lock_timeout', scope: 'session', value: '2s' },
    { kind: 'set-config', setting: 'statement_timeout', scope: 'local', value: '0' },
    { kind: 'other', statement: 'SelectStmt' },
  ]);
});

test('CONCURRENTLY: index builds, drops and reindexes; not REFRESH MATERIALIZED VIEW, not the word in a comment or a literal', () => {
  const concurrent = (sql: string) => classify(sql).map(isConcurrentIndexOperation);
  assert.deepEqual(concurrent('CREATE INDEX CONCURRENTLY i ON t (a); DROP INDEX CONCURRENTLY i; REINDEX INDEX CONCURRENTLY i'), [true, true, true]);
  assert.deepEqual(concurrent("REFRESH MATERIALIZED VIEW CONCURRENTLY v; -- CONCURRENTLY\nSELECT 'CONCURRENTLY'; CREATE INDEX i ON t (a) /* CONCURRENTLY */"), [false, false, false]);
});

test('anything else is `other`, named by its statement type', () => {
  assert.deepEqual(classify("INSERT INTO t VALUES (1); CREATE EXTENSION IF NOT EXISTS pg_trgm; DO $$ BEGIN END $$"), [
    { kind: 'other', statement: 'InsertStmt' }, { kind: 'other', statement: 'CreateExtensionStmt' }, { kind: 'other', statement: 'DoStmt' },
  ]);
});
