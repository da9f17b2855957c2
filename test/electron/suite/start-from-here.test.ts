/// <reference types="mocha" />
// "Start From Here" in the real extension host: it writes start-after for the example's app into its
// pyproject.toml (the rest of the file kept) and the migrations that already ran go quiet.
import * as assert from 'node:assert';
import * as vscode from 'vscode';
import { MIGRATION_0002, has, open, serverStarted, setText, waitForDiagnostics, workspaceUri } from './helpers';

describe('Start From Here', () => {
  const pyproject = workspaceUri('shop/pyproject.toml');
  let original = '';

  before(async () => {
    original = (await vscode.workspace.openTextDocument(pyproject)).getText();
  });

  after(async () => {
    await setText(await vscode.workspace.openTextDocument(pyproject), original);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('writes [tool.migration-guard.start-after] and silences the migrations up to now', async () => {
    await serverStarted();
    const migration = await open(MIGRATION_0002);
    await waitForDiagnostics(migration.uri, 'MG101', has('MG101'));
    assert.strictEqual(await vscode.commands.executeCommand('migrationGuard.startFromHere'), true);
    const text = (await vscode.workspace.openTextDocument(pyproject)).getText();
    assert.ok(text.startsWith(original.replace(/\n+$/, '')), text);
    assert.match(text, /\n\[tool\.migration-guard\.start-after\]\nshop = "\d{4}_[\w]+"\n$/);
    await waitForDiagnostics(migration.uri, 'every diagnostic to go', (found) => found.length === 0);
  });
});
