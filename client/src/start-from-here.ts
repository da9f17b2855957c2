// "Migration Guard: Start From Here": writes the server's `[tool.migration-guard.start-after]` (every app's current
// last migration) into the pyproject.toml as an edit (undoable), and saves it; offered once per workspace after a
// Lint Workspace that finds many problems in a history that already ran.
import * as vscode from 'vscode';
import type { BaseLanguageClient } from 'vscode-languageclient/node';

const START_FROM_HERE_REQUEST = 'migrationGuard/startFromHere';
/** More problems than this from one Lint Workspace: the history is likely old code that already ran. */
export const OFFER_THRESHOLD = 50;
const OFFERED_KEY = 'migrationGuard.startFromHereOffered';

interface StartFromHereResult {
  path: string;
  exists: boolean;
  text: string;
  entries: Record<string, string>;
  conflicts: string[];
}

export async function startFromHere(client: BaseLanguageClient | undefined): Promise<boolean> {
  if (!client) {
    void vscode.window.showWarningMessage('Migration Guard: the server is not running. Run "Migration Guard: Restart Server" first.');
    return false;
  }
  const uri = vscode.window.activeTextEditor?.document.uri ?? vscode.workspace.workspaceFolders?.[0]?.uri;
  const result = await client.sendRequest<StartFromHereResult | null>(START_FROM_HERE_REQUEST, { uri: uri?.toString() });
  const apps = result ? Object.keys(result.entries) : [];
  if (!result || apps.length === 0) {
    void vscode.window.showInformationMessage('Migration Guard: no migrations found in this workspace, so there is nothing to start from.');
    return false;
  }
  const target = vscode.Uri.file(result.path);
  const edit = new vscode.WorkspaceEdit();
  if (result.exists) {
    const document = await vscode.workspace.openTextDocument(target);
    edit.replace(target, document.validateRange(new vscode.Range(0, 0, document.lineCount + 1, 0)), result.text);
  } else {
    edit.createFile(target, { ignoreIfExists: true });
    edit.insert(target, new vscode.Position(0, 0), result.text);
  }
  if (!(await vscode.workspace.applyEdit(edit))) {
    void vscode.window.showErrorMessage(`Migration Guard: could not write ${vscode.workspace.asRelativePath(target)}.`);
    return false;
  }
  await (await vscode.workspace.openTextDocument(target)).save();
  const conflicts = result.conflicts.length ? ` ${result.conflicts.join(', ')} ha${result.conflicts.length === 1 ? 's' : 've'} two leaf migrations; the last by name was written.` : '';
  void vscode.window.showInformationMessage(`Migration Guard: wrote start-after for ${apps.length} app${apps.length === 1 ? '' : 's'} into ${vscode.workspace.asRelativePath(target)}: their migrations up to now are silent; new ones are checked.${conflicts}`);
  return true;
}

/** After a Lint Workspace: the first time it finds more than OFFER_THRESHOLD problems, offer Start From Here. */
export async function offerStartFromHere(state: vscode.Memento, problems: number, client: () => BaseLanguageClient | undefined): Promise<void> {
  if (problems <= OFFER_THRESHOLD || state.get<boolean>(OFFERED_KEY)) return;
  await state.update(OFFERED_KEY, true);
  const choice = await vscode.window.showInformationMessage(
    `Migration Guard found ${problems} problems, most likely in migrations that already ran in production. Start From Here silences the current ones (start-after in pyproject.toml) and checks every new migration.`,
    'Start From Here', 'Not Now');
  if (choice === 'Start From Here') await startFromHere(client());
}
