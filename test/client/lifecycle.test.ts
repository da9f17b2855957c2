// The built extension (dist/extension.js) against the built server (dist/server.js, over Node IPC), with a stub
// of the `vscode` API: start, crash restarts with back-off, give-up after 5 crashes, the restart command,
// `migrationGuard.enable`, deactivate. Polls for every outcome; never sleeps a fixed time.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { createVscodeStub, installVscodeStub } from './vscode-stub';

function repoRoot(): string {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'esbuild.mjs'))) return dir;
    dir = dirname(dir);
  }
  throw new Error(`repository root not found above ${__dirname}`);
}

/** Our server child processes (Linux /proc). */
function serverPids(): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid !== process.pid) continue;
      const cmdline = readFileSync(`/proc/${entry}/cmdline`, 'utf8');
      if (cmdline.includes('server.js')) pids.push(Number(entry));
    } catch {
      // the process ended meanwhile
    }
  }
  return pids;
}

let describeState = () => '';

async function waitFor<T>(what: string, probe: () => T | undefined | false, timeoutMs = 15000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; ${describeState()}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

const root = repoRoot();
const skip = process.platform !== 'linux' ? 'needs /proc to find the server process'
  : !existsSync(join(root, 'dist', 'extension.js')) || !existsSync(join(root, 'dist', 'server.js')) ? 'run `node esbuild.mjs` first' : false;

test('extension lifecycle with the real server', { skip, timeout: 90000 }, async (t) => {
  const stub = createVscodeStub(root);
  const uninstall = installVscodeStub(stub);
  const extension = require(join(root, 'dist', 'extension.js')) as { activate(context: unknown): void; deactivate(): Promise<void> };
  const context = { subscriptions: [] as { dispose(): unknown }[], asAbsolutePath: (path: string) => join(root, path), extensionPath: root, extensionMode: 1 };
  const status = () => stub.statusTexts[stub.statusTexts.length - 1] ?? '';
  const running = () => status() === '$(check) Migration Guard';
  const oneServer = (not?: number) => {
    const pids = serverPids();
    return pids.length === 1 && pids[0] !== not && running() ? pids[0] : undefined;
  };
  describeState = () => `server processes: ${JSON.stringify(serverPids())}, status: ${status()}, messages: ${JSON.stringify(stub.shown)}, log:\n${stub.log.slice(-15).join('\n')}`;
  const run = (id: string) => {
    const command = stub.commands.get(id);
    assert.ok(command, `${id} is registered`);
    return command();
  };

  try {
    const started = Date.now();
    extension.activate(context);
    const activationMs = Date.now() - started;
    assert.ok(activationMs < 1000, `activate() returns at once (took ${activationMs} ms)`);
    assert.deepEqual([...stub.commands.keys()].sort(), ['migrationGuard.fixAll', 'migrationGuard.lintWorkspace', 'migrationGuard.restartServer', 'migrationGuard.showOutput', 'migrationGuard.showRuleDocs', 'migrationGuard.showRules', 'migrationGuard.startFromHere']);
    let pid = await waitFor('the server to start', () => oneServer());

    await t.test('a crashed server is restarted', async () => {
      process.kill(pid, 'SIGKILL');
      pid = await waitFor('a new server after the crash', () => oneServer(pid));
      assert.ok(stub.log.some((line) => line.includes('crash 1 of at most 4')), 'the crash is logged');
    });

    await t.test('the restart command starts a fresh server', async () => {
      await run('migrationGuard.restartServer');
      pid = await waitFor('a new server after the restart command', () => oneServer(pid));
    });

    await t.test('after 4 restarts in 3 minutes, the 5th crash stops it with an error and a way out', async () => {
      for (let crash = 1; crash <= 4; crash++) {
        process.kill(pid, 'SIGKILL');
        pid = await waitFor(`a new server after crash ${crash}`, () => oneServer(pid));
      }
      assert.ok(stub.log.some((line) => line.includes('restarting in 2000 ms')), 'the restarts back off');
      process.kill(pid, 'SIGKILL');
      const shown = await waitFor('the give-up message', () => stub.shown.find((message) => message.kind === 'error' && message.message.includes('crashed 5 times')));
      assert.match(shown.message, /Restart Server/);
      await waitFor('the server to stay down', () => serverPids().length === 0 && status().includes('stopped after errors'));
    });

    await t.test('the restart command brings it back after a give-up', async () => {
      await run('migrationGuard.restartServer');
      pid = await waitFor('the server after the restart command', () => oneServer());
    });

    await t.test('Lint Workspace answers with a clear message', async () => {
      const before = stub.shown.length;
      await run('migrationGuard.lintWorkspace');
      const shown = stub.shown.slice(before);
      assert.equal(shown.length, 1, JSON.stringify(shown));
      assert.match(shown[0].message, /linted|cannot lint the whole workspace yet/);
    });

    await t.test('migrationGuard.enable false stops the server, true starts it', async () => {
      stub.setSetting('enable', false);
      await waitFor('the server to stop', () => serverPids().length === 0 && status().includes('disabled'));
      const before = stub.shown.length;
      await run('migrationGuard.restartServer');
      assert.match(stub.shown[before]?.message ?? '', /turned off/);
      assert.equal(serverPids().length, 0);
      stub.setSetting('enable', true);
      pid = await waitFor('the server to start again', () => oneServer());
    });

    await t.test('deactivate stops the server', async () => {
      await extension.deactivate();
      await waitFor('no server process', () => serverPids().length === 0);
    });
  } finally {
    for (const subscription of context.subscriptions) subscription.dispose();
    for (const leftover of serverPids()) process.kill(leftover, 'SIGKILL');
    uninstall();
  }
});
