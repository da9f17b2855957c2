// What a thread's index keeps for its own lint (KeptForLint, used by the one-thread check and by each thread of a
// parallel one): the passes of the files it lints, handed over once, giving the findings a fresh parse gives; and
// PostgreSQL's SQL parser loading from the first migration to lint that runs raw SQL, not for any other.
import { strict as assert } from 'node:assert';
import { mkdtempSync, mkdirSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { KeptForLint, Sources, checkFile, type CheckFileContext } from '../../server/src/cli/check-file';
import { ConfigResolver } from '../../server/src/config/pyproject';
import { initParser } from '../../server/src/base/parser';
import { sqlParserState } from '../../server/src/base/sql-parser';
import { Workspace } from '../../server/src/engine/workspace';

const HEADER = 'from django.db import migrations, models\n\n\nclass Migration(migrations.Migration):\n';

function migration(dependency: string | undefined, operations: string): string {
  return `${HEADER}    dependencies = [${dependency ? `("shop", "${dependency}")` : ''}]\n    operations = [\n        ${operations}\n    ]\n`;
}

describe('KeptForLint', () => {
  let root: string;
  const files: string[] = [];
  const at = (name: string) => join(root, 'shop', 'migrations', name);

  before(async () => {
    await initParser();
    root = realpathSync(mkdtempSync(join(tmpdir(), 'mg-kept-')));
    mkdirSync(join(root, 'shop', 'migrations'), { recursive: true });
    writeFileSync(join(root, 'shop', 'models.py'), 'from django.db import models\n');
    files.push(join(root, 'shop', 'models.py'));
    const write = (name: string, text: string) => {
      writeFileSync(at(name), text);
      files.push(at(name));
    };
    write('0001_initial.py', migration(undefined, 'migrations.CreateModel(name="Order", fields=[("id", models.AutoField(primary_key=True)), ("code", models.TextField())]),'));
    write('0002_order_code_index.py', migration('0001_initial', 'migrations.AlterField(model_name="order", name="code", field=models.TextField(db_index=True)),'));
    // Raw SQL, in a migration the test never asks to lint.
    write('0003_raw.py', migration('0002_order_code_index', 'migrations.RunSQL("CREATE INDEX order_code ON shop_order (code)"),'));
    for (let n = 4; n <= 40; n++) write(`00${String(n).padStart(2, '0')}_more.py`, migration(n === 4 ? '0003_raw' : `00${String(n - 1).padStart(2, '0')}_more`, `migrations.AddField(model_name="order", name="f${n}", field=models.IntegerField(null=True)),`));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('keeps the passes of the files to lint only, hands each over once, and they lint as a fresh parse does', async () => {
    const lint = new Set([at('0002_order_code_index.py'), join(root, 'shop', 'models.py')]);
    const workspace = new Workspace();
    const kept = new KeptForLint(new Sources());
    await kept.indexProject(workspace, files, new Set(), lint);
    assert.equal(workspace.indexing, false);
    // Not one to lint: no pass, and the raw SQL in it does not load PostgreSQL's parser.
    assert.equal(kept.summary(at('0001_initial.py')), undefined);
    assert.equal(sqlParserState(), 'not-loaded');
    const file = at('0002_order_code_index.py');
    const summary = kept.summary(file);
    assert.ok(summary, 'the pass of a migration to lint is kept');
    assert.equal(workspace.summary(file), summary, 'the workspace holds the very summary of the kept pass');
    assert.ok(kept.sources.isOther(join(root, 'shop', 'models.py')), 'a module that cannot be settings is marked, its text not kept');

    const resolver = new ConfigResolver({});
    const context: CheckFileContext = { cwd: root, config: (path) => resolver.forFile(path).config, settingsModules: new Set(), workspace: () => workspace, sources: kept.sources };
    const pass = kept.take(file);
    assert.ok(pass);
    assert.equal(kept.take(file), undefined, 'a pass is handed over once');
    const fromPass = checkFile(file, context, pass);
    const fresh = checkFile(file, { ...context, sources: new Sources() });
    assert.ok(fromPass.findings.some((finding) => finding.code === 'MG101'), 'the AlterField adding an index is found');
    assert.deepEqual(fromPass, fresh);
    kept.release();
  });

  it('starts loading the SQL parser from the first migration to lint that runs raw SQL, and lets it load while indexing', async () => {
    const kept = new KeptForLint(new Sources());
    await kept.indexProject(new Workspace(), files, new Set(), new Set([at('0003_raw.py')]));
    // 37 files follow it: the index gave the load its turns, so it is done by the end (without them: 'loading').
    assert.equal(sqlParserState(), 'loaded');
    kept.release();
  });
});
