// The bench's extensionTestsPath entry (section g of `npm run bench`, through test/electron/run-code-server.mjs):
// measured inside VS Code's extension host, through the `vscode` API only.
//   1. activation: `activate()` of the extension (not active yet: the workspace folder is empty, so no activation
//      event fired), then the extension's own start-up times, then a 1,000-line migration opened → first diagnostics;
//   2. keystroke → diagnostics: N one-character edits with TextEditor.edit, each toggling MG101 (`AddIndex` ↔
//      `AddIndeX`), timed until getDiagnostics shows that MG101 appear or go (push or pull alike).
// Options come from the environment: MIGRATION_GUARD_BENCH_MIGRATION (the migration's path),
// MIGRATION_GUARD_BENCH_EDITS (default 60), MIGRATION_GUARD_BENCH_RESULT (where the JSON goes).
import { appendFileSync, writeFileSync } from 'node:fs';
import { performance } from 'node:perf_hooks';
import * as vscode from 'vscode';
import { EXTENSION_ID, codeOf, waitForDiagnostics } from '../suite/helpers';

/** What run() writes to MIGRATION_GUARD_BENCH_RESULT (test/bench/bench.ts reads it). */
export interface ExtensionHostBench {
  vscodeVersion: string;
  /** Whether the extension was already active when the bench started (then activateCallMs means nothing). */
  wasActive: boolean;
  /** `await extension.activate()`: loading the bundle and running activate(), as the extension host does it. */
  activateCallMs: number;
  /** From that call until the language server runs. */
  serverReadyCallMs?: number;
  /** The extension's own figures, from its bundle starting to run (`exports.startup`). */
  startup: { activateMs: number; serverReadyMs?: number };
  lines: number;
  /** openTextDocument + showTextDocument → its first Migration Guard diagnostics. */
  openToDiagnosticsMs: number;
  diagnostics: number;
  latencies: number[];
  /** Of each latency, the part until `TextEditor.edit` resolved (the edit's round trip to the workbench). */
  editLatencies: number[];
}

function say(line: string): void {
  const output = process.env.MIGRATION_GUARD_TEST_OUTPUT;
  if (output) appendFileSync(output, `${line}\n`);
  console.log(line);
}

export async function run(): Promise<void> {
  const path = process.env.MIGRATION_GUARD_BENCH_MIGRATION;
  const resultPath = process.env.MIGRATION_GUARD_BENCH_RESULT;
  const edits = Number(process.env.MIGRATION_GUARD_BENCH_EDITS) || 60;
  if (!path || !resultPath) throw new Error('set MIGRATION_GUARD_BENCH_MIGRATION and MIGRATION_GUARD_BENCH_RESULT');
  const extension = vscode.extensions.getExtension<{ startup: Promise<ExtensionHostBench['startup']> }>(EXTENSION_ID);
  if (!extension) throw new Error(`${EXTENSION_ID} is not loaded`);

  // 1. Activation, then the first diagnostics of a migration opened right after.
  const wasActive = extension.isActive;
  const activateStart = performance.now();
  const api = await extension.activate();
  const activateCallMs = performance.now() - activateStart;
  const startup = await api.startup;
  const serverReadyCallMs = startup.serverReadyMs === undefined ? undefined : performance.now() - activateStart;
  if (serverReadyCallMs === undefined) throw new Error('the language server did not start');

  const uri = vscode.Uri.file(path);
  const openStart = performance.now();
  const document = await vscode.workspace.openTextDocument(uri);
  const editor = await vscode.window.showTextDocument(document);
  const first = await waitForDiagnostics(uri, 'the first diagnostics', (found) => found.length > 0, 60_000);
  const openToDiagnosticsMs = performance.now() - openStart;
  say(`opened ${document.lineCount} lines: ${first.length} diagnostics after ${openToDiagnosticsMs.toFixed(0)} ms`);

  // 2. Each edit flips the last letter of an `AddIndex` that has MG101 (not one on a table the migration creates),
  // which makes that MG101 go or come back.
  const reported = first.find((diagnostic) => codeOf(diagnostic) === 'MG101' && document.lineAt(diagnostic.range.start.line).text.includes('migrations.AddIndex('));
  if (!reported) throw new Error(`no MG101 on a migrations.AddIndex( line of ${path}`);
  const line = reported.range.start.line;
  const x = new vscode.Position(line, document.lineAt(line).text.indexOf('AddIndex(') + 'AddInde'.length);
  const range = new vscode.Range(x, x.translate(0, 1));
  const mg101Here = (found: vscode.Diagnostic[]) => found.some((diagnostic) => codeOf(diagnostic) === 'MG101' && diagnostic.range.start.line === line);
  const warmup = 5;
  const latencies: number[] = [];
  const editLatencies: number[] = [];
  for (let i = 0; i < warmup + edits; i++) {
    const letter = document.getText(range) === 'x' ? 'X' : 'x';
    const start = performance.now();
    const applied = await editor.edit((builder) => builder.replace(range, letter), { undoStopBefore: false, undoStopAfter: false });
    if (!applied) throw new Error(`edit ${i} was not applied`);
    const editMs = performance.now() - start;
    const expectMg101 = letter === 'x';
    await waitForDiagnostics(uri, `MG101 to ${expectMg101 ? 'come back' : 'go'} after edit ${i}`, (found) => mg101Here(found) === expectMg101);
    if (i >= warmup) {
      latencies.push(performance.now() - start);
      editLatencies.push(editMs);
    }
  }
  const diagnostics = vscode.languages.getDiagnostics(uri).length;
  await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');

  const result: ExtensionHostBench = {
    vscodeVersion: vscode.version, wasActive, activateCallMs, serverReadyCallMs, startup, lines: document.lineCount,
    openToDiagnosticsMs, diagnostics, latencies, editLatencies,
  };
  writeFileSync(resultPath, JSON.stringify(result, null, 2));
  say(`${latencies.length} edits measured; result in ${resultPath}`);
}
