// "Rewrite as safe steps" over a real LSP connection: a client that can create files gets a refactor.rewrite
// action (never preferred) whose WorkspaceEdit, applied as an editor applies it (edit the open document, create
// the files, fill them), leaves no warning in the migration nor in the new ones; a client without
// `resourceOperations` gets none; a migration that is not its app's latest gets the action disabled, with why.
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { after, describe, test } from 'node:test';
import { FileChangeType, type CodeAction, type CreateFile, type Diagnostic, type TextDocumentEdit, type TextEdit } from 'vscode-languageserver-protocol/node';
import { TestClient, applyTextEdits, has, lacks } from './client';
import { FIXTURES } from '../helpers/paths';

const MIGRATION = 'shop/migrations/0002_alter_order_note.py';

function project(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mg-lsp-rewrite-'));
  cpSync(join(FIXTURES, 'rewrite', 'set-not-null'), dir, { recursive: true });
  return dir;
}

/** Fixture project, migration, code, and the files the rewrite creates or edits besides the migration. */
const REWRITTEN: [string, string, string, string[]][] = [
  ['unique-constraint', 'shop/migrations/0002_order_order_reference_uniq.py', 'MG103', []],
  ['unique-constraint-moved', 'shop/migrations/0002_order_order_reference_uniq.py', 'MG103', ['shop/migrations/0003_order_order_reference_uniq.py']],
  ['unique-field', 'shop/migrations/0002_alter_order_reference.py', 'MG103', []],
  ['add-not-null', 'shop/migrations/0002_order_status.py', 'MG201', [
    'shop/migrations/0003_backfill_order_status.py',
    'shop/migrations/0004_order_order_status_not_null_not_valid.py',
    'shop/migrations/0005_order_validate_order_status_not_null.py',
    'shop/migrations/0006_alter_order_status_and_more.py',
  ]],
  ['foreign-key', 'shop/migrations/0002_alter_order_coupon.py', 'MG105', ['shop/migrations/0003_validate_order_coupon_fk.py']],
  ['foreign-key-add', 'shop/migrations/0002_order_coupon.py', 'MG105', ['shop/migrations/0003_validate_order_coupon_fk.py']],
  ['foreign-key-add-indexed', 'shop/migrations/0002_order_coupon.py', 'MG105', ['shop/migrations/0003_order_coupon_index.py', 'shop/migrations/0004_validate_order_coupon_fk.py']],
  ['rename-model', 'shop/migrations/0002_rename_order_purchase.py', 'MG205', ['shop/models.py']],
];

const serious = (diagnostics: Diagnostic[]) => diagnostics.filter((d) => d.severity === 1 || d.severity === 2);

describe('Rewrite as safe steps (LSP)', () => {
  const dirs: string[] = [];
  const clients: TestClient[] = [];
  after(async () => {
    for (const client of clients) await client.dispose();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  async function start(createFiles: boolean): Promise<{ client: TestClient; dir: string; uri: string; diagnostic: Diagnostic }> {
    const dir = project();
    dirs.push(dir);
    const client = new TestClient({ rootPath: dir, createFiles });
    clients.push(client);
    await client.initialize();
    const path = join(dir, MIGRATION);
    const uri = await client.open(path, readFileSync(path, 'utf8'));
    const diagnostics = await client.waitForCurrent(uri, has('MG106'));
    return { client, dir, uri, diagnostic: diagnostics.find((d) => d.code === 'MG106')! };
  }

  test('the WorkspaceEdit edits the migration and creates the follow-ups; applied, nothing warns', async () => {
    const { client, dir, uri, diagnostic } = await start(true);
    const actions = await client.codeActions(uri, diagnostic.range, [diagnostic]);
    const rewrite = actions.find((action) => action.kind === 'refactor.rewrite');
    assert.ok(rewrite, `a rewrite among ${actions.map((action) => action.title).join(', ')}`);
    assert.equal(rewrite.title, 'Migration Guard (MG106): Rewrite as safe steps');
    assert.equal(rewrite.isPreferred, false);
    assert.equal(rewrite.disabled, undefined);
    // The same action when asked for refactorings only; none when asked for quick fixes only.
    assert.ok((await client.codeActions(uri, diagnostic.range, [diagnostic], ['refactor'])).some((action) => action.kind === 'refactor.rewrite'));
    assert.ok(!(await client.codeActions(uri, diagnostic.range, [diagnostic], ['quickfix'])).some((action) => action.kind === 'refactor.rewrite'));
    // Never in fix-all.
    const fixAll = await client.codeActions(uri, diagnostic.range, [], ['source.fixAll.migrationGuard']);
    assert.ok(fixAll.every((action) => !JSON.stringify(action.edit ?? {}).includes('AddConstraintNotValid')));

    const changes = rewrite.edit?.documentChanges ?? [];
    assert.equal(rewrite.edit?.changes, undefined);
    const [first, ...rest] = changes as (TextDocumentEdit | CreateFile)[];
    assert.ok('textDocument' in first && first.textDocument.uri === uri && first.textDocument.version === client.version(uri));
    const created = rest.filter((change): change is CreateFile => 'kind' in change && change.kind === 'create').map((change) => fileURLToPath(change.uri));
    assert.deepEqual(created.map((path) => path.slice(dir.length + 1)), [
      'shop/migrations/0003_order_validate_order_note_not_null.py',
      'shop/migrations/0004_alter_order_note_remove_order_order_note_not_null.py',
    ]);

    // Apply it as an editor does: the open document changes (then is saved), each file is created, then filled.
    await client.changeMany(uri, [...(first.edits as TextEdit[])].reverse().map((edit) => ({ range: edit.range, text: edit.newText })));
    writeFileSync(join(dir, MIGRATION), client.text(uri));
    await client.fileChanged(join(dir, MIGRATION));
    for (const change of rest) {
      if ('kind' in change) {
        const path = fileURLToPath(change.uri);
        assert.ok(!existsSync(path) && change.options?.overwrite === false);
        writeFileSync(path, '');
        await client.fileChanged(path, FileChangeType.Created);
      } else {
        const path = fileURLToPath(change.textDocument.uri);
        writeFileSync(path, applyTextEdits(readFileSync(path, 'utf8'), change.edits as TextEdit[]));
        await client.fileChanged(path);
      }
    }
    const after = await client.waitForCurrent(uri, lacks('MG106'));
    assert.deepEqual(serious(after).map((d) => `${d.code} ${d.message}`), []);
    // Then the editor runs the action's command, which opens the first follow-up (focused); nothing but a .py file URI.
    const shown: unknown[] = [];
    client.connection.onRequest('window/showDocument', (params: unknown) => {
      shown.push(params);
      return { success: true };
    });
    assert.deepEqual(rewrite.command, { title: 'Open the next step', command: 'migrationGuard.openCreatedMigration', arguments: [pathToFileURL(created[0]).href] });
    assert.deepEqual(await client.connection.sendRequest('workspace/executeCommand', rewrite.command), { success: true });
    for (const argument of ['https://evil.example/x.py', pathToFileURL(join(dir, 'secret.txt')).href, 42]) {
      assert.equal(await client.connection.sendRequest('workspace/executeCommand', { command: rewrite.command!.command, arguments: [argument] }), null);
    }
    assert.deepEqual(shown, [{ uri: pathToFileURL(created[0]).href, takeFocus: true }]);
    for (const path of created) {
      const createdUri = await client.open(path, readFileSync(path, 'utf8'));
      const diagnostics = await client.waitForCurrent(createdUri);
      assert.deepEqual(serious(diagnostics).map((d) => `${d.code} ${d.message}`), [], path);
    }
  });

  // The other rewrites, applied the same way: the edit of the open migration, of files not open (models.py), and
  // the created follow-ups; afterwards nothing warns in the migration nor in the new files.
  for (const [name, migration, code, expected] of REWRITTEN) {
    test(`${code} (${name}): the WorkspaceEdit applied leaves no warning`, async () => {
      const dir = mkdtempSync(join(tmpdir(), 'mg-lsp-rewrite-'));
      dirs.push(dir);
      cpSync(join(FIXTURES, 'rewrite', name), dir, { recursive: true });
      const client = new TestClient({ rootPath: dir, createFiles: true });
      clients.push(client);
      await client.initialize();
      const path = join(dir, migration);
      const uri = await client.open(path, readFileSync(path, 'utf8'));
      const diagnostic = (await client.waitForCurrent(uri, has(code))).find((d) => d.code === code)!;
      const rewrite = (await client.codeActions(uri, diagnostic.range, [diagnostic])).find((action) => action.kind === 'refactor.rewrite');
      assert.ok(rewrite?.edit?.documentChanges && !rewrite.disabled, `an enabled rewrite: ${JSON.stringify(rewrite?.disabled)}`);
      assert.equal(rewrite.title, `Migration Guard (${code}): Rewrite as safe steps`);
      const touched: string[] = [];
      for (const change of rewrite.edit.documentChanges as (TextDocumentEdit | CreateFile)[]) {
        if ('kind' in change) {
          const created = fileURLToPath(change.uri);
          assert.ok(!existsSync(created));
          writeFileSync(created, '');
          touched.push(created.slice(dir.length + 1));
          await client.fileChanged(created, FileChangeType.Created);
        } else if (change.textDocument.uri === uri) {
          await client.changeMany(uri, [...(change.edits as TextEdit[])].reverse().map((edit) => ({ range: edit.range, text: edit.newText })));
          writeFileSync(path, client.text(uri));
          await client.fileChanged(path);
        } else {
          const other = fileURLToPath(change.textDocument.uri);
          writeFileSync(other, applyTextEdits(readFileSync(other, 'utf8'), change.edits as TextEdit[]));
          if (!touched.includes(other.slice(dir.length + 1))) touched.push(other.slice(dir.length + 1));
          await client.fileChanged(other);
        }
      }
      assert.deepEqual(touched, expected);
      assert.deepEqual(serious(await client.waitForCurrent(uri, lacks(code))).map((d) => `${d.code} ${d.message}`), []);
      for (const created of touched.filter((file) => file.includes('/migrations/'))) {
        const createdUri = await client.open(join(dir, created), readFileSync(join(dir, created), 'utf8'));
        assert.deepEqual(serious(await client.waitForCurrent(createdUri)).map((d) => `${d.code} ${d.message}`), [], created);
      }
    });
  }

  test('MG205 with models.py open and unsaved: its edit is made on the editor\'s text, with that document\'s version', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mg-lsp-rewrite-'));
    dirs.push(dir);
    cpSync(join(FIXTURES, 'rewrite', 'rename-model'), dir, { recursive: true });
    const client = new TestClient({ rootPath: dir, createFiles: true });
    clients.push(client);
    await client.initialize();
    const modelsPath = join(dir, 'shop/models.py');
    // Unsaved: a comment block above the class moves every offset the disk's text would give.
    const unsaved = `# Unsaved notes at the top of models.py,\n# three lines that the file on disk lacks.\n#\n${readFileSync(modelsPath, 'utf8')}`;
    const modelsUri = await client.open(modelsPath, unsaved);
    const path = join(dir, 'shop/migrations/0002_rename_order_purchase.py');
    const uri = await client.open(path, readFileSync(path, 'utf8'));
    const diagnostic = (await client.waitForCurrent(uri, has('MG205'))).find((d) => d.code === 'MG205')!;
    const rewrite = (await client.codeActions(uri, diagnostic.range, [diagnostic])).find((action) => action.kind === 'refactor.rewrite');
    const change = (rewrite?.edit?.documentChanges as (TextDocumentEdit | CreateFile)[] | undefined)
      ?.find((candidate): candidate is TextDocumentEdit => !('kind' in candidate) && candidate.textDocument.uri === modelsUri);
    assert.ok(change, JSON.stringify(rewrite));
    assert.equal(typeof change.textDocument.version, 'number', 'the open document\'s version, so a stale edit is refused');
    const edited = applyTextEdits(unsaved, change.edits as TextEdit[]);
    assert.ok(edited.startsWith('# Unsaved notes at the top of models.py,'), edited);
    assert.match(edited, /class Meta:\s*\n\s+db_table = ["']shop_order["']/, edited);
  });

  test('a client without resourceOperations gets no rewrite action', async () => {
    const { client, uri, diagnostic } = await start(false);
    const actions: CodeAction[] = await client.codeActions(uri, diagnostic.range, [diagnostic]);
    assert.ok(actions.length > 0, 'it still gets the other actions');
    assert.ok(!actions.some((action) => action.kind === 'refactor.rewrite'), actions.map((action) => action.title).join(', '));
  });

  test('a migration with one after it gets the action disabled, saying why', async () => {
    const dir = project();
    dirs.push(dir);
    writeFileSync(join(dir, 'shop/migrations/0003_later.py'), 'from django.db import migrations\n\n\nclass Migration(migrations.Migration):\n    dependencies = [("shop", "0002_alter_order_note")]\n    operations = []\n');
    const client = new TestClient({ rootPath: dir, createFiles: true });
    clients.push(client);
    await client.initialize();
    const path = join(dir, MIGRATION);
    const uri = await client.open(path, readFileSync(path, 'utf8'));
    const diagnostic = (await client.waitForCurrent(uri, has('MG106'))).find((d) => d.code === 'MG106')!;
    const rewrite = (await client.codeActions(uri, diagnostic.range, [diagnostic])).find((action) => action.kind === 'refactor.rewrite');
    assert.ok(rewrite?.disabled, 'a disabled rewrite');
    assert.equal(rewrite.edit, undefined);
    assert.match(rewrite.disabled.reason, /not the latest migration of `shop` \(`0003_later` comes after it\)/);
  });
});
