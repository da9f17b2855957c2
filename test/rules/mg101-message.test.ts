// MG101's message when the index is built under a lock an earlier operation of the same atomic migration took.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { initParser } from '../../server/src/base/parser';
import { lintDocsExample } from '../helpers/engine';

before(() => initParser());

const HISTORY = `from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [
        migrations.CreateModel(name="Order", fields=[("id", models.BigAutoField(primary_key=True)), ("created", models.DateTimeField())]),
    ]
`;

test('the lock an earlier operation took is named once, with its article dropped ("holds the ACCESS EXCLUSIVE lock")', () => {
  const result = lintDocsExample(`from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("shop", "0001_initial")]
    operations = [
        migrations.AddField(model_name="order", name="note", field=models.TextField(default="")),
        migrations.AddIndex(model_name="order", index=models.Index(fields=["created"], name="order_created_idx")),
    ]
`, HISTORY);
  const mg101 = result.violations.find((v) => v.code === 'MG101');
  assert.ok(mg101, result.violations.map((v) => v.code).join(', '));
  assert.match(mg101.message, /holds the ACCESS EXCLUSIVE lock `AddField` took above/);
  assert.doesNotMatch(mg101.message, /the an /);
});
