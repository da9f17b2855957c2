// MG900's fix on the comment shapes a fixture's `# expect:` comment cannot show.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { defaultConfig } from '../../server/src/config/defaults';
import { fixSource } from '../../server/src/engine/fix';
import { initParser } from '../../server/src/base/parser';

before(() => initParser());

const HEAD = 'from django.db import migrations, models\n\n\nclass Migration(migrations.Migration):\n    operations = [\n';

function fixed(body: string): string {
  const text = `${HEAD}${body}    ]\n`;
  const result = fixSource({ path: '/p/shop/migrations/0002_x.py', text, config: defaultConfig() });
  result.result.tree.delete();
  return result.text.slice(HEAD.length, -'    ]\n'.length);
}

test('an unused noqa alone on its line is removed with its line', () => {
  assert.equal(fixed('        # noqa: MG101\n        migrations.RunSQL("SELECT 1", migrations.RunSQL.noop),\n'), '        migrations.RunSQL("SELECT 1", migrations.RunSQL.noop),\n');
});

test('an unused trailing noqa goes with the spaces before it; other codes stay', () => {
  assert.equal(fixed('        migrations.RunSQL("SELECT 1", migrations.RunSQL.noop),  # noqa: MG302\n'), '        migrations.RunSQL("SELECT 1", migrations.RunSQL.noop),\n');
  assert.equal(fixed('        migrations.RunSQL("SELECT 1"),  # noqa: MG101, MG302\n'), '        migrations.RunSQL("SELECT 1"),  # noqa: MG302\n');
  assert.equal(fixed('        migrations.RunSQL("SELECT 1", migrations.RunSQL.noop),  # noqa: MG302, MG101 -- old\n'), '        migrations.RunSQL("SELECT 1", migrations.RunSQL.noop),\n');
});
