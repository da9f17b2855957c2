// What the code-server runs share (test/e2e/vscode/run.mjs, test/electron/run-code-server.mjs and the bench): the
// cache where install.sh put code-server and playwright-core, polling, a throw-away profile, starting and stopping
// code-server, and launching Debian's Chromium.
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const cache = process.env.MIGRATION_GUARD_E2E_CACHE || '/var/cache/migration-guard-e2e';
export const codeServerEntry = join(cache, 'node_modules/code-server/out/node/entry.js');
const chromiumPath = process.env.MIGRATION_GUARD_E2E_CHROMIUM || '/usr/bin/chromium';

/** Whether install.sh has put code-server into the cache. */
export function codeServerInstalled() {
  return existsSync(codeServerEntry);
}

/** Exits with a message saying how to install code-server when it is missing. */
export function requireCodeServer() {
  if (codeServerInstalled()) return;
  console.error(`code-server is not installed in ${cache}: run test/e2e/vscode/install.sh first`);
  process.exit(2);
}

/** Polls `probe` until it returns a truthy value; fails with `what` (and the last value seen) after `timeoutMs`. */
export async function poll(what, probe, timeoutMs = 30_000, intervalMs = 100) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      last = await probe();
      if (last) return last;
    } catch (error) {
      last = error;
    }
    if (Date.now() > deadline) {
      const seen = last instanceof Error ? last.message : JSON.stringify(last);
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what} (last seen: ${seen})`);
    }
    await new Promise((done) => setTimeout(done, intervalMs));
  }
}

export function freePort() {
  return new Promise((done, fail) => {
    const server = createServer();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

/** User settings that keep the workbench quiet and offline: no welcome page, tips, trust prompt or update checks. */
export const baseSettings = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.enableExperiments': false,
  'workbench.welcomePage.walkthroughs.openOnInstall': false,
  'security.workspace.trust.enabled': false,
  'extensions.ignoreRecommendations': true,
  'extensions.autoUpdate': false,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'editor.hover.delay': 150,
  'editor.minimap.enabled': false,
  'files.autoSave': 'off',
  'chat.commandCenter.enabled': false,
};

/**
 * A throw-away temp dir with a code-server profile (user data with `baseSettings`, extensions) and an environment
 * whose XDG dirs point into it (code-server would write into ~/.config otherwise).
 */
export function createProfile(prefix) {
  const temp = mkdtempSync(join(tmpdir(), prefix));
  const userDataDir = join(temp, 'user-data');
  const settingsPath = join(userDataDir, 'User', 'settings.json');
  mkdirSync(dirname(settingsPath), { recursive: true });
  writeFileSync(settingsPath, JSON.stringify(baseSettings, null, 2));
  const env = {
    ...process.env,
    XDG_CONFIG_HOME: join(temp, 'xdg-config'),
    XDG_DATA_HOME: join(temp, 'xdg-data'),
    XDG_CACHE_HOME: join(temp, 'xdg-cache'),
  };
  return { temp, userDataDir, extensionsDir: join(temp, 'extensions'), settingsPath, env };
}

/**
 * Starts code-server on a free loopback port with `profile`, opening `workspace`; resolves once it answers.
 * `log()` is everything it printed; `stop()` ends it (SIGTERM, then SIGKILL after 10 s).
 */
export async function startCodeServer(profile, workspace, env = profile.env) {
  const port = await freePort();
  const child = spawn(process.execPath, [codeServerEntry, '--auth', 'none', '--bind-addr', `127.0.0.1:${port}`,
    '--disable-telemetry', '--disable-update-check', '--disable-workspace-trust', '--disable-getting-started-override',
    '--user-data-dir', profile.userDataDir, '--extensions-dir', profile.extensionsDir, workspace], { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  child.stdout.on('data', (chunk) => { output += chunk; });
  child.stderr.on('data', (chunk) => { output += chunk; });
  const server = {
    port,
    base: `http://127.0.0.1:${port}`,
    log: () => output,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      await poll('code-server to exit', () => child.exitCode !== null || child.signalCode !== null, 10_000).catch(() => child.kill('SIGKILL'));
    },
  };
  try {
    await poll('code-server to answer', async () => {
      if (child.exitCode !== null) throw new Error(`code-server exited with ${child.exitCode}:\n${output}`);
      return (await fetch(`${server.base}/healthz`)).ok;
    }, 30_000, 100);
  } catch (error) {
    await server.stop();
    throw error;
  }
  return server;
}

/** Debian's Chromium through the cache's playwright-core (never `npx playwright install`: that downloads a browser). */
export function launchBrowser({ headed = false } = {}) {
  const { chromium } = createRequire(join(cache, 'package.json'))('playwright-core');
  return chromium.launch({
    executablePath: chromiumPath,
    headless: !headed,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update',
      '--disable-sync', '--no-first-run', '--disable-dev-shm-usage'],
  });
}
