// MG114 and MG109 over a real LSP connection: the statements that lock a whole table for as long as they run
// (CLUSTER, VACUUM FULL, SET LOGGED/UNLOGGED, LOCK TABLE) get their diagnostic on the statement inside the string,
// and the hover there names the verified claim (analysis/claims.ts: RunSQL.vacuumFull, RunSQL.lockTable*, RunSQL.reindex).
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Hover, MarkupContent } from 'vscode-languageserver-protocol/node';
import { TestClient, makeProject, rangeOf } from './client';

const markdown = (hover: Hover | null) => {
  assert.ok(hover, 'a hover');
  return (hover.contents as MarkupContent).value;
};

const plain = (message: string | MarkupContent) => (typeof message === 'string' ? message : message.value);

const TEXT = [
  'from django.db import migrations',
  '',
  '',
  'class Migration(migrations.Migration):',
  '    dependencies = [("shop", "0001_initial")]',
  '',
  '    operations = [',
  '        migrations.RunSQL(',
  '            """',
  '            -- café ☕',
  '            LOCK TABLE shop_order IN SHARE MODE;',
  '            VACUUM FULL shop_order;',
  '            LOCK TABLE shop_order IN ROW EXCLUSIVE MODE;',
  '            REINDEX TABLE shop_order;',
  '            """,',
  '            reverse_sql=migrations.RunSQL.noop,',
  '        ),',
  '    ]',
  '',
].join('\n');

describe('MG114 in the editor', () => {
  const project = makeProject();
  let client: TestClient;

  before(async () => {
    client = new TestClient({ rootPath: project.root });
    await client.initialize();
  });

  after(async () => {
    await client.dispose();
    project.dispose();
  });

  test('diagnostics on the statements inside the string; the hover names the claim', async () => {
    const uri = await client.open(project.write('shop/migrations/0005_maintenance.py', TEXT), TEXT);
    const diagnostics = await client.waitForCurrent(uri, (found) => found.some((d) => d.code === 'MG114'));
    const lock = rangeOf(TEXT, 'LOCK TABLE shop_order IN SHARE MODE');
    const vacuum = rangeOf(TEXT, 'VACUUM FULL shop_order');
    const mg114 = diagnostics.filter((d) => d.code === 'MG114');
    assert.deepEqual(mg114.map((d) => d.range.start), [lock.start, vacuum.start]);
    assert.match(plain(mg114[0].message), /takes a SHARE lock and keeps it until the transaction ends: inserts, updates and deletes wait/);
    assert.match(plain(mg114[1].message), /`VACUUM FULL` on `shop_order` takes an ACCESS EXCLUSIVE lock: reads and writes wait while the table and its indexes are rewritten/);
    // VACUUM shares its string (one transaction block) with other statements: it fails there, atomic or not;
    // MG109 says so on the RunSQL call.
    const mg109 = diagnostics.filter((d) => d.code === 'MG109');
    assert.equal(mg109.length, 1);
    assert.match(plain(mg109[0].message), /`RunSQL` with `VACUUM FULL` is sent to PostgreSQL in one string with other statements/);

    const onVacuum = markdown(await client.hover(uri, vacuum.start));
    assert.match(onVacuum, /\*\*ACCESS EXCLUSIVE\*\* on `shop_order`/);
    assert.match(onVacuum, /Rewrites `shop_order` and its indexes/);
    assert.match(onVacuum, /Safe route: pg_repack/);
    const onLock = markdown(await client.hover(uri, lock.start));
    assert.match(onLock, /`LOCK TABLE … IN SHARE MODE` — PostgreSQL lock: \*\*SHARE\*\* on `shop_order`/);
    const onWeak = markdown(await client.hover(uri, rangeOf(TEXT, 'LOCK TABLE shop_order IN ROW EXCLUSIVE').start));
    assert.match(onWeak, /No verified claim describes this statement/);
    // REINDEX (MG101's) has its verified row too.
    assert.match(markdown(await client.hover(uri, rangeOf(TEXT, 'REINDEX TABLE').start)), /\*\*SHARE\*\* on `shop_order`/);
  });
});
