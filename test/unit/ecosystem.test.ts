// What the ecosystem's packages mark in a migration, read into the model and the replayed state:
// django-add-default-value's AddDefaultValue, django-safemigrate's `safe` and django-syzygy's `stage`.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { parseMigration } from '../../server/src/analysis/migration';
import { initParser, parsePython } from '../../server/src/base/parser';
import { Workspace } from '../../server/src/engine/workspace';

before(() => initParser());

const INITIAL = `from django.db import migrations, models

class Migration(migrations.Migration):
    initial = True
    operations = [migrations.CreateModel("Order", [("id", models.BigAutoField(primary_key=True))])]
`;

test('AddDefaultValue is an operation with its field, and the replayed column has a database default', () => {
  const source = `from django.db import migrations, models
import django_add_default_value

class Migration(migrations.Migration):
    dependencies = [("shop", "0001_initial")]
    operations = [
        migrations.AddField("order", "status", models.CharField(max_length=9, default="new")),
        django_add_default_value.AddDefaultValue(model_name="order", name="status", value="new"),
    ]
`;
  const tree = parsePython(source);
  const migration = parseMigration('/p/shop/migrations/0002_status.py', tree.rootNode)!;
  assert.deepEqual(migration.operations.map((op) => [op.kind, op.modelName, op.fieldName]), [['AddField', 'order', 'status'], ['AddDefaultValue', 'order', 'status']]);
  tree.delete();
  const workspace = new Workspace();
  workspace.indexText('/p/shop/migrations/0001_initial.py', INITIAL);
  workspace.indexText('/p/shop/migrations/0002_status.py', source);
  const order = workspace.stateAfter('shop.0002_status').get('shop.order')!;
  assert.equal(order.uncertain, false, 'AddDefaultValue is understood, not an unknown operation');
  assert.equal(order.fields.get('status')!.databaseDefault, true);
  assert.equal(order.fields.get('status')!.info!.hasDbDefault, false, 'Django\'s own state has no db_default');
});

test('deploy-stage markers: safemigrate and syzygy spellings, resolved through the imports', () => {
  const stage = (imports: string, attribute: string) => {
    const tree = parsePython(`${imports}\nfrom django.db import migrations\n\nclass Migration(migrations.Migration):\n    ${attribute}\n    operations = []\n`);
    try {
      return parseMigration('/p/shop/migrations/0002_x.py', tree.rootNode)!.deployStage;
    } finally {
      tree.delete();
    }
  };
  assert.equal(stage('from django_safemigrate import Safe', 'safe = Safe.after_deploy()'), 'after-deploy');
  assert.equal(stage('from django_safemigrate import Safe', 'safe = Safe.after_deploy(delay=timedelta(days=1))'), 'after-deploy');
  assert.equal(stage('from django_safemigrate import Safe', 'safe = Safe.after_deploy'), 'after-deploy');
  assert.equal(stage('from django_safemigrate import Safe', 'safe = Safe.before_deploy()'), 'before-deploy');
  assert.equal(stage('from django_safemigrate import Safe', 'safe = Safe.always()'), 'always');
  assert.equal(stage('import django_safemigrate', 'safe = django_safemigrate.Safe.after_deploy()'), 'after-deploy');
  assert.equal(stage('from syzygy import Stage', 'stage = Stage.POST_DEPLOY'), 'after-deploy');
  assert.equal(stage('from syzygy.constants import Stage', 'stage = Stage.PRE_DEPLOY'), 'before-deploy');
  assert.equal(stage('from myapp.stages import Safe', 'safe = Safe.after_deploy()'), undefined);
  assert.equal(stage('from syzygy import Stage', 'stage = Stage.SOMETHING_ELSE'), undefined);
  assert.equal(stage('from django_safemigrate import Safe', 'safe = Safe.constructor()'), undefined);
  assert.equal(stage('', 'safe = True'), undefined);
});
