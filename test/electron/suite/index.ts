// The extensionTestsPath entry: VS Code's extension host (Electron through @vscode/test-electron, or code-server's
// Node host through run-code-server.mjs) loads this file and awaits `run()`; a rejection makes the run fail.
// Mocha comes from the repo's node_modules at run time (the bundle keeps it external).
import { appendFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';

/** Where run-code-server.mjs wants mocha's report (it streams the file), besides the extension host's console. */
const OUTPUT_ENV = 'MIGRATION_GUARD_TEST_OUTPUT';

export async function run(): Promise<void> {
  // A dynamic import: mocha 12 is an ES module, which an extension host on Node < 20.19 cannot require().
  const { default: Mocha } = await import('mocha');
  const output = process.env[OUTPUT_ENV];
  if (output) {
    const consoleLog = Mocha.reporters.Base.consoleLog;
    Mocha.reporters.Base.consoleLog = (...args: unknown[]) => {
      consoleLog(...args);
      appendFileSync(output, `${format(...args)}\n`);
    };
  }
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', color: false, timeout: 60_000 });
  const files = readdirSync(__dirname).filter((file) => file.endsWith('.test.js')).sort();
  // No test files would be a pass with nothing tested: a build that lost them must fail.
  if (files.length === 0) throw new Error(`no *.test.js next to ${__filename}: build the suite with node esbuild.mjs --electron`);
  for (const name of files) mocha.addFile(join(__dirname, name));
  let passed = 0;
  const failures = await new Promise<number>((resolve) => mocha.run(resolve).on('pass', () => { passed++; }));
  if (failures > 0) throw new Error(`${failures} extension-host test${failures === 1 ? '' : 's'} failed`);
  if (passed === 0) throw new Error('no extension-host test ran');
}
