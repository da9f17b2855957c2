#!/usr/bin/env node
// `npm run test:extension-host`: runs an extensionTestsPath module (by default the mocha suite in
// out/electron/suite, the one `npm run test:electron` runs in a desktop VS Code) in code-server's real Node
// extension host, with the extension loaded from this repo as a development extension (dist/, no .vsix).
// The browser workbench takes extensionDevelopmentPath and extensionTestsPath from the `payload` query parameter;
// the extension host awaits the module's run() and the workbench then calls window.codeAutomationExit(code),
// which playwright exposes. mocha's report is streamed from the file named by MIGRATION_GUARD_TEST_OUTPUT.
// Usage: node test/electron/run-code-server.mjs [--tests FILE] [--workspace DIR] [--no-build] [--keep] [--headed]
//   --tests      the module to run (default out/electron/suite/index.js); the bench passes out/electron/bench/index.js
//   --workspace  the folder to open (default: a throw-away copy of examples/)
//   --no-build   use the dist/ and out/electron/ already built (default: node esbuild.mjs --electron first)
// Other environment variables reach the extension host unchanged (the bench passes its options that way).
// Exits with the run's code: 0 when run() resolved, 1 when it rejected; 2 for a harness failure.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, readFileSync, rmSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { createProfile, launchBrowser, poll, repo, requireCodeServer, startCodeServer } from '../e2e/vscode/harness.mjs';

const args = process.argv.slice(2);
const option = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);
const testsPath = resolve(option('--tests') ?? join(repo, 'out/electron/suite/index.js'));
const timeoutMs = Number(process.env.MIGRATION_GUARD_EXTENSION_HOST_TIMEOUT_MS) || 5 * 60_000;
const started = Date.now();
const log = (message) => console.log(`[extension-host ${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s] ${message}`);

requireCodeServer();
if (!args.includes('--no-build')) execFileSync(process.execPath, ['esbuild.mjs', '--electron'], { cwd: repo, stdio: 'inherit' });
if (!existsSync(testsPath)) {
  console.error(`${testsPath} does not exist: build it with node esbuild.mjs --electron`);
  process.exit(2);
}

const profile = createProfile('mg-extension-host-');
const workspace = option('--workspace') ? resolve(option('--workspace')) : join(profile.temp, 'workspace');
if (!option('--workspace')) cpSync(join(repo, 'examples'), workspace, { recursive: true });
const output = join(profile.temp, 'output.log');

let codeServer;
let browser;
let code = 2;
const workbenchErrors = [];
try {
  codeServer = await startCodeServer(profile, workspace, { ...profile.env, MIGRATION_GUARD_TEST_OUTPUT: output });
  log(`code-server on ${codeServer.base}; running ${testsPath}`);
  browser = await launchBrowser({ headed: args.includes('--headed') });
  const page = await browser.newPage();
  let exitCode;
  await page.exposeFunction('codeAutomationExit', (value) => { exitCode = value; });
  // The workbench's log (window.log) while extension tests run; only errors are kept, for the report on failure.
  await page.exposeFunction('codeAutomationLog', (level, messages) => {
    if (level === 'error') workbenchErrors.push([].concat(messages).join(' '));
  });
  const remote = (path) => `vscode-remote://127.0.0.1:${codeServer.port}${path}`;
  const payload = [['extensionDevelopmentPath', remote(repo)], ['extensionTestsPath', remote(testsPath)]];
  await page.goto(`${codeServer.base}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);

  // Stream the report as it grows, until the workbench reports the end of the run.
  let printed = 0;
  const flush = () => {
    if (!existsSync(output)) return;
    const text = readFileSync(output, 'utf8');
    process.stdout.write(text.slice(printed));
    printed = text.length;
  };
  await poll('the extension tests to finish (window.codeAutomationExit)', () => {
    flush();
    return exitCode !== undefined;
  }, timeoutMs, 200);
  flush();
  code = exitCode === 0 ? 0 : 1;
  if (!printed) log('the tests wrote no report (did run() start?)');
} catch (error) {
  console.error(`extension-host run failed: ${error.stack ?? error}`);
} finally {
  if (code !== 0) {
    if (workbenchErrors.length) console.error(`workbench errors:\n${workbenchErrors.slice(-10).join('\n')}`);
    if (codeServer) console.error(`code-server log (tail):\n${codeServer.log().slice(-3000)}`);
  }
  await browser?.close().catch(() => {});
  await codeServer?.stop();
  if (args.includes('--keep') || code !== 0) log(`kept ${profile.temp}`);
  else rmSync(profile.temp, { recursive: true, force: true });
}
log(`${code === 0 ? 'passed' : 'FAILED'} in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(code);
