// Every lock, rewrite and scan claim of server/src/analysis/claims.ts, checked against a real PostgreSQL 18
// (PGlite): the SQL Django's sqlmigrate printed (goldens/django-*/), applied to populated tables.
// CONCURRENTLY and VACUUM claims need a second session and a server: test/integration checks them on PostgreSQL 15.
import { strict as assert } from 'node:assert';
import { describe, it, before, after } from 'node:test';
import { PGlite } from '@electric-sql/pglite';
import { CLAIMS, type Claim, type ClaimId, type TableRole } from '../../server/src/analysis/claims';
import { sqlColumnType, type ColumnType } from '../../server/src/analysis/column-types';
import { classifyStatement, type SqlAction } from '../../server/src/analysis/sql-classify';
import { statementClaims } from '../../server/src/analysis/sql-claims';
import { loadSqlParser, parseSql } from '../../server/src/base/sql-parser';
import { needsSecondSession, observe, prepare, readGoldens, resetDatabase, withoutTransaction, type Database, type Golden, type Observation } from './observe';

const ROWS = 2000;
const goldens = readGoldens();

/** What the claim says of each table the observation saw, in the observation's own terms. */
export function expected(claim: Claim, observation: Observation): Observation {
  const result: Observation = new Map();
  for (const role of observation.keys()) {
    const known = (['table', 'referenced', 'referencing'] as const).includes(role as TableRole) ? (role as TableRole) : undefined;
    result.set(role, {
      lock: known ? claim.locks[known] : undefined,
      rewritten: known === 'table' && claim.rewrites,
      scanned: known !== undefined && claim.scans.includes(known),
    });
  }
  return result;
}

/** What PostgreSQL's parser and our classifier make of a golden's observed SQL. */
function observedActions(golden: Golden): SqlAction[] {
  const parsed = parseSql(withoutTransaction(golden.observed));
  assert.ok(parsed?.ok, `${golden.file}: the observed SQL parses`);
  return parsed.statements.map((statement) => classifyStatement(statement.stmt));
}

/**
 * The claims the hover and the SQL rules give the statements of a golden written by hand (sql-claims.ts), with the
 * old column types as PostgreSQL reports them after the setup (the migrations' state gives them in the editor).
 */
async function claimedForStatements(golden: Golden, db?: Database): Promise<ClaimId[]> {
  const types = new Map<string, ColumnType | undefined>();
  if (db) {
    const { rows } = await db.query<{ relname: string; attname: string; type: string }>(
      `SELECT c.relname, a.attname, format_type(a.atttypid, a.atttypmod) AS type FROM pg_attribute a JOIN pg_class c ON c.oid = a.attrelid
        WHERE c.relnamespace = 'public'::regnamespace AND a.attnum > 0 AND NOT a.attisdropped`);
    for (const row of rows) {
      // The type as our classifier writes it: through the parser, as in `ALTER COLUMN … TYPE <type>`.
      const [action] = observedActions({ ...golden, observed: `ALTER TABLE t ALTER COLUMN c TYPE ${row.type}` });
      const text = action.kind === 'alter-table' && action.commands[0].kind === 'alter-column-type' ? action.commands[0].newType : '';
      types.set(`${row.relname}.${row.attname}`, sqlColumnType(text));
    }
  }
  return observedActions(golden).flatMap((action) => statementClaims(action, (table, column) => types.get(`${table}.${column}`)).map((found) => found.id));
}

describe('claims table', () => {
  before(async () => {
    assert.equal(await loadSqlParser(), true);
  });
  it('the statements PGlite cannot observe get their golden\'s claim from sql-claims.ts', async () => {
    const deferred = goldens.filter((g) => g.django === 'sql' && needsSecondSession(g));
    // PostgreSQL 15's second session checks the locks of these (test/integration/postgres-claims.test.ts).
    assert.deepEqual(deferred.map((golden) => golden.claim), ['RunSQL.vacuumFull']);
    for (const golden of deferred) {
      assert.deepEqual(await claimedForStatements(golden), [golden.claim], golden.file);
    }
  });
  it('every claim has a golden, and every golden names a claim', () => {
    const covered = new Set(goldens.map((golden) => golden.claim));
    assert.deepEqual(Object.keys(CLAIMS).filter((id) => !covered.has(id)), []);
    assert.deepEqual([...covered].filter((id) => !(id in CLAIMS)), []);
  });
  it('goldens come from both Django versions recorded, and from the SQL written by hand', () => {
    assert.deepEqual([...new Set(goldens.map((golden) => golden.django))], ['3.2', '5.2', 'sql']);
  });
});

describe('claims against PostgreSQL 18 (PGlite)', () => {
  let db: PGlite;
  let version = '';
  before(async () => {
    db = new PGlite();
    await db.query('SELECT 1');
  });
  after(async () => {
    await db.close();
  });

  for (const golden of goldens.filter((g) => !needsSecondSession(g))) {
    it(`${golden.claim} (${golden.django === 'sql' ? 'SQL written by hand' : `Django ${golden.django}`})`, async () => {
      if (golden.django !== version) {
        await resetDatabase(db);
        version = golden.django;
      }
      await prepare(db, golden, ROWS);
      const observation = await observe(db, golden);
      assert.deepEqual(Object.fromEntries(observation), Object.fromEntries(expected(CLAIMS[golden.claim as ClaimId], observation)), disagreement(golden));
      // SQL written by hand: the hover and the SQL rules name this claim for the statement (what was checked above).
      // (A golden of several statements, observed together, has its claim among theirs.)
      if (golden.django === 'sql') assert.ok((await claimedForStatements(golden, db)).includes(golden.claim as ClaimId), `${golden.file}: sql-claims.ts does not give its statements this claim`);
    });
  }
});

function disagreement(golden: Golden): string {
  return `${golden.file}: PostgreSQL disagrees with CLAIMS['${golden.claim}'] (left: observed, right: claimed)`;
}
