/// <reference types="mocha" />
// The language status item: the database and versions assumed and where they come from, the kind of the file in
// focus, and a refresh after "Restart Server" even when no Python editor has focus.
import * as assert from 'node:assert';
import * as vscode from 'vscode';
import { EXTENSION_ID, MIGRATION_0002, PRODUCTION_SETTINGS, has, open, serverStarted, waitForDiagnostics } from './helpers';

interface Api {
  status(): { text: string; detail: string };
}

function api(): Api {
  const extension = vscode.extensions.getExtension<Api>(EXTENSION_ID);
  assert.ok(extension?.isActive, 'the extension is active');
  return extension.exports;
}

/** Polls the status item (it is refreshed asynchronously) until `accept` holds; fails saying what it showed. */
async function waitForStatus(what: string, accept: (status: { text: string; detail: string }) => boolean, timeoutMs = 30_000): Promise<{ text: string; detail: string }> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const status = api().status();
    if (accept(status)) return status;
    if (Date.now() > deadline) throw new Error(`timed out waiting for the status to show ${what}; it shows ${JSON.stringify(status)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('status item', () => {
  afterEach(() => vscode.commands.executeCommand('workbench.action.closeAllEditors'));

  it('names the file kind, the database, PostgreSQL and Django versions assumed, and their sources', async () => {
    await serverStarted();
    const migration = await open(MIGRATION_0002);
    await waitForDiagnostics(migration.uri, 'MG101', has('MG101'));
    const status = await waitForStatus('a migration', (shown) => /Migration Guard: migration$/.test(shown.text));
    // examples/shop/pyproject.toml sets database and postgres-version; requirements.txt pins Django.
    assert.match(status.detail, /PostgreSQL 16 \(pyproject\.toml\), Django \d+\.\d+ \(requirements\)/);
    assert.match(status.detail, /config: shop\/pyproject\.toml/);
    await open(PRODUCTION_SETTINGS);
    await waitForStatus('a settings module', (shown) => /Migration Guard: settings module$/.test(shown.text));
  });

  it('an editor setting is named as the source, and the status refreshes after Restart Server without a Python editor in focus', async () => {
    await open(MIGRATION_0002);
    await waitForStatus('a migration', (shown) => /: migration$/.test(shown.text));
    await vscode.workspace.getConfiguration('migrationGuard').update('postgresVersion', 13, vscode.ConfigurationTarget.Workspace);
    try {
      // Focus leaves the Python editor: a plain-text document.
      const other = await vscode.workspace.openTextDocument({ language: 'plaintext', content: 'not python' });
      await vscode.window.showTextDocument(other);
      await vscode.commands.executeCommand('migrationGuard.restartServer');
      await waitForStatus('PostgreSQL 13 from the editor setting after the restart', (shown) => /PostgreSQL 13 \(database: pyproject\.toml, version: editor setting\)/.test(shown.detail));
    } finally {
      await vscode.workspace.getConfiguration('migrationGuard').update('postgresVersion', undefined, vscode.ConfigurationTarget.Workspace);
    }
  });
  it('Lint Workspace given while the server restarts waits for it and answers (not "the server is not running")', async () => {
    await serverStarted();
    const restarting = vscode.commands.executeCommand('migrationGuard.restartServer');
    const result = await vscode.commands.executeCommand<{ files?: number; problems?: number } | undefined>('migrationGuard.lintWorkspace');
    await restarting;
    assert.ok(result && typeof result.files === 'number' && result.files > 0 && typeof result.problems === 'number', `Lint Workspace answered ${JSON.stringify(result)}`);
  });
});
