// What the extension-host tests share. Only the `vscode` API: the tests observe diagnostics through
// `languages.getDiagnostics`/`onDidChangeDiagnostics`, so they hold whether the server pushes or VS Code pulls.
import * as assert from 'node:assert';
import * as vscode from 'vscode';

export const EXTENSION_ID = 'migration-guard.django-migration-guard';
export const MIGRATION_0002 = 'shop/shop/migrations/0002_order_created_idx.py';
export const PRODUCTION_SETTINGS = 'shop/shop_project/production_settings.py';

/** Activates the extension and waits for its first server start (commands that talk to the server need it). */
export async function serverStarted(): Promise<void> {
  const extension = vscode.extensions.getExtension<{ startup?: Promise<unknown> }>(EXTENSION_ID);
  assert.ok(extension, `${EXTENSION_ID} is not loaded`);
  const api = await extension.activate();
  await api.startup;
}

/** A file of the workspace: the runner opens a throw-away copy of examples/. */
export function workspaceUri(relative: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error('no workspace folder: run the suite through its runner, which opens a copy of examples/');
  return vscode.Uri.joinPath(folder.uri, ...relative.split('/'));
}

export function codeOf(diagnostic: vscode.Diagnostic): string {
  const { code } = diagnostic;
  return String(typeof code === 'object' ? code.value : code ?? '');
}

/** Migration Guard's diagnostics on `uri` (other extensions are disabled, but stay on the safe side). */
export function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((diagnostic) => /^MG\d{3}$/.test(codeOf(diagnostic)));
}

export function codes(uri: vscode.Uri): string[] {
  return ours(uri).map(codeOf).sort();
}

/**
 * Resolves with the diagnostics of `uri` once `accept` holds for them: checked now and on every
 * `onDidChangeDiagnostics` for `uri` (never a fixed sleep); fails after `timeoutMs`, saying what it saw.
 */
export function waitForDiagnostics(uri: vscode.Uri, what: string, accept: (diagnostics: vscode.Diagnostic[]) => boolean, timeoutMs = 30_000): Promise<vscode.Diagnostic[]> {
  return new Promise((resolve, reject) => {
    const check = () => {
      const diagnostics = ours(uri);
      if (!accept(diagnostics)) return;
      finish();
      resolve(diagnostics);
    };
    const subscription = vscode.languages.onDidChangeDiagnostics((event) => {
      if (event.uris.some((changed) => changed.toString() === uri.toString())) check();
    });
    const timer = setTimeout(() => {
      finish();
      reject(new Error(`timed out after ${timeoutMs} ms waiting for ${what} on ${vscode.workspace.asRelativePath(uri)} (codes now: ${codes(uri).join(', ') || 'none'})`));
    }, timeoutMs);
    function finish() {
      clearTimeout(timer);
      subscription.dispose();
    }
    check();
  });
}

export const has = (...wanted: string[]) => (found: vscode.Diagnostic[]) => wanted.every((code) => found.some((diagnostic) => codeOf(diagnostic) === code));
export const lacks = (...unwanted: string[]) => (found: vscode.Diagnostic[]) => !unwanted.some((code) => found.some((diagnostic) => codeOf(diagnostic) === code));

export async function open(relative: string): Promise<vscode.TextDocument> {
  const document = await vscode.workspace.openTextDocument(workspaceUri(relative));
  await vscode.window.showTextDocument(document);
  return document;
}

/** Replaces the whole text of `document` and saves it (how the tests restore a file they changed). */
export async function setText(document: vscode.TextDocument, text: string): Promise<void> {
  if (document.getText() !== text) {
    const edit = new vscode.WorkspaceEdit();
    edit.replace(document.uri, new vscode.Range(document.positionAt(0), document.positionAt(document.getText().length)), text);
    assert.ok(await vscode.workspace.applyEdit(edit), `could not restore ${document.uri.fsPath}`);
  }
  if (document.isDirty) assert.ok(await document.save(), `could not save ${document.uri.fsPath}`);
}

/** The code actions at `range`, with their edits resolved. */
export async function codeActions(uri: vscode.Uri, range: vscode.Range, kind?: string): Promise<vscode.CodeAction[]> {
  const actions = await vscode.commands.executeCommand<(vscode.CodeAction | vscode.Command)[] | undefined>(
    'vscode.executeCodeActionProvider', uri, range, kind, 100);
  return (actions ?? []).filter((action): action is vscode.CodeAction => typeof action.command !== 'string');
}

/** The code action titled with all of `titleParts` among those on the first diagnostic with `code`. */
export async function quickFix(document: vscode.TextDocument, code: string, ...titleParts: string[]): Promise<vscode.CodeAction> {
  const diagnostic = ours(document.uri).find((candidate) => codeOf(candidate) === code);
  assert.ok(diagnostic, `no ${code} diagnostic on ${document.uri.fsPath}`);
  const actions = await codeActions(document.uri, diagnostic.range);
  const action = actions.find((candidate) => titleParts.every((part) => candidate.title.includes(part)));
  assert.ok(action, `no code action titled ${titleParts.join(' … ')}; got: ${actions.map((candidate) => candidate.title).join(' | ')}`);
  return action;
}

export async function applyAction(action: vscode.CodeAction): Promise<void> {
  assert.ok(action.edit, `the code action "${action.title}" has no edit`);
  assert.ok(await vscode.workspace.applyEdit(action.edit), `the edit of "${action.title}" was not applied`);
}
