/// <reference types="mocha" />
// Settings in the real extension host: `migrationGuard.ignore` in the workspace settings, set and then removed.
import * as vscode from 'vscode';
import { PRODUCTION_SETTINGS, has, lacks, open, waitForDiagnostics } from './helpers';

describe('configuration', () => {
  const configuration = () => vscode.workspace.getConfiguration('migrationGuard');
  afterEach(async () => {
    await configuration().update('ignore', undefined, vscode.ConfigurationTarget.Workspace);
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  it('migrationGuard.ignore removes a diagnostic; removing the setting brings it back', async () => {
    const document = await open(PRODUCTION_SETTINGS);
    await waitForDiagnostics(document.uri, 'MG703', has('MG703', 'MG705'));
    await configuration().update('ignore', ['MG703'], vscode.ConfigurationTarget.Workspace);
    await waitForDiagnostics(document.uri, 'MG703 to go (MG705 stays)', (found) => lacks('MG703')(found) && has('MG705')(found));
    await configuration().update('ignore', undefined, vscode.ConfigurationTarget.Workspace);
    await waitForDiagnostics(document.uri, 'MG703 to come back', has('MG703', 'MG705'));
  });
});
