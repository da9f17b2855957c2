// The fixes inside RunSQL strings (fixes/sql-concurrently.ts, fixes/sql-not-valid.ts) and the safety of the
// `atomic = False` they and MG101/MG102's fixes set (issue 13 item 14): the real engine, tree-sitter and
// PostgreSQL's parser; each fixed text is re-linted, re-parsed by libpg-query and by python3's `ast`.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { defaultConfig } from '../../server/src/config/defaults';
import { fixSource } from '../../server/src/engine/fix';
import { lintSource } from '../../server/src/engine/lint';
import { initParser } from '../../server/src/base/parser';
import { loadSqlParser } from '../../server/src/base/sql-parser';
import { applyEdits } from '../../server/src/fixes/apply';
import type { Violation } from '../../server/src/rules/types';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pythonSyntaxErrors } from '../helpers/python';

function pythonErrors(text: string): Record<string, string> {
  const dir = mkdtempSync(join(tmpdir(), 'mg-sql-fix-'));
  try {
    const file = join(dir, 'fixed.py');
    writeFileSync(file, text);
    return pythonSyntaxErrors([file]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

before(async () => {
  await initParser();
  assert.equal(await loadSqlParser(), true);
});

const PATH = '/p/shop/migrations/0002_x.py';

function migration(operations: string[], attributes: string[] = [], newline = '\n'): string {
  return [
    'from django.db import migrations, models', '', '',
    'class Migration(migrations.Migration):', ...attributes.map((line) => `    ${line}`),
    '    dependencies = [("shop", "0001_initial")]', '', '    operations = [',
    ...operations.map((op) => `        ${op},`), '    ]', '',
  ].join(newline);
}

function lint(text: string): Violation[] {
  const result = lintSource({ path: PATH, text, config: defaultConfig() });
  result.tree.delete();
  return result.violations;
}

function only(text: string, code: string): Violation {
  const found = lint(text).filter((v) => v.code === code);
  assert.equal(found.length, 1, `expected one ${code}, got ${found.length}`);
  return found[0];
}

/** Applies every fix (unsafe too), then checks what the fix-golden tests check, plus the SQL of each RunSQL. */
function fixAll(text: string): string {
  const fixed = fixSource({ path: PATH, text, config: defaultConfig() }, { unsafe: true });
  assert.ok(fixed.applied > 0, 'no fix applied');
  assert.deepEqual(fixed.result.violations.filter((v) => v.fixes.length > 0).map((v) => v.code), []);
  assert.deepEqual(fixed.result.violations.filter((v) => v.code === 'MG401').map((v) => v.message), []);
  const again = fixSource({ path: PATH, text: fixed.text, config: defaultConfig() }, { unsafe: true });
  assert.equal(again.applied, 0, 'a second application changed something');
  fixed.result.tree.delete();
  again.result.tree.delete();
  assert.deepEqual(pythonErrors(fixed.text), {});
  return fixed.text;
}

describe('CONCURRENTLY written into the RunSQL string', () => {
  test('index statements alone: the fix is safe and sets atomic = False', () => {
    const text = migration(['migrations.RunSQL("CREATE INDEX shop_order_note_idx ON shop_order (note)", reverse_sql="DROP INDEX shop_order_note_idx")']);
    const violation = only(text, 'MG101');
    assert.equal(violation.fixes.length, 1);
    assert.equal(violation.fixes[0].applicability, 'safe');
    assert.equal(violation.fixes[0].title, 'Write CREATE INDEX CONCURRENTLY');
    const fixed = fixAll(text);
    assert.match(fixed, /atomic = False/);
    assert.match(fixed, /"CREATE INDEX CONCURRENTLY shop_order_note_idx ON shop_order \(note\)"/);
    // reverse_sql is not touched
    assert.match(fixed, /reverse_sql="DROP INDEX shop_order_note_idx"/);
  });

  test('other operations in the migration: unsafe, and the title says why', () => {
    const text = migration([
      'migrations.AddField("order", "paid", models.BooleanField(null=True))',
      'migrations.RunSQL(["SET lock_timeout = \'4s\'", "DROP INDEX shop_order_note_idx"], reverse_sql=migrations.RunSQL.noop)',
    ]);
    const violation = only(text, 'MG102');
    assert.equal(violation.fixes[0].applicability, 'unsafe');
    assert.equal(violation.fixes[0].title, 'Write DROP INDEX CONCURRENTLY and set atomic = False for the whole migration');
    assert.equal(violation.fixes[0].unsafeBecause, '1 other operation loses its transaction');
    assert.match(violation.help ?? '', /Move it into a migration of its own/);
    assert.match(fixAll(text), /"SET lock_timeout = '4s'", "DROP INDEX CONCURRENTLY shop_order_note_idx"/);
  });

  test('already non-atomic: safe, and atomic is left alone', () => {
    const text = migration(['migrations.AddField("order", "paid", models.BooleanField(null=True))', 'migrations.RunSQL("CREATE UNIQUE INDEX u ON shop_order (code)", migrations.RunSQL.noop)'], ['atomic = False', '']);
    const violation = only(text, 'MG103');
    assert.equal(violation.fixes[0].applicability, 'safe');
    assert.equal(violation.fixes[0].edits.length, 1);
    assert.match(fixAll(text), /"CREATE UNIQUE INDEX CONCURRENTLY u ON shop_order \(code\)"/);
  });

  test('no fix where the concurrent form cannot run', () => {
    const cases = [
      // one list item of several statements: one execute call, one implicit transaction
      'migrations.RunSQL(["CREATE INDEX a ON shop_order (note); SELECT 1"], migrations.RunSQL.noop)',
      // a string of several statements: Django's PostgreSQL backend sends it whole, one implicit transaction too
      'migrations.RunSQL("SET lock_timeout = \'4s\'; CREATE INDEX a ON shop_order (note)", migrations.RunSQL.noop)',
      // PostgreSQL drops only one index concurrently, and never with CASCADE
      'migrations.RunSQL("DROP INDEX a, b", migrations.RunSQL.noop)',
      'migrations.RunSQL("DROP INDEX a CASCADE", migrations.RunSQL.noop)',
      // a comment between the keywords: not where the regular expression would insert
      'migrations.RunSQL("CREATE /* x */ INDEX a ON shop_order (note)", migrations.RunSQL.noop)',
    ];
    for (const op of cases) {
      const found = lint(migration([op])).filter((v) => v.code === 'MG101' || v.code === 'MG102');
      assert.equal(found.length, 1, op);
      assert.deepEqual(found[0].fixes, [], op);
    }
  });

  test('escapes, implicit concatenation, non-ASCII and CRLF: the edit lands after INDEX', () => {
    const text = migration([
      'migrations.RunSQL("CREATE INDEX" " \\"café_idx\\" ON shop_order (note)\\n", migrations.RunSQL.noop)',
    ], [], '\r\n');
    const fixed = fixAll(text);
    assert.match(fixed, /"CREATE INDEX CONCURRENTLY" " \\"café_idx\\" ON shop_order \(note\)\\n"/);
    assert.match(fixed, /\r\n    atomic = False\r\n\r\n/);
    assert.ok(!/[^\r]\n/.test(fixed), 'every line ending stays CRLF');
  });
});

describe('NOT VALID appended to a CHECK or FOREIGN KEY', () => {
  test('CHECK: unsafe, titled so, the help says to validate in a later migration', () => {
    const text = migration(['migrations.RunSQL("ALTER TABLE shop_order ADD CONSTRAINT total_pos CHECK (total >= 0);", migrations.RunSQL.noop)']);
    const violation = only(text, 'MG104');
    assert.equal(violation.fixes[0].applicability, 'unsafe');
    assert.match(violation.fixes[0].title, /unsafe: existing rows stay unchecked until `VALIDATE CONSTRAINT total_pos` runs in a later migration/);
    assert.match(violation.help ?? '', /VALIDATE CONSTRAINT total_pos` in a later migration/);
    assert.equal(applyEdits(text, violation.fixes[0].edits).includes('CHECK (total >= 0) NOT VALID;"'), true);
    fixAll(text);
  });

  test('FOREIGN KEY in a triple-quoted string', () => {
    const text = migration(['migrations.RunSQL(\n            """\n            ALTER TABLE shop_order\n              ADD CONSTRAINT fk FOREIGN KEY (customer_id) REFERENCES shop_customer (id);\n            """,\n            migrations.RunSQL.noop,\n        )']);
    const violation = only(text, 'MG105');
    assert.equal(violation.fixes[0].applicability, 'unsafe');
    assert.match(fixAll(text), /REFERENCES shop_customer \(id\) NOT VALID;\n/);
  });

  test('no fix when the end of the constraint is not the end of the statement', () => {
    for (const sql of [
      'ALTER TABLE shop_order ADD CONSTRAINT c CHECK (total >= 0), ADD COLUMN x int',
      'ALTER TABLE shop_order ADD CONSTRAINT c CHECK (total >= 0) -- trailing comment',
    ]) {
      const violation = only(migration([`migrations.RunSQL(${JSON.stringify(sql)}, migrations.RunSQL.noop)`]), 'MG104');
      assert.deepEqual(violation.fixes, [], sql);
    }
  });
});

describe('MG101/MG102 fixes of Django operations (issue 13 item 14)', () => {
  test('index operations only: safe', () => {
    const text = migration([
      'migrations.AddIndex("order", models.Index(fields=["note"], name="order_note_idx"))',
      'migrations.RemoveIndex("order", "order_old_idx")',
    ]);
    const found = lint(text).filter((v) => v.code === 'MG101' || v.code === 'MG102');
    assert.deepEqual(found.map((v) => v.code).sort(), ['MG101', 'MG102']);
    for (const violation of found) {
      assert.equal(violation.fixes[0].applicability, 'safe', violation.code);
      assert.doesNotMatch(violation.fixes[0].title, /unsafe/);
    }
  });

  test('with another operation: unsafe, the title says the other operations lose their transaction', () => {
    const text = migration([
      'migrations.AddIndex("order", models.Index(fields=["note"], name="order_note_idx"))',
      'migrations.RunPython(migrations.RunPython.noop, migrations.RunPython.noop)',
      'migrations.AddField("order", "paid", models.BooleanField(null=True))',
    ]);
    const violation = only(text, 'MG101');
    assert.equal(violation.fixes[0].applicability, 'unsafe');
    assert.equal(violation.fixes[0].title, 'Use AddIndexConcurrently and set atomic = False for the whole migration');
    assert.equal(violation.fixes[0].unsafeBecause, '2 other operations lose their transaction');
    assert.match(violation.help ?? '', /Move it into a migration of its own/);
    // --fix (safe fixes only) leaves the file alone
    const safeOnly = fixSource({ path: PATH, text, config: defaultConfig() });
    assert.equal(safeOnly.text, text);
    safeOnly.result.tree.delete();
  });
});
