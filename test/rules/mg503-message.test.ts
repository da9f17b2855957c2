// MG503's message tells a chain from two branches: a duplicate number that runs before this migration (this one
// depends on it, as in saleor's site/0045_merge_20260717_1359) needs no merge migration, two branches do.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { initParser } from '../../server/src/base/parser';
import { lintDocsExample } from '../helpers/engine';

before(() => initParser());

function migration(path: string, dependencies: string[]): string {
  return `# ${path}
from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [${dependencies.map((name) => `("shop", "${name}")`).join(', ')}]
    operations = []
`;
}

const INITIAL = migration('shop/migrations/0001_initial.py', []);

test('a duplicate number on another branch: "no merge migration joins them", and the help offers the merge', () => {
  // Of two branches, the finding goes on the later one in the graph's order (names break the tie).
  const result = lintDocsExample(migration('shop/migrations/0002_order_status.py', ['0001_initial']), [
    INITIAL, migration('shop/migrations/0002_order_note.py', ['0001_initial']),
  ]);
  const mg503 = result.violations.find((v) => v.code === 'MG503');
  assert.ok(mg503, result.violations.map((v) => v.code).join(', '));
  assert.match(mg503.message, /numbered 0002 \(`0002_order_note`\), and no merge migration joins them/);
  assert.match(mg503.help ?? '', /makemigrations --merge/);
});

test('a duplicate number this migration depends on: "which runs before it", and no merge migration is advised', () => {
  const result = lintDocsExample(migration('shop/migrations/0002_order_note.py', ['0002_order_status']), [
    INITIAL, migration('shop/migrations/0002_order_status.py', ['0001_initial']),
  ]);
  const mg503 = result.violations.find((v) => v.code === 'MG503');
  assert.ok(mg503, result.violations.map((v) => v.code).join(', '));
  assert.match(mg503.message, /numbered 0002 \(`0002_order_status`\), which runs before it:/);
  assert.doesNotMatch(mg503.help ?? '', /merge/);
});
