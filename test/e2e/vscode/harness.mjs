// What the code-server runs share (test/e2e/vscode/run.mjs, test/electron/run-code-server.mjs and the bench): the
// cache where install.sh put code-server and playwright-core, polling, a throw-away profile, starting and stopping
// code-server, and launching Debian's Chromium.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, statSync, writeFileSync } from 'node:fs';
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

/** Builds dist/, packages the extension into a .vsix in the profile's temp dir and installs it into the profile. */
export function installExtension(profile, log) {
  const { temp, userDataDir, extensionsDir, env } = profile;
  execFileSync(process.execPath, ['esbuild.mjs'], { cwd: repo, stdio: 'inherit' });
  const vsix = join(temp, 'migration-guard.vsix');
  let t0 = Date.now();
  execFileSync(process.execPath, [join(repo, 'node_modules/@vscode/vsce/vsce'), 'package', '--no-dependencies',
    '--allow-missing-repository', '--skip-license', '--out', vsix], { cwd: repo, env, stdio: ['ignore', 'pipe', 'inherit'] });
  log(`packaged ${vsix} (${(statSync(vsix).size / 1024).toFixed(0)} KiB) in ${Date.now() - t0} ms`);
  t0 = Date.now();
  const installOutput = execFileSync(process.execPath, [codeServerEntry, '--user-data-dir', userDataDir,
    '--extensions-dir', extensionsDir, '--install-extension', vsix], { env, encoding: 'utf8' });
  if (!/successfully installed/i.test(installOutput)) throw new Error(`--install-extension failed:\n${installOutput}`);
  log(`installed the .vsix into code-server in ${Date.now() - t0} ms`);
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

/**
 * What a step does in the workbench, as a user would (Quick Open, the command palette, the Problems panel, the
 * Ctrl+. menu, the notifications), for `page` (a code-server workbench); `log` prints a progress line.
 */
export function workbench(page, log) {
  /** Opens a workspace file through Quick Open and waits for its editor tab to be active. */
  async function openFile(name) {
    await page.locator('.monaco-workbench').click({ position: { x: 5, y: 5 } }).catch(() => {});
    await page.keyboard.press('Control+P');
    const input = page.locator('.quick-input-widget input');
    await input.waitFor();
    await input.fill(name);
    await poll(`Quick Open to list ${name}`, () => page.locator('.quick-input-list .monaco-list-row', { hasText: name }).count());
    await page.keyboard.press('Enter');
    await page.locator(`.tab.active[aria-label*="${name}"]`).waitFor();
    await page.locator('.editor-instance .monaco-editor .view-lines').first().waitFor();
  }

  /** The viewport rectangle of the first occurrence of `text` on a rendered editor line (for a precise hover/click). */
  async function textBox(text, lineIncludes = text) {
    return poll(`"${text}" rendered in the editor`, () => page.evaluate(({ text, lineIncludes }) => {
      for (const line of document.querySelectorAll('.editor-instance .monaco-editor .view-line')) {
        if (!line.textContent.replace(/\u00a0/g, ' ').includes(lineIncludes)) continue;
        const walker = document.createTreeWalker(line, NodeFilter.SHOW_TEXT);
        for (let node = walker.nextNode(); node; node = walker.nextNode()) {
          const at = node.textContent.indexOf(text);
          if (at < 0) continue;
          const range = document.createRange();
          range.setStart(node, at);
          range.setEnd(node, at + text.length);
          const { x, y, width, height } = range.getBoundingClientRect();
          if (width > 0) return { x, y, width, height };
        }
      }
      return undefined;
    }, { text, lineIncludes }));
  }

  /**
   * Saves the active editor and waits until `onDisk()` returns something. A loaded machine can swallow the first
   * Ctrl+S (focus still moving): after 10 s the save is asked again through the command palette.
   */
  async function save(what, onDisk) {
    await page.keyboard.press('Control+S');
    const saved = await poll(what, onDisk, 10_000).catch(() => undefined);
    if (saved) return saved;
    log(`  ${what}: not saved after Ctrl+S, saving through "File: Save"`);
    await runCommand('File: Save');
    return poll(what, onDisk);
  }

  /**
   * Runs a command through the palette. The palette lists the commands known when it opened: an extension still
   * being registered (a large folder right after start-up) shows up only in a palette opened again, so it is.
   */
  async function runCommand(title) {
    const input = page.locator('.quick-input-widget input');
    const row = page.locator('.quick-input-list .monaco-list-row', { hasText: title });
    await poll(`the command "${title}"`, async () => {
      await page.keyboard.press('F1');
      await input.waitFor();
      await input.fill(`>${title}`);
      if (await poll(`the command "${title}" listed`, () => row.count(), 5_000).catch(() => 0)) return true;
      await page.keyboard.press('Escape');
      return false;
    }, 60_000);
    await page.keyboard.press('Enter');
    await page.locator('.quick-input-widget').waitFor({ state: 'hidden' });
  }

  /** The rendered rows of the Problems panel (files, markers, related information): aria-label and text. */
  function problemRows() {
    return page.locator('.markers-panel .monaco-list-row').evaluateAll((rows) =>
      rows.map((row) => `${row.getAttribute('aria-label') ?? ''} | ${row.textContent ?? ''}`));
  }

  /**
   * The Problems panel's rows for one file: the panel's filter is set to `**\/name`, so that every row of the file
   * is rendered (the list is virtual: rows scrolled out of view are not in the DOM).
   */
  async function problemsIn(name) {
    const filter = page.locator('.viewpane-filter input, .markers-panel-action-filter input').first();
    if ((await filter.inputValue()) !== `**/${name}`) await filter.fill(`**/${name}`);
    return poll(`the Problems panel filtered on ${name}`, async () => {
      const rows = await problemRows();
      // Only the file's own row names a .py file in its aria-label (related-information rows name other files).
      const files = rows.filter((row) => /^[^|]*\.py/.test(row) && !/MG\d{3}/.test(row) && !/\[Ln \d+/.test(row));
      return files.length === 1 && files[0].includes(name) ? rows : undefined;
    });
  }

  /** Applies the quick fix whose title contains every string in `titleParts`, from the Ctrl+. menu at `box`. */
  async function applyQuickFix(box, titleParts) {
    const widget = page.locator('.action-widget');
    const matches = (text) => titleParts.every((part) => text.includes(part));
    // Right after a file opens the server may not have linted it yet ("No code actions available"): ask again.
    await poll(`a quick fix titled ${titleParts.join(' … ')}`, async () => {
      await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
      await page.keyboard.press('Control+.');
      const shown = await widget.waitFor({ timeout: 2_000 }).then(() => true, () => false);
      if (shown && (await widget.locator('.monaco-list-row.action').allTextContents()).some(matches)) return true;
      await page.keyboard.press('Escape');
      return false;
    }, 30_000);
    // The menu is driven with the keyboard, as a user would: arrow down to the fix, then Enter.
    const rows = await widget.locator('.monaco-list-row.action').count();
    const focused = widget.locator('.monaco-list-row.action.focused');
    for (let i = 0; i <= rows && !matches((await focused.textContent().catch(() => '')) ?? ''); i++) await page.keyboard.press('ArrowDown');
    const title = (await focused.textContent()) ?? '';
    if (!matches(title)) throw new Error(`could not focus the quick fix ${titleParts.join(' … ')}`);
    log(`  quick fix: ${title}`);
    await page.keyboard.press('Enter');
    // Ctrl+S pressed while the menu is still closing is lost on a loaded machine.
    await widget.waitFor({ state: 'hidden' });
    await widget.waitFor({ state: 'hidden' });
  }

  /** The problem counts the status bar shows (VS Code's markers entry: "Errors: 2, Warnings: 40, Infos: 3"). */
  async function problemCounts() {
    const label = (await page.locator('[id="status.problems"] [aria-label], [id="status.problems"][aria-label]').first().getAttribute('aria-label')) ?? '';
    const count = (name) => Number(new RegExp(`${name}: (\\d+)`).exec(label)?.[1] ?? 0);
    const counts = { errors: count('Errors'), warnings: count('Warnings'), infos: count('Infos') };
    return { ...counts, total: counts.errors + counts.warnings + counts.infos, label };
  }

  /** The notification toasts shown now, as their text. */
  function toastTexts() {
    return page.locator('.notifications-toasts .notification-toast').allTextContents();
  }

  /** Clears every notification, and waits until none is shown. */
  async function clearNotifications() {
    const toasts = page.locator('.notifications-toasts .notification-toast');
    if (await toasts.count()) await runCommand('Notifications: Clear All Notifications');
    await poll('no notification toasts', async () => (await toasts.count()) === 0);
  }

  /**
   * Runs Lint Workspace and waits for its "linted N files: M problems" message; returns that text. The progress
   * notification ends first.
   */
  async function lintWorkspace(timeoutMs = 120_000) {
    await clearNotifications();
    await runCommand('Migration Guard: Lint Workspace');
    return poll('the "linted … files" message of Lint Workspace', async () => (await toastTexts()).find((text) => /Migration Guard: linted/.test(text)), timeoutMs, 200);
  }

  /** Maximizes the panel (the Problems panel is open) and waits for the rows to be rendered. */
  async function showProblems() {
    await page.keyboard.press('Control+Shift+M');
    await page.locator('.markers-panel').waitFor();
  }

  return { openFile, textBox, save, runCommand, problemRows, problemsIn, applyQuickFix, problemCounts, toastTexts, clearNotifications, lintWorkspace, showProblems };
}
