// Which statements PostgreSQL refuses inside a transaction block, checked on a real PostgreSQL 18 (PGlite): what
// refusedInTransaction (analysis/sql-classify.ts) says, and so what MG109 reports for an atomic migration (Django
// runs one inside BEGIN … COMMIT). Each statement that is refused inside one runs outside it, as it does in a
// migration with atomic = False.
import { strict as assert } from 'node:assert';
import { after, before, describe, it } from 'node:test';
import { PGlite } from '@electric-sql/pglite';
import { classifyStatement, refusedInTransaction } from '../../server/src/analysis/sql-classify';
import { loadSqlParser, parseSql } from '../../server/src/base/sql-parser';

const SETUP = `CREATE TABLE shop_order (id int PRIMARY KEY, note text);
  INSERT INTO shop_order SELECT g, 'n' || g FROM generate_series(1, 200) AS g;
  CREATE INDEX shop_order_note_idx ON shop_order (note);
  CREATE MATERIALIZED VIEW shop_totals AS SELECT id FROM shop_order;
  CREATE UNIQUE INDEX shop_totals_id ON shop_totals (id);`;

/** Each statement: refused inside a transaction block or not (the expectation is PostgreSQL's, checked below). */
const STATEMENTS: string[] = [
  'VACUUM shop_order',
  'VACUUM FULL shop_order',
  'VACUUM (FULL, ANALYZE) shop_order',
  'VACUUM (FULL false) shop_order',
  'VACUUM',
  'CLUSTER',
  'CLUSTER shop_order USING shop_order_note_idx',
  'CREATE INDEX CONCURRENTLY shop_order_id_note ON shop_order (id, note)',
  'CREATE UNIQUE INDEX CONCURRENTLY shop_order_id_uniq ON shop_order (id)',
  'DROP INDEX CONCURRENTLY shop_order_note_idx',
  'REINDEX INDEX CONCURRENTLY shop_order_note_idx',
  'REINDEX TABLE shop_order',
  'REINDEX SCHEMA public',
  'REFRESH MATERIALIZED VIEW CONCURRENTLY shop_totals',
  'ANALYZE shop_order',
  'LOCK TABLE shop_order IN SHARE MODE',
  'ALTER TABLE shop_order SET UNLOGGED',
];

describe('statements refused inside a transaction block, on PostgreSQL 18 (PGlite)', () => {
  let db: PGlite;
  before(async () => {
    assert.equal(await loadSqlParser(), true);
    db = new PGlite();
    await db.exec(SETUP);
  });
  after(async () => {
    await db.close();
  });

  for (const sql of STATEMENTS) {
    it(sql, async () => {
      const parsed = parseSql(sql);
      assert.ok(parsed?.ok && parsed.statements.length === 1, `${sql} parses`);
      const label = refusedInTransaction(classifyStatement(parsed.statements[0].stmt));
      let error: { code?: string; message?: string } | undefined;
      await db.exec('BEGIN');
      try {
        await db.exec(sql);
      } catch (caught) {
        error = caught as { code?: string; message?: string };
      } finally {
        await db.exec('ROLLBACK');
      }
      if (error && error.code !== '25001') throw error;
      assert.equal(label !== undefined, error !== undefined, `refusedInTransaction says ${label ?? 'allowed'}; PostgreSQL: ${error?.message ?? 'ran it'}`);
      if (!label) return;
      // PostgreSQL's message names the statement as the label does (without FULL, UNIQUE or the elided target).
      const named = label.replace(' FULL', '').replace('UNIQUE ', '').replace(' …', '');
      assert.equal(error?.message, `${named} cannot run inside a transaction block`);
      // Outside a transaction block (atomic = False: Django's autocommit) it runs.
      await db.exec(sql);
      await db.exec(`DROP TABLE shop_order CASCADE; DROP MATERIALIZED VIEW IF EXISTS shop_totals; ${SETUP}`);
    });
  }
});

// MG114's other deploy failure: LOCK TABLE sent on its own in a migration with atomic = False (Django's
// autocommit, no transaction block) is refused; inside a block, or in one string with other statements (one
// implicit transaction block), it runs.
describe('LOCK TABLE outside a transaction block, on PostgreSQL 18 (PGlite)', () => {
  let db: PGlite;
  before(async () => {
    db = new PGlite();
    await db.exec(SETUP);
  });
  after(async () => {
    await db.close();
  });

  it('alone in autocommit: refused with the message MG114 quotes', async () => {
    await assert.rejects(db.query('LOCK TABLE shop_order IN SHARE MODE'), { code: '25P01', message: 'LOCK TABLE can only be used in transaction blocks' });
  });

  it('with another statement in one string, or between BEGIN and COMMIT: runs', async () => {
    await db.exec('LOCK TABLE shop_order IN SHARE MODE; SELECT 1;');
    await db.exec('BEGIN; LOCK TABLE shop_order IN SHARE MODE; COMMIT;');
  });
});
