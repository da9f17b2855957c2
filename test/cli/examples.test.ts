// `migration-guard check examples/`: the example shop project produces exactly the findings it was written for.
import assert from 'node:assert/strict';
import { relative } from 'node:path';
import { test } from 'node:test';
import { ROOT, run, runJson } from './helpers';

/** Per file, the codes at warning or error level. Info-level advice may be added by future rules. */
const EXPECTED: Record<string, string[]> = {
  'examples/shop/shop/migrations/0002_order_created_idx.py': ['MG101'],
  'examples/shop/shop/migrations/0003_order_status.py': ['MG201'],
  'examples/shop/shop/migrations/0004_backfill_status.py': ['MG301'],
  'examples/shop/shop/migrations/0005_drop_order_note.py': ['MG202'],
  'examples/shop/shop/migrations/0006_order_status_idx_concurrently.py': ['MG109'],
  'examples/shop/shop/migrations/0007_raw_sql.py': ['MG302'],
  'examples/shop/shop_project/production_settings.py': ['MG601', 'MG602', 'MG703', 'MG705'],
};

test('examples/ produces the expected codes per file, and nothing for the safe migrations and settings', () => {
  const { status, findings, stderr } = runJson(['examples/'], ROOT);
  assert.equal(status, 1, stderr);
  assert.equal(stderr, '');
  const actual: Record<string, string[]> = {};
  for (const finding of findings) {
    if (finding.severity === 'info') continue;
    const file = relative(ROOT, finding.filename).split('\\').join('/');
    (actual[file] ??= []).push(finding.code);
  }
  for (const codes of Object.values(actual)) codes.sort();
  assert.deepEqual(actual, EXPECTED);
});

test('the text report of examples/ ends with the summary', () => {
  const result = run(['check', 'examples/'], ROOT);
  assert.equal(result.status, 1);
  assert.match(result.stdout, /^examples\/shop\/shop\/migrations\/0002_order_created_idx\.py:11:9: MG101 /m);
  assert.match(result.stdout.trimEnd().split('\n').pop()!, /^Found \d+ problems \(\d+ warnings, 1 error(, \d+ info)?\) in \d+ files/);
});
