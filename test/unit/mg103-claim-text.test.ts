// MG103 names the statement Django really runs: a UniqueConstraint with expressions (or include/opclasses) and no
// condition is `CREATE UNIQUE INDEX` with no WHERE (netbox's `Lower("name"), F("site")` constraints said "… WHERE").
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { CLAIMS } from '../../server/src/analysis/claims';
import { classifyStatement } from '../../server/src/analysis/sql-classify';
import { statementClaims } from '../../server/src/analysis/sql-claims';
import { parseSql } from '../../server/src/base/sql-parser';
import { initParser } from '../../server/src/base/parser';
import { loadSqlParser } from '../../server/src/base/sql-parser';
import { lintFixture } from '../helpers/engine';

before(async () => {
  await initParser();
  assert.equal(await loadSqlParser(), true);
});

function migration(operation: string): string {
  return [
    'import django.db.models.functions.text',
    'from django.db import migrations, models',
    '',
    '',
    'class Migration(migrations.Migration):',
    '    dependencies = [("shop", "0001_initial")]',
    '',
    '    operations = [',
    `        ${operation},`,
    '    ]',
    '',
  ].join('\n');
}

function mg103(operation: string): string[] {
  const result = lintFixture('0002_x.py', migration(operation));
  try {
    return result.violations.filter((violation) => violation.code === 'MG103').map((violation) => violation.message);
  } finally {
    result.tree.delete();
  }
}

test('expressions without a condition: CREATE UNIQUE INDEX, no WHERE', () => {
  const [message, ...rest] = mg103('migrations.AddConstraint(model_name="device", constraint=models.UniqueConstraint(django.db.models.functions.text.Lower("name"), models.F("site"), name="device_name_site"))');
  assert.deepEqual(rest, []);
  assert.match(message, /runs `CREATE UNIQUE INDEX`, which takes a SHARE lock/);
  assert.doesNotMatch(message, /WHERE/);
  assert.equal(CLAIMS['AddConstraint.uniqueIndex'].sql, 'CREATE UNIQUE INDEX');
});

test('include without a condition: CREATE UNIQUE INDEX, no WHERE', () => {
  const [message] = mg103('migrations.AddConstraint(model_name="device", constraint=models.UniqueConstraint(fields=["name"], include=["site"], name="device_name"))');
  assert.match(message, /runs `CREATE UNIQUE INDEX`,/);
});

test('a condition: CREATE UNIQUE INDEX … WHERE', () => {
  const [message] = mg103('migrations.AddConstraint(model_name="device", constraint=models.UniqueConstraint(fields=["name"], condition=models.Q(parent=None), name="device_name"))');
  assert.match(message, /runs `CREATE UNIQUE INDEX … WHERE`,/);
});

/** The claim rows the hover cites for one statement. */
function claimsOf(sql: string): string[] {
  const parsed = parseSql(sql);
  assert.ok(parsed?.ok, sql);
  return statementClaims(classifyStatement(parsed.statements[0].stmt)).map((claim) => claim.id);
}

test('RunSQL: CREATE UNIQUE INDEX with and without WHERE: the same SHARE lock, each its own claim row', () => {
  const [plain] = mg103('migrations.RunSQL("CREATE UNIQUE INDEX device_name ON shop_order (code)", reverse_sql="DROP INDEX device_name")');
  assert.match(plain, /^`CREATE UNIQUE INDEX` `device_name` on .* takes a SHARE lock/);
  const [partial] = mg103('migrations.RunSQL("CREATE UNIQUE INDEX device_name ON shop_order (code) WHERE note IS NULL", reverse_sql="DROP INDEX device_name")');
  assert.match(partial, /^`CREATE UNIQUE INDEX` `device_name` on .* takes a SHARE lock/);
  assert.deepEqual(claimsOf('CREATE UNIQUE INDEX device_name ON shop_order (code)'), ['AddConstraint.uniqueIndex']);
  assert.deepEqual(claimsOf('CREATE UNIQUE INDEX device_name ON shop_order (code) WHERE note IS NULL'), ['AddConstraint.uniqueCondition']);
});
