// The lexical read of RunSQL text that the replay uses for NOT VALID / VALIDATE CONSTRAINT (the SQL parser is not
// loaded when the workspace is indexed): each case is checked against PostgreSQL's own parse with libpg-query, so
// the lexical read never says what the SQL does not.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { constraintValidity } from '../../server/src/analysis/sql-constraint-validity';
import { loadSqlParser, parseSql } from '../../server/src/base/sql-parser';

before(async () => assert.ok(await loadSqlParser()));

/** What PostgreSQL's parse tree says: constraints added NOT VALID (skip_validation) and validated, per table. */
function parsed(sql: string) {
  const result = parseSql(sql);
  assert.ok(result?.ok, `SQL parses: ${sql}`);
  const addedNotValid: { table: string; name: string }[] = [];
  const validated: { table: string; name: string }[] = [];
  for (const { stmt } of result.statements as unknown as { stmt: Record<string, any> }[]) {
    const alter = stmt.AlterTableStmt;
    if (!alter) continue;
    const table = alter.relation.relname as string;
    for (const { AlterTableCmd: cmd } of alter.cmds) {
      if (cmd.subtype === 'AT_AddConstraint' && cmd.def.Constraint.skip_validation) addedNotValid.push({ table, name: cmd.def.Constraint.conname });
      if (cmd.subtype === 'AT_ValidateConstraint') validated.push({ table, name: cmd.name });
    }
  }
  return { addedNotValid, validated };
}

const CASES = [
  'ALTER TABLE shop_order ADD CONSTRAINT order_note_not_null CHECK (note IS NOT NULL) NOT VALID',
  'ALTER TABLE shop_order ADD CONSTRAINT order_note_not_null CHECK (note IS NOT NULL)',
  'ALTER TABLE ONLY public."shop_order" VALIDATE CONSTRAINT "order_Memo"',
  'alter table if exists shop_order validate constraint c1; ALTER TABLE shop_line VALIDATE CONSTRAINT c2;',
  'ALTER TABLE shop_order ADD CONSTRAINT a CHECK (x IN (1, 2)), ADD CONSTRAINT b CHECK (y > 0) NOT VALID',
  'ALTER TABLE shop_order ADD CONSTRAINT fk FOREIGN KEY (user_id) REFERENCES auth_user (id) DEFERRABLE INITIALLY DEFERRED NOT VALID',
  "-- ALTER TABLE shop_order VALIDATE CONSTRAINT in_a_comment\nALTER TABLE shop_order ADD CONSTRAINT c CHECK (note <> 'NOT VALID')",
  "/* VALIDATE CONSTRAINT x; */ COMMENT ON TABLE shop_order IS 'ALTER TABLE shop_order VALIDATE CONSTRAINT y'",
  'DO $$ BEGIN ALTER TABLE shop_order VALIDATE CONSTRAINT inside_do; END $$',
  'CREATE INDEX CONCURRENTLY constraint_idx ON shop_order (note)',
];

for (const sql of CASES) {
  test(`read as PostgreSQL parses it: ${sql.replace(/\s+/g, ' ').slice(0, 70)}`, () => {
    assert.deepEqual(constraintValidity([sql]), parsed(sql));
  });
}
