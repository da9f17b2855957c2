// The language server as an editor sees it: spawn the built server over stdio on a project folder, wait for
// the workspace index (work-done progress end), open a migration and time each one-character edit from
// `didChange` to the `publishDiagnostics` of that version.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import {
  ConfigurationRequest, DidChangeTextDocumentNotification, DidCloseTextDocumentNotification, DidOpenTextDocumentNotification, ExitNotification,
  InitializeRequest, InitializedNotification, LogMessageNotification, PublishDiagnosticsNotification,
  RegistrationRequest, ShutdownRequest, StreamMessageReader, StreamMessageWriter, WorkDoneProgress,
  WorkDoneProgressCreateRequest, createProtocolConnection, type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';

export interface EditScenario {
  label: string;
  path: string;
  /** Where the edits go: each inserts `char(i)` at `offset(text)` + i (typing forward). */
  offset(text: string): number;
  /** Inserted once before the measured edits (not timed), e.g. a new comment line to type into. */
  prefix?: string;
  char(i: number): string;
  edits: number;
}

export interface ScenarioResult {
  label: string;
  lines: number;
  /** Open → first diagnostics (includes replaying the state of every ancestor once). */
  openMs: number;
  latencies: number[];
  diagnostics: number;
}

export interface LspReport {
  /** initialized → the progress `end` of the index, as the client sees it. */
  indexMs: number;
  /** The server's own log line: "Indexed N migrations (M Python files) of … in X ms". */
  indexLog?: string;
  progressTitle?: string;
  scenarios: ScenarioResult[];
  /** VmHWM / VmRSS of the server process (Linux /proc), after the index and at the end. */
  rssAfterIndex?: { peak: number; current: number };
  rssAtEnd?: { peak: number; current: number };
  error?: string;
}

function now(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

function memory(pid: number | undefined): { peak: number; current: number } | undefined {
  if (!pid) return undefined;
  try {
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (key: string) => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1]);
    const peak = kb('VmHWM');
    const current = kb('VmRSS');
    return Number.isFinite(peak) && Number.isFinite(current) ? { peak: peak * 1024, current: current * 1024 } : undefined;
  } catch {
    return undefined;
  }
}

function position(text: string, offset: number): { line: number; character: number } {
  const before = text.slice(0, offset);
  const line = before.split('\n').length - 1;
  return { line, character: offset - (before.lastIndexOf('\n') + 1) };
}

/** @param nodeArgs options for the server's Node (e.g. `--cpu-prof` to profile it). */
export async function measureLsp(server: string, root: string, scenarios: EditScenario[], nodeArgs: string[] = [], timeoutMs = 120_000): Promise<LspReport> {
  const child = spawn(process.execPath, [...nodeArgs, server, '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const report: LspReport = { indexMs: NaN, scenarios: [] };
  const waiters = new Set<() => void>();
  const notify = () => { for (const waiter of [...waiters]) waiter(); };
  const waitFor = <T>(check: () => T | undefined, what: string): Promise<T> => new Promise((resolve, reject) => {
    const attempt = () => {
      const value = check();
      if (value === undefined) return;
      clearTimeout(timer);
      waiters.delete(attempt);
      resolve(value);
    };
    const timer = setTimeout(() => { waiters.delete(attempt); reject(new Error(`timed out waiting for ${what}; stderr: ${stderr.slice(0, 500)}`)); }, timeoutMs);
    waiters.add(attempt);
    attempt();
  });

  const published = new Map<string, PublishDiagnosticsParams>();
  const logs: string[] = [];
  let progressEnded = false;
  connection.onNotification(PublishDiagnosticsNotification.type, (params) => { published.set(params.uri, params); notify(); });
  connection.onNotification(LogMessageNotification.type, (params) => { logs.push(params.message); notify(); });
  connection.onRequest(ConfigurationRequest.type, (params) => params.items.map(() => ({})));
  connection.onRequest(RegistrationRequest.type, () => undefined);
  connection.onRequest(WorkDoneProgressCreateRequest.type, (params) => {
    connection.onProgress(WorkDoneProgress.type, params.token, (value) => {
      if (value.kind === 'begin') report.progressTitle = value.title;
      if (value.kind === 'end') progressEnded = true;
      notify();
    });
  });
  connection.listen();
  try {
    const rootUri = pathToFileURL(root).href;
    await connection.sendRequest(InitializeRequest.type, {
      processId: process.pid, rootUri, workspaceFolders: [{ uri: rootUri, name: 'bench' }], initializationOptions: {},
      capabilities: {
        window: { workDoneProgress: true },
        workspace: { configuration: true, didChangeWatchedFiles: { dynamicRegistration: true } },
        textDocument: { publishDiagnostics: { relatedInformation: true, versionSupport: true } },
      },
    });
    const initialized = now();
    await connection.sendNotification(InitializedNotification.type, {});
    await waitFor(() => (progressEnded ? true : undefined), 'the end of the indexing progress');
    report.indexMs = now() - initialized;
    report.indexLog = await waitFor(() => logs.find((line) => line.startsWith('Indexed ')), 'the index log line').catch(() => undefined);
    report.rssAfterIndex = memory(child.pid);

    for (const scenario of scenarios) {
      const uri = pathToFileURL(scenario.path).href;
      let text = readFileSync(scenario.path, 'utf8');
      let version = 1;
      // A publish counts only for the exact version it answers (a scenario may reopen an earlier file).
      const answered = (wanted: number) => (published.get(uri)?.version === wanted ? true : undefined);
      published.delete(uri);
      const opened = now();
      await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'python', version, text } });
      await waitFor(() => answered(1), `diagnostics of ${scenario.path}`);
      const openMs = now() - opened;
      const change = async (offset: number, inserted: string) => {
        const at = position(text, offset);
        text = text.slice(0, offset) + inserted + text.slice(offset);
        version++;
        const sent = now();
        await connection.sendNotification(DidChangeTextDocumentNotification.type, {
          textDocument: { uri, version }, contentChanges: [{ range: { start: at, end: at }, text: inserted }],
        });
        const wanted = version;
        await waitFor(() => answered(wanted), `diagnostics of version ${wanted}`);
        return now() - sent;
      };
      let offset = scenario.offset(text);
      if (scenario.prefix) {
        await change(offset, scenario.prefix);
        offset += scenario.prefix.length;
      }
      const latencies: number[] = [];
      for (let i = 0; i < scenario.edits; i++) latencies.push(await change(offset + i, scenario.char(i)));
      report.scenarios.push({ label: scenario.label, lines: text.split('\n').length, openMs, latencies, diagnostics: published.get(uri)?.diagnostics.length ?? 0 });
      await connection.sendNotification(DidCloseTextDocumentNotification.type, { textDocument: { uri } });
    }
    report.rssAtEnd = memory(child.pid);
    await connection.sendRequest(ShutdownRequest.type);
    await connection.sendNotification(ExitNotification.type);
  } catch (error) {
    report.error = error instanceof Error ? error.message : String(error);
    child.kill();
  } finally {
    await new Promise<void>((resolve) => {
      if (child.exitCode !== null) resolve();
      else {
        const timer = setTimeout(() => { child.kill(); resolve(); }, 5000);
        child.on('exit', () => { clearTimeout(timer); resolve(); });
      }
    });
    connection.dispose();
  }
  return report;
}
