/// <reference types="mocha" />
// Diagnostics, hover and "Lint Workspace" in the real extension host, through the `vscode` API only.
import * as assert from 'node:assert';
import * as vscode from 'vscode';
import { EXTENSION_ID, MIGRATION_0002, PRODUCTION_SETTINGS, codeOf, codes, has, open, serverStarted, waitForDiagnostics, workspaceUri } from './helpers';

describe('diagnostics', () => {
  afterEach(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  it('activates the extension for the workspace', async () => {
    await serverStarted();
    assert.ok(vscode.extensions.getExtension(EXTENSION_ID)?.isActive);
  });

  it('reports MG101 on the AddIndex of 0002_order_created_idx.py', async () => {
    const document = await open(MIGRATION_0002);
    const diagnostics = await waitForDiagnostics(document.uri, 'MG101', has('MG101'));
    const mg101 = diagnostics.find((diagnostic) => codeOf(diagnostic) === 'MG101')!;
    assert.match(document.lineAt(mg101.range.start.line).text, /migrations\.AddIndex\(/);
    assert.match(mg101.message, /SHARE lock/);
    assert.strictEqual(mg101.severity, vscode.DiagnosticSeverity.Warning);
  });

  it('reports the timeout and deploy checks on production_settings.py', async () => {
    const document = await open(PRODUCTION_SETTINGS);
    const expected = ['MG601', 'MG602', 'MG603', 'MG703', 'MG705'];
    await waitForDiagnostics(document.uri, expected.join(', '), has(...expected));
    assert.deepStrictEqual(codes(document.uri), expected);
  });

  it('hovers AddIndex with the lock it takes and the safe route', async () => {
    const document = await open(MIGRATION_0002);
    await waitForDiagnostics(document.uri, 'MG101 (the server is up)', has('MG101'));
    const position = document.positionAt(document.getText().indexOf('AddIndex(') + 3);
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>('vscode.executeHoverProvider', document.uri, position);
    const text = hovers.flatMap((hover) => hover.contents.map((part) => (typeof part === 'string' ? part : part.value))).join('\n');
    assert.match(text, /PostgreSQL lock: \*\*SHARE\*\*/);
    assert.match(text, /`shop_order`/);
    assert.match(text, /Safe route: AddIndexConcurrently/);
  });

  it('"Lint Workspace" reports on a migration that was never opened', async () => {
    const uri = workspaceUri('shop/shop/migrations/0007_raw_sql.py');
    assert.ok(!vscode.workspace.textDocuments.some((document) => document.uri.toString() === uri.toString()), '0007_raw_sql.py is already open');
    await serverStarted();
    // Closed files get diagnostics from Lint Workspace only (the server offers no workspace pull).
    assert.deepStrictEqual(codes(uri), [], '0007_raw_sql.py has diagnostics before Lint Workspace');
    await vscode.commands.executeCommand('migrationGuard.lintWorkspace');
    await waitForDiagnostics(uri, 'MG302', has('MG302'));
    assert.ok(!vscode.workspace.textDocuments.some((document) => document.uri.toString() === uri.toString()), 'linting opened 0007_raw_sql.py');
  });
});
