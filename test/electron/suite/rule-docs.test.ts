/// <reference types="mocha" />
// Rule docs inside the editor, offline: the diagnostic's code links to a read-only document served from the
// server's docs data, and "Show documentation" / Show Rules open it.
import * as assert from 'node:assert';
import * as vscode from 'vscode';
import { MIGRATION_0002, codeOf, has, open, serverStarted, waitForDiagnostics } from './helpers';

const DOCS = vscode.Uri.parse('migration-guard-docs:/MG101.md');

async function waitForDocsDocument(): Promise<vscode.TextDocument> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const found = vscode.workspace.textDocuments.find((document) => document.uri.scheme === 'migration-guard-docs' && document.uri.path === '/MG101.md');
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no migration-guard-docs:/MG101.md opened; open: ${vscode.workspace.textDocuments.map((document) => document.uri.toString()).join(', ')}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('rule docs', () => {
  afterEach(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  it('the MG101 code links to its in-editor docs, which hold the rule\'s documentation and the web link', async () => {
    await serverStarted();
    const document = await open(MIGRATION_0002);
    const [mg101] = (await waitForDiagnostics(document.uri, 'MG101', has('MG101'))).filter((diagnostic) => codeOf(diagnostic) === 'MG101');
    const target = typeof mg101.code === 'object' ? mg101.code.target : undefined;
    assert.strictEqual(target?.toString(), DOCS.toString());
    const docs = await vscode.workspace.openTextDocument(DOCS);
    assert.match(docs.getText(), /^## MG101 add-index-blocking/);
    assert.match(docs.getText(), /### Why it is dangerous/);
    assert.match(docs.getText(), /\[Open this page on the web\]\(https:/);
  });

  it('"Show documentation for MG101" opens the docs document in the editor', async () => {
    const document = await open(MIGRATION_0002);
    const [mg101] = (await waitForDiagnostics(document.uri, 'MG101', has('MG101'))).filter((diagnostic) => codeOf(diagnostic) === 'MG101');
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>('vscode.executeCodeActionProvider', document.uri, mg101.range);
    const show = actions.find((action) => action.title === 'Migration Guard: Show documentation for MG101');
    assert.ok(show?.command, actions.map((action) => action.title).join(' | '));
    await vscode.commands.executeCommand(show.command.command, ...(show.command.arguments ?? []));
    const docs = await waitForDocsDocument();
    assert.match(docs.getText(), /## MG101 add-index-blocking/);
  });

  it('Show Rule Documentation with a code opens that rule\'s docs', async () => {
    await vscode.commands.executeCommand('migrationGuard.showRuleDocs', 'MG101');
    const docs = await waitForDocsDocument();
    assert.strictEqual(docs.languageId, 'markdown');
  });
});
