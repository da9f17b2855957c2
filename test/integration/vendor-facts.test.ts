// What the hover says about another database (lsp/hover.ts VENDOR_DDL) is what Django's backends say: whether the
// backend can roll back DDL, and that the schema editor runs a migration in a transaction only when it can. Read
// from Debian's Django 3.2 and from Django 5.2 (harness/django5.ts), without a database server.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { VENDOR_DDL } from '../../server/src/lsp/hover';
import { DEBIAN_PYTHON } from './harness/django';
import { django5Python } from './harness/django5';
import { run } from './harness/run';

const MODULES: Record<string, string> = { mysql: 'mysql', sqlite: 'sqlite3' };

const PROBE = `
import importlib, inspect, json, sys
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
facts = {"atomic_only_if_rollback": "can_rollback_ddl and atomic" in inspect.getsource(BaseDatabaseSchemaEditor.__init__)}
for vendor, module in json.loads(sys.argv[1]).items():
    if module == "sqlite3":
        importlib.import_module("django.db.backends.sqlite3.base")  # its features module, imported first, is a circular import
    facts[vendor] = importlib.import_module(f"django.db.backends.{module}.features").DatabaseFeatures.can_rollback_ddl
print(json.dumps(facts))
`;

async function facts(python: string): Promise<Record<string, boolean>> {
  const probed = await run(python, ['-c', PROBE, JSON.stringify(MODULES)]);
  assert.equal(probed.status, 0, probed.stderr);
  return JSON.parse(probed.stdout) as Record<string, boolean>;
}

describe('the hover\'s facts about other databases, from Django', () => {
  for (const [label, python] of [['Django 3.2', async () => DEBIAN_PYTHON], ['Django 5.2', django5Python]] as const) {
    test(label, async () => {
      const found = await facts(await python());
      assert.equal(found.atomic_only_if_rollback, true, 'the schema editor runs a migration atomically only when the backend can roll back DDL');
      assert.deepEqual(Object.keys(VENDOR_DDL).sort(), Object.keys(MODULES).sort());
      for (const [vendor, fact] of Object.entries(VENDOR_DDL)) assert.equal(found[vendor], fact!.canRollbackDdl, `${vendor}: can_rollback_ddl`);
    });
  }
});
