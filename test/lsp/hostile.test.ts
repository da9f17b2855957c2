// The language server against a hostile or broken workspace (issue 11), through a real client over stdio: FIFOs
// and /dev/zero symlinks, the three line endings, source encodings, app names that are Object methods, markdown
// injected through the hover, documentation links built from arguments, and a malformed message header.
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { symlinkSync, writeFileSync } from 'node:fs';
import { after, describe, test } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol/node';
import { ruleUrl } from '../../server/src/rules/types';
import { addIndexBlocking } from '../../server/src/rules/mg101-add-index-blocking';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { ADD_INDEX_MIGRATION, INITIAL_MIGRATION, SERVER, TestClient, has, makeProject } from './client';

const ranges = (diagnostics: Diagnostic[]) => diagnostics.map((d) => `${d.code}@${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}`).sort();

describe('a hostile workspace', () => {
  const project = makeProject({ 'shop/__init__.py': '', 'shop/migrations/__init__.py': '', 'shop/migrations/0001_initial.py': INITIAL_MIGRATION });
  let client: TestClient;
  after(async () => {
    await client?.dispose();
    project.dispose();
  });

  test('/dev/zero symlinks and FIFOs (requirements.txt, pyproject.toml, manage.py, apps.py, pytest.ini, a migration) block nothing', async () => {
    for (const name of ['requirements.txt', 'pyproject.toml', 'manage.py', 'shop/apps.py']) symlinkSync('/dev/zero', project.path(name));
    for (const name of ['pytest.ini', 'setup.cfg', 'shop/migrations/0003_fifo.py']) execFileSync('mkfifo', [project.path(name)]);
    client = new TestClient({ rootPath: project.root });
    await client.initialize();
    const uri = await client.open(project.write('shop/migrations/0002_index.py', ADD_INDEX_MIGRATION), ADD_INDEX_MIGRATION);
    await client.waitForCurrent(uri, has('MG101'));
    assert.equal(client.exitCode, undefined);
  });
});

describe('a deeply nested file', () => {
  test('a 12 KB expression nested 6,000 deep costs that file only, not the index of the folder', async () => {
    const nested = `DATABASES = ${'['.repeat(6000)}${']'.repeat(6000)}\n`;
    const project = makeProject({
      'manage.py': '', 'shop/migrations/__init__.py': '', 'shop/migrations/0001_initial.py': INITIAL_MIGRATION, 'shop_project/settings.py': nested,
      'shop/migrations/0003_deep.py': `from django.db import migrations\nclass Migration(migrations.Migration):\n    dependencies = [("shop", "0002_index")]\n    operations = ${'['.repeat(2000)}${']'.repeat(2000)}\n`,
    });
    const client = new TestClient({ rootPath: project.root });
    try {
      await client.initialize();
      // MG106 needs the history: `created_at` made nullable by the unopened 0001.
      const alter = ADD_INDEX_MIGRATION.replace(/migrations\.AddIndex\([\s\S]*?\n        \),/, 'migrations.AlterField("order", "created_at", models.DateTimeField()),');
      const uri = await client.open(project.write('shop/migrations/0002_index.py', alter), alter);
      await client.waitForCurrent(uri, has('MG106'));
      const deep = await client.open(project.path('shop_project/settings.py'), nested);
      await client.waitForCurrent(deep);
      assert.equal(client.exitCode, undefined);
    } finally {
      await client.dispose();
      project.dispose();
    }
  });
});

describe('typing', () => {
  test('a half-typed dependencies list does not make the migrations before it leaves (MG501 on other files)', async () => {
    const chain = (name: string, dependency: string) => ADD_INDEX_MIGRATION.replace('("shop", "0001_initial")', `("shop", "${dependency}")`).replace('order_created_idx', `idx_${name}`);
    const project = makeProject({
      'manage.py': '', 'shop/migrations/__init__.py': '', 'shop/migrations/0001_initial.py': INITIAL_MIGRATION,
      'shop/migrations/0002_a.py': chain('a', '0001_initial'), 'shop/migrations/0003_b.py': chain('b', '0002_a'),
    });
    const client = new TestClient({ rootPath: project.root });
    try {
      await client.initialize();
      const text = chain('b', '0002_a');
      const uri = await client.open(project.path('shop/migrations/0003_b.py'), text);
      await client.waitForCurrent(uri, has('MG101'));
      // The index is ready (it knows the last good text): typing starts.
      for (const deadline = Date.now() + 10_000; ;) {
        const status = await client.connection.sendRequest<{ migrations: number; indexing: boolean }>('migrationGuard/status', { uri });
        if (!status.indexing && status.migrations === 3) break;
        assert.ok(Date.now() < deadline, JSON.stringify(status));
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      const half = text.replace('dependencies = [("shop", "0002_a")]', 'dependencies = [("shop", "00');
      await client.replace(uri, half);
      await client.waitForCurrent(uri);
      const other = await client.open(project.path('shop/migrations/0002_a.py'), chain('a', '0001_initial'));
      const diagnostics = await client.waitForCurrent(other, has('MG101'));
      assert.deepEqual(diagnostics.filter((d) => d.code === 'MG501'), []);
    } finally {
      await client.dispose();
      project.dispose();
    }
  });
});

describe('line endings, encodings, names', () => {
  const project = makeProject({ 'manage.py': '', 'shop/__init__.py': '', 'shop/migrations/__init__.py': '', 'shop/migrations/0001_initial.py': INITIAL_MIGRATION });
  const client = new TestClient({ rootPath: project.root });
  after(async () => {
    await client.dispose();
    project.dispose();
  });

  test('\\n, \\r\\n and a lone \\r: the same ranges, and quick fixes keep the line endings', async () => {
    await client.initialize();
    const text = ADD_INDEX_MIGRATION.replace('    ]\n', '        migrations.RunSQL("SELECT 1"),  # noqa: MG101\n    ]\n');
    const seen: Record<string, string[]> = {};
    for (const [name, eol] of Object.entries({ lf: '\n', crlf: '\r\n', cr: '\r' })) {
      const converted = text.replace(/\n/g, eol);
      const uri = await client.open(project.write(`shop/migrations/0002_${name}.py`, converted), converted);
      const diagnostics = await client.waitForCurrent(uri, has('MG302'));
      seen[name] = ranges(diagnostics.filter((d) => !String(d.code).startsWith('MG5'))); // the three files are each other's leaves
      for (const diagnostic of diagnostics.filter((d) => d.code === 'MG302' || d.code === 'MG900')) {
        const [action] = (await client.codeActions(uri, diagnostic.range, [diagnostic])).filter((a) => a.edit);
        // TextDocument: positions as LSP counts them (a lone \r breaks a line too).
        const fixed = TextDocument.applyEdits(TextDocument.create(uri, 'python', 1, converted), Object.values(action.edit!.changes!)[0]);
        assert.ok((fixed.match(/\r\n|\r|\n/g) ?? []).every((found) => found === eol), `${name} ${diagnostic.code}: ${JSON.stringify(fixed)}`);
        execFileSync('python3', ['-c', 'import sys; compile(sys.stdin.buffer.read(), "m", "exec")'], { input: fixed });
      }
      await client.close(uri);
    }
    assert.deepEqual(seen.crlf, seen.lf);
    assert.deepEqual(seen.cr, seen.lf);
  });

  test('an unopened latin-1 migration is indexed: its fields are known to the migration after it', async () => {
    const latin1 = INITIAL_MIGRATION.replace('from django', '# -*- coding: latin-1 -*-\n# Commandé\nfrom django')
      .replace('("created_at", models.DateTimeField(null=True)),', '("created_at", models.DateTimeField(null=True)),\n                ("note", models.TextField(null=True, verbose_name="remarqué")),');
    const dir = makeProject({ 'manage.py': '', 'shop/migrations/__init__.py': '' });
    writeFileSync(dir.path('shop/migrations/0001_initial.py'), Buffer.from(latin1, 'latin1'));
    const other = new TestClient({ rootPath: dir.root });
    try {
      await other.initialize();
      const alter = ADD_INDEX_MIGRATION.replace(/migrations\.AddIndex\([\s\S]*?\n        \),/, 'migrations.AlterField("order", "note", models.TextField()),');
      const uri = await other.open(dir.write('shop/migrations/0002_note.py', alter), alter);
      await other.waitForCurrent(uri, has('MG106'));
    } finally {
      await other.dispose();
      dir.dispose();
    }
  });

  test('an app called constructor is linted', async () => {
    const uri = await client.open(project.write('constructor/migrations/0001_initial.py', ''), 'from django.db import migrations\n\n\nclass Migration(migrations.Migration):\n    dependencies = []\n    operations = [migrations.RunSQL("SELECT 1")]\n');
    await client.waitForCurrent(uri, has('MG302'));
  });

  test('a backtick in a table name does not turn the hover into markdown (a link)', async () => {
    const text = ADD_INDEX_MIGRATION.replace('model_name="order",', 'model_name="evil",').replace('dependencies = [("shop", "0001_initial")]', 'dependencies = [("shop", "0001_initial")]\n    initial = False')
      .replace('    operations = [\n', '    operations = [\n        migrations.CreateModel("evil", [], options={"db_table": "x` [click](https://evil.example) `y"}),\n        migrations.RunSQL("SELECT 1", reverse_sql=""),\n');
    const uri = await client.open(project.write('shop/migrations/0005_hover.py', text), text);
    await client.waitForCurrent(uri);
    const line = text.split('\n').findIndex((l) => l.includes('migrations.AddIndex('));
    const hover = await client.hover(uri, { line, character: 20 });
    const value = (hover?.contents as { value: string }).value;
    assert.ok(value.startsWith('**`AddIndex`** on ``x` [click](https://evil.example) `y``'), value);
  });

  test('"Show documentation" opens the page of the rule code it is given, and nothing else', async () => {
    const shown: unknown[] = [];
    client.connection.onRequest('window/showDocument', (params: unknown) => {
      shown.push(params);
      return { success: true };
    });
    const command = 'migrationGuard.showDocumentation';
    for (const argument of [`${ruleUrl(addIndexBlocking)}/../../../../evil`, 'https://github.com/django-migration-guard/django-migration-guard/blob/main/docs/rules.md/../x', 'MG999', 'constructor', { code: 'MG101' }]) {
      assert.equal(await client.connection.sendRequest('workspace/executeCommand', { command, arguments: [argument] }), null, JSON.stringify(argument));
    }
    assert.deepEqual(await client.connection.sendRequest('workspace/executeCommand', { command, arguments: ['MG101'] }), { success: true });
    assert.deepEqual(shown, [{ uri: ruleUrl(addIndexBlocking), external: true }]);
  });
});

describe('a malformed message', () => {
  test('after a broken header the server exits with an error (the client then restarts it) instead of going deaf', async () => {
    const child = spawn(process.execPath, [SERVER, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    child.stdin.write('Content-Type: application/vscode-jsonrpc\r\nNot-A-Length: 12\r\n\r\n{"jsonrpc"}');
    assert.equal(await exited, 1);
    assert.match(stderr, /migration-guard: unreadable message from the client, exiting: Header must provide a Content-Length property/);
  });
});
