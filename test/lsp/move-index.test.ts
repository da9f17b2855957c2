// MG101/MG102's "Move the index operations into a migration of their own" over a real LSP connection (issue 13
// item 14): a client that can create files gets a quick fix (unsafe, so titled, never preferred, never in
// fix-all) whose WorkspaceEdit edits the open migration and creates the new one; applied as an editor applies
// it, both files lint clean of MG101/MG102/MG109 and the action is not offered again. A client that cannot
// create files does not get it (the atomic = False fix remains).
import assert from 'node:assert/strict';
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, describe, test } from 'node:test';
import { FileChangeType, type CreateFile, type Diagnostic, type TextDocumentEdit, type TextEdit } from 'vscode-languageserver-protocol/node';
import { TestClient, applyTextEdits } from './client';
import { FIXTURES } from '../helpers/paths';

const FIXTURE = join(FIXTURES, 'move-index');
const MIGRATION = 'shop/migrations/0002_order_note_and_more.py';
const CREATED = 'shop/migrations/0003_order_order_created_idx_and_more.py';
const TITLE = 'Migration Guard (MG101, MG102): Move the 2 index operations into a migration of its own (0003_order_order_created_idx_and_more) (unsafe: it adds 0003_order_order_created_idx_and_more.py after this migration; a failed concurrent build there leaves an INVALID index to drop)';

/** The index findings once the workspace is indexed (the move needs the graph: before that it is not offered). */
const indexed = (diagnostics: Diagnostic[]) => diagnostics.some((d) => d.code === 'MG101' && JSON.stringify(d.data).includes('migration of its own'));

describe('Move the index into a migration of its own (LSP)', () => {
  const dirs: string[] = [];
  const clients: TestClient[] = [];
  after(async () => {
    for (const client of clients) await client.dispose();
    for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
  });

  async function start(createFiles: boolean) {
    const dir = mkdtempSync(join(tmpdir(), 'mg-lsp-move-index-'));
    dirs.push(dir);
    cpSync(FIXTURE, dir, { recursive: true });
    rmSync(join(dir, 'expected'), { recursive: true });
    const client = new TestClient({ rootPath: dir, createFiles, documentChanges: createFiles });
    clients.push(client);
    await client.initialize();
    const path = join(dir, MIGRATION);
    const uri = await client.open(path, readFileSync(path, 'utf8'));
    return { client, dir, uri };
  }

  test('one WorkspaceEdit edits the migration and creates the new one; applied, nothing is left to move', async () => {
    const { client, dir, uri } = await start(true);
    const diagnostics = (await client.waitForCurrent(uri, indexed)).filter((d) => d.code === 'MG101' || d.code === 'MG102');
    const actions = await client.codeActions(uri, diagnostics[0].range, diagnostics);
    const move = actions.filter((action) => action.title.includes('migration of its own'));
    assert.deepEqual(move.map((action) => action.title), [TITLE], actions.map((action) => action.title).join('\n'));
    assert.equal(move[0].isPreferred, false);
    const fixAll = await client.codeActions(uri, diagnostics[0].range, [], ['source.fixAll.migrationGuard']);
    assert.ok(fixAll.every((action) => !JSON.stringify(action.edit ?? {}).includes('0003_')));

    const [first, create, fill, ...rest] = (move[0].edit?.documentChanges ?? []) as (TextDocumentEdit | CreateFile)[];
    assert.deepEqual(rest, []);
    assert.ok('textDocument' in first && first.textDocument.uri === uri && first.textDocument.version === client.version(uri));
    assert.ok('kind' in create && create.kind === 'create' && create.options?.overwrite === false && create.options.ignoreIfExists === false);
    const createdPath = fileURLToPath(create.uri);
    assert.equal(createdPath, join(dir, CREATED));
    assert.ok('textDocument' in fill && fill.textDocument.uri === create.uri);

    // As an editor applies it: the open document changes and is saved; the file is created, then filled.
    await client.changeMany(uri, [...(first.edits as TextEdit[])].reverse().map((edit) => ({ range: edit.range, text: edit.newText })));
    assert.equal(client.text(uri), readFileSync(join(FIXTURE, 'expected', '0002_order_note_and_more.py'), 'utf8'));
    writeFileSync(join(dir, MIGRATION), client.text(uri));
    await client.fileChanged(join(dir, MIGRATION));
    assert.equal(existsSync(createdPath), false);
    writeFileSync(createdPath, '');
    await client.fileChanged(createdPath, FileChangeType.Created);
    writeFileSync(createdPath, applyTextEdits('', fill.edits as TextEdit[]));
    await client.fileChanged(createdPath);
    assert.equal(readFileSync(createdPath, 'utf8'), readFileSync(join(FIXTURE, 'expected', '0003_order_order_created_idx_and_more.py'), 'utf8'));

    const index = (d: Diagnostic) => ['MG101', 'MG102', 'MG109', 'MG501'].includes(String(d.code));
    const afterFix = await client.waitForCurrent(uri, (current) => !current.some(index));
    assert.deepEqual(afterFix.filter(index), []);
    const createdUri = await client.open(createdPath, readFileSync(createdPath, 'utf8'));
    const createdDiagnostics = await client.waitForCurrent(createdUri);
    assert.deepEqual(createdDiagnostics.filter(index).map((d) => `${d.code} ${d.message}`), []);
    const again = await client.codeActions(uri, { start: { line: 0, character: 0 }, end: { line: 20, character: 0 } }, afterFix);
    assert.ok(!again.some((action) => action.title.includes('migration of its own')));
  });

  test('a client that cannot create files gets the atomic = False fix, not the move', async () => {
    const { client, uri } = await start(false);
    const diagnostics = (await client.waitForCurrent(uri, indexed)).filter((d) => d.code === 'MG101');
    const titles = (await client.codeActions(uri, diagnostics[0].range, diagnostics)).map((action) => action.title);
    assert.ok(!titles.some((title) => title.includes('migration of its own')), titles.join('\n'));
    assert.ok(titles.includes('Migration Guard (MG101): Use AddIndexConcurrently and set atomic = False for the whole migration (unsafe: 1 other operation loses its transaction)'), titles.join('\n'));
  });
});
