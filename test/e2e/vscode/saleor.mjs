#!/usr/bin/env node
// Start From Here on a real history, in a REAL VS Code (code-server, as run.mjs): unpacks saleor (1,417 migrations)
// from the corpora into a temp dir (never into the repo), opens it, runs Lint Workspace, screenshots the Problems
// panel (docs/images/saleor-problems-before.png, with the Start From Here offer that a lint this large brings), chooses
// Start From Here in the offer, and screenshots the panel again (docs/images/saleor-problems-after.png). The counts the
// status bar shows are checked against Lint Workspace's answer before, against the CLI's (`check --format json`) after, and
// the CLI's figure before is logged next to the editor's.
// Not part of CI: the corpora are not in the repo. Without them it says so and exits 0.
// Usage: node test/e2e/vscode/saleor.mjs [--keep] [--headed]; MIGRATION_GUARD_CORPORA names the folder holding
// saleor.tar.gz (default /work/shared/corpora). Needs test/e2e/vscode/install.sh first.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { createProfile, installExtension, launchBrowser, poll, repo, requireCodeServer, startCodeServer, workbench } from './harness.mjs';

const keep = process.argv.includes('--keep');
const headed = process.argv.includes('--headed');
const started = Date.now();
const log = (message) => console.log(`[saleor ${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s] ${message}`);

const corpora = process.env.MIGRATION_GUARD_CORPORA || '/work/shared/corpora';
const archive = join(corpora, 'saleor.tar.gz');
if (!existsSync(archive)) {
  log(`no ${archive}: the saleor screenshots are not taken (set MIGRATION_GUARD_CORPORA to the folder holding saleor.tar.gz)`);
  process.exit(0);
}
requireCodeServer();

const profile = createProfile('mg-e2e-saleor-');
const unpacked = join(profile.temp, 'corpus');
mkdirSync(unpacked);
execFileSync('tar', ['-xzf', archive, '-C', unpacked]);
const workspace = join(unpacked, 'saleor');
const pyprojectPath = join(workspace, 'pyproject.toml');
installExtension(profile, log);

/** The CLI's findings on the folder as it is now, by severity (what the editor's counts must equal). */
function cliCounts() {
  const output = execFileSync(process.execPath, [join(repo, 'dist/cli.js'), 'check', workspace, '--format', 'json', '--exit-zero'], { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const findings = JSON.parse(output);
  const count = (severity) => findings.filter((finding) => finding.severity === severity).length;
  return { errors: count('error'), warnings: count('warning'), infos: count('info'), total: findings.length };
}

const show = ({ errors, warnings, infos, total }) => `${total} (${errors} errors, ${warnings} warnings, ${infos} infos)`;
const same = (a, b) => a.errors === b.errors && a.warnings === b.warnings && a.infos === b.infos;

let codeServer;
let browser;
let failed = false;
try {
  const cliBefore = cliCounts();
  log(`CLI before: ${show(cliBefore)}`);
  codeServer = await startCodeServer(profile, workspace);
  browser = await launchBrowser({ headed });
  const page = await (await browser.newContext({ viewport: { width: 1400, height: 1000 } })).newPage();
  await page.goto(`${codeServer.base}/?folder=${encodeURIComponent(workspace)}`);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  log('workbench loaded');
  const { runCommand, problemCounts, lintWorkspace, showProblems } = workbench(page, log);

  const linted = await lintWorkspace();
  log(`  ${linted.replace(/\s+/g, ' ').slice(0, 100)}`);
  const offer = page.locator('.notifications-toasts .notification-toast', { hasText: 'Start From Here silences' });
  await offer.waitFor({ timeout: 30_000 });
  await showProblems();
  await runCommand('View: Toggle Maximized Panel');
  // The panel shows what the server reported; the CLI's figure is logged next to it (they should agree).
  const reported = Number(/: (\d+) problems?/.exec(linted)?.[1]);
  const before = await poll(`the status bar to count the ${reported} problems Lint Workspace reported`, async () => { const counts = await problemCounts(); return counts.total === reported ? counts : undefined; }, 120_000, 500)
    .catch(async (error) => { throw new Error(`${error.message}; the status bar says ${(await problemCounts()).label}`); });
  log(`editor before: ${before.label}${same(before, cliBefore) ? ' (the CLI finds the same)' : `; the CLI finds ${show(cliBefore)}: they differ`}`);
  await page.mouse.move(1, 1);
  await page.screenshot({ path: join(repo, 'docs/images/saleor-problems-before.png') });

  await offer.getByRole('button', { name: 'Start From Here' }).click();
  const written = await poll('start-after written into saleor/pyproject.toml', () => {
    const text = readFileSync(pyprojectPath, 'utf8');
    return /\[tool\.migration-guard\.start-after\]\n/.test(text) ? text : undefined;
  }, 30_000);
  const apps = written.slice(written.indexOf('[tool.migration-guard.start-after]')).split('\n').filter((line) => /^\w+ = "/.test(line)).length;
  const cliAfter = cliCounts();
  log(`start-after for ${apps} apps; CLI after: ${show(cliAfter)}`);
  const after = await poll(`the status bar to count what the CLI finds (${show(cliAfter)})`, async () => { const counts = await problemCounts(); return same(counts, cliAfter) ? counts : undefined; }, 120_000, 500)
    .catch(async (error) => { throw new Error(`${error.message}; the status bar says ${(await problemCounts()).label}`); });
  log(`editor after: ${after.label}`);
  // The "wrote start-after for N apps" message stays in the picture; the offer and lint messages are gone by now or hidden.
  await poll('the confirmation of Start From Here', async () => (await page.locator('.notifications-toasts .notification-toast', { hasText: 'wrote start-after' }).count()) > 0, 30_000);
  await page.mouse.move(1, 1);
  await page.screenshot({ path: join(repo, 'docs/images/saleor-problems-after.png') });
  log(`saleor Problems: ${before.total} before Start From Here, ${after.total} after (${show(before)} → ${show(after)})`);
} catch (error) {
  failed = true;
  console.error(`not ok - ${error.stack ?? error}`);
  const [page] = browser?.contexts()[0]?.pages() ?? [];
  if (page) await page.screenshot({ path: join(profile.temp, 'failure.png') }).catch(() => {});
  if (codeServer) console.error(`code-server log (tail):\n${codeServer.log().slice(-4000)}`);
} finally {
  await browser?.close().catch(() => {});
  await codeServer?.stop();
  if (keep || failed) log(`kept ${profile.temp}`);
  else rmSync(profile.temp, { recursive: true, force: true });
}
log(`${failed ? 'FAILED' : 'done'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(failed ? 1 : 0);
