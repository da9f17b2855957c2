// Code actions over a real LSP connection: the rule's fix from `Diagnostic.data`, "ignore on this line",
// stale versions, and `source.fixAll.migrationGuard`.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { CodeAction, Diagnostic, TextEdit } from 'vscode-languageserver-protocol/node';
import { ADD_INDEX_MIGRATION, INITIAL_MIGRATION, TestClient, applyTextEdits, has, lacks, makeProject, rangeOf } from './client';


function editsOf(action: CodeAction, uri: string): TextEdit[] {
  assert.ok(action.edit?.changes, 'a WorkspaceEdit with `changes`');
  assert.deepEqual(Object.keys(action.edit.changes), [uri]);
  return action.edit.changes[uri];
}

/** Two operations: the fix is unsafe (the other operation leaves the transaction too). */
const TWO_OPERATIONS = ADD_INDEX_MIGRATION.replace(
  '    operations = [\n',
  '    operations = [\n        migrations.RunSQL("SELECT 1", reverse_sql=migrations.RunSQL.noop),\n',
);

describe('code actions', () => {
  const project = makeProject({ 'shop/migrations/__init__.py': '', 'shop/migrations/0001_initial.py': INITIAL_MIGRATION });
  let client: TestClient;
  let counter = 10;

  /** Opens a fresh migration and waits for its MG101. */
  async function openMigration(text: string): Promise<{ uri: string; diagnostic: Diagnostic; diagnostics: Diagnostic[] }> {
    const path = project.write(`shop/migrations/00${counter++}_actions.py`, text);
    const uri = await client.open(path, text);
    const diagnostics = await client.waitForCurrent(uri, has('MG101'));
    return { uri, diagnostic: diagnostics.find((d) => d.code === 'MG101')!, diagnostics };
  }

  /** Applies edits the way an editor does: one incremental change per edit, last edit first. */
  async function applyIncrementally(uri: string, edits: TextEdit[]): Promise<string> {
    const expected = applyTextEdits(client.text(uri), edits);
    const sorted = [...edits].sort((a, b) => b.range.start.line - a.range.start.line || b.range.start.character - a.range.start.character);
    await client.changeMany(uri, sorted.map((edit) => ({ range: edit.range, text: edit.newText })));
    assert.equal(client.text(uri), expected);
    return expected;
  }

  before(async () => {
    // Every migration opened here is another leaf of `shop`: MG501 is not what these tests are about.
    client = new TestClient({ rootPath: project.root, settings: { ignore: ['MG501'] } });
    const result = await client.initialize();
    assert.deepEqual(
      typeof result.capabilities.codeActionProvider === 'object' && result.capabilities.codeActionProvider.codeActionKinds,
      ['quickfix', 'refactor.rewrite', 'source.fixAll.migrationGuard'],
    );
  });

  after(async () => {
    await client.dispose();
    project.dispose();
  });

  test('the MG101 quick fix: AddIndexConcurrently, its import and atomic = False; the fixed text has no MG101', async () => {
    const { uri, diagnostic } = await openMigration(ADD_INDEX_MIGRATION);
    const actions = await client.codeActions(uri, diagnostic.range, [diagnostic]);
    const fix = actions.find((action) => action.title === 'Migration Guard (MG101): Use AddIndexConcurrently');
    assert.ok(fix, `actions: ${actions.map((a) => a.title).join(', ')}`);
    assert.equal(fix.kind, 'quickfix');
    assert.equal(fix.isPreferred, true, 'the first fix, and safe');
    assert.deepEqual(fix.diagnostics, [diagnostic]);
    const fixed = await applyIncrementally(uri, editsOf(fix, uri));
    assert.match(fixed, /^from django\.contrib\.postgres\.operations import AddIndexConcurrently$/m);
    assert.match(fixed, /^ {8}AddIndexConcurrently\($/m);
    assert.match(fixed, /^ {4}atomic = False$/m);
    assert.ok(!/migrations\.AddIndex\(/.test(fixed));
    // Re-linted incrementally after the editor applied the edits: MG101 is gone (and nothing else appeared).
    assert.deepEqual(await client.waitForCurrent(uri), []);
    // The same text sent in full: still nothing.
    await client.replace(uri, fixed);
    assert.deepEqual(await client.waitForCurrent(uri), []);
  });

  test('an unsafe fix is offered but not preferred, and its title says why', async () => {
    const { uri, diagnostic } = await openMigration(TWO_OPERATIONS);
    const actions = await client.codeActions(uri, diagnostic.range, [diagnostic]);
    const fix = actions.find((action) => action.title === 'Migration Guard (MG101): Use AddIndexConcurrently and set atomic = False for the whole migration (unsafe: 1 other operation loses its transaction)');
    assert.ok(fix);
    assert.equal(fix.isPreferred, false);
  });

  test('"Ignore MG101 on this line" adds a noqa comment that silences it', async () => {
    const { uri, diagnostic } = await openMigration(ADD_INDEX_MIGRATION);
    const actions = await client.codeActions(uri, diagnostic.range, [diagnostic]);
    const ignore = actions.find((action) => action.title === 'Migration Guard: Ignore MG101 on this line');
    assert.ok(ignore, `actions: ${actions.map((a) => a.title).join(', ')}`);
    assert.equal(ignore.kind, 'quickfix');
    assert.ok(!ignore.isPreferred);
    assert.deepEqual(ignore.diagnostics, [diagnostic]);
    const edits = editsOf(ignore, uri);
    assert.equal(edits.length, 1);
    assert.equal(edits[0].range.start.line, diagnostic.range.start.line);
    const fixed = await applyIncrementally(uri, edits);
    assert.equal(fixed.split('\n')[diagnostic.range.start.line], '        migrations.AddIndex(  # noqa: MG101');
    assert.ok(lacks('MG101')(await client.waitForCurrent(uri)));
    // The fix comes after the fix of the rule in the list.
    assert.ok(actions.findIndex((a) => a === ignore) > actions.findIndex((a) => a.title.startsWith('Migration Guard (MG101)')));
  });

  test('a diagnostic from an older version gets no actions', async () => {
    const { uri, diagnostic } = await openMigration(ADD_INDEX_MIGRATION);
    await client.change(uri, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, '# edited\n');
    await client.waitForCurrent(uri, has('MG101'));
    assert.deepEqual(await client.codeActions(uri, diagnostic.range, [diagnostic]), []);
    // The current diagnostic does get them.
    const current = client.diagnostics.get(uri)!.diagnostics.find((d) => d.code === 'MG101')!;
    assert.ok((await client.codeActions(uri, current.range, [current])).length >= 2);
  });

  test('diagnostics of other tools, and of no document we lint, get nothing', async () => {
    const { uri, diagnostic } = await openMigration(ADD_INDEX_MIGRATION);
    const foreign = { ...diagnostic, source: 'flake8', code: 'E501' };
    assert.deepEqual(await client.codeActions(uri, diagnostic.range, [foreign]), []);
    const withoutData = { ...diagnostic, data: undefined };
    assert.deepEqual(await client.codeActions(uri, diagnostic.range, [withoutData]), []);
    assert.deepEqual(await client.codeActions(project.path('shop/migrations/never_opened.py').replace(/^/, 'file://'), diagnostic.range, [diagnostic]), []);
  });

  test('only: quickfix leaves out fix-all; no only leaves out fix-all', async () => {
    const { uri, diagnostic } = await openMigration(ADD_INDEX_MIGRATION);
    const quick = await client.codeActions(uri, diagnostic.range, [diagnostic], ['quickfix']);
    assert.ok(quick.length >= 2 && quick.every((a) => a.kind === 'quickfix'));
    const all = await client.codeActions(uri, diagnostic.range, [diagnostic]);
    assert.ok(all.every((a) => a.kind === 'quickfix'));
  });

  test('source.fixAll.migrationGuard applies the safe fixes as one edit, and only those', async () => {
    const text = [
      'from django.contrib.postgres.operations import AddIndexConcurrently',
      'from django.db import migrations, models',
      '',
      '',
      'def forwards(apps, schema_editor):',
      '    pass',
      '',
      '',
      'class Migration(migrations.Migration):',
      '    dependencies = [("shop", "0001_initial")]',
      '',
      '    operations = [',
      '        AddIndexConcurrently(model_name="order", index=models.Index(fields=["id"], name="order_id_idx")),',
      '        migrations.RunPython(forwards),',
      '    ]',
      '',
    ].join('\n');
    const uri = await client.open(project.write('shop/migrations/0099_fix_all.py', text), text);
    // MG109 has a safe fix (atomic = False); MG301's (reverse_code=noop) is unsafe.
    const diagnostics = await client.waitForCurrent(uri, (d) => has('MG109')(d) && has('MG301')(d));
    const nowhere = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    for (const only of [['source.fixAll.migrationGuard'], ['source.fixAll'], ['source']]) {
      const actions = await client.codeActions(uri, nowhere, [], only);
      assert.equal(actions.length, 1, `only ${only}`);
      assert.equal(actions[0].kind, 'source.fixAll.migrationGuard');
      assert.equal(actions[0].title, 'Migration Guard: Fix all safe problems (1 safe fix; 1 unsafe fix left (MG301): they may change behaviour, use the lightbulb)');
      assert.equal(editsOf(actions[0], uri).length, 1);
    }
    const [action] = await client.codeActions(uri, nowhere, diagnostics, ['source.fixAll.migrationGuard']);
    const fixed = await applyIncrementally(uri, editsOf(action, uri));
    assert.match(fixed, /^ {4}atomic = False$/m);
    assert.match(fixed, /RunPython\(forwards\),/, 'the unsafe fix is not applied');
    const after = await client.waitForCurrent(uri);
    assert.ok(lacks('MG109')(after) && has('MG301')(after), JSON.stringify(after.map((d) => d.code)));
    // Nothing left to fix safely: no action.
    assert.deepEqual(await client.codeActions(uri, nowhere, [], ['source.fixAll.migrationGuard']), []);
  });

  test('source.fixAll.migrationGuard on a lone AddIndex gives the MG101 fix', async () => {
    const { uri } = await openMigration(ADD_INDEX_MIGRATION);
    const [action] = await client.codeActions(uri, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, [], ['source.fixAll.migrationGuard']);
    assert.ok(action);
    const fixed = applyTextEdits(client.text(uri), editsOf(action, uri));
    assert.match(fixed, /AddIndexConcurrently\(/);
    assert.match(fixed, /atomic = False/);
    await client.change(uri, rangeOf(client.text(uri), client.text(uri)), fixed);
    assert.deepEqual(await client.waitForCurrent(uri), []);
    assert.deepEqual(await client.codeActions(uri, rangeOf(fixed, 'class'), [], ['source.fixAll.migrationGuard']), []);
  });
});
