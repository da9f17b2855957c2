// Every lock, rewrite and scan claim of server/src/analysis/claims.ts, checked against a real PostgreSQL 18
// (PGlite): the SQL Django's sqlmigrate printed (goldens/django-*/), applied to populated tables.
// CONCURRENTLY and VACUUM claims need a second session and a server: test/integration checks them on PostgreSQL 15.
import { strict as assert } from 'node:assert';
import { describe, it, before, after } from 'node:test';
import { PGlite } from '@electric-sql/pglite';
import { CLAIMS, type Claim, type ClaimId, type TableRole } from '../../server/src/analysis/claims';
import { needsSecondSession, observe, prepare, readGoldens, resetDatabase, type Golden, type Observation } from './observe';

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

describe('claims table', () => {
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
    });
  }
});

function disagreement(golden: Golden): string {
  return `${golden.file}: PostgreSQL disagrees with CLAIMS['${golden.claim}'] (left: observed, right: claimed)`;
}
