// `npm run test:electron`: the extension-host suite in a desktop VS Code through @vscode/test-electron, which
// downloads VS Code (stable, or MIGRATION_GUARD_VSCODE_VERSION) into .vscode-test/ unless
// MIGRATION_GUARD_VSCODE_EXECUTABLE names a VS Code already installed. The workspace is a throw-away copy of
// examples/. Machines that cannot reach update.code.visualstudio.com: `npm run test:extension-host` runs the
// same suite in code-server's extension host.
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { downloadAndUnzipVSCode, runTests } from '@vscode/test-electron';

async function vscodeExecutable(): Promise<string> {
  const installed = process.env.MIGRATION_GUARD_VSCODE_EXECUTABLE;
  if (installed) return installed;
  try {
    return await downloadAndUnzipVSCode(process.env.MIGRATION_GUARD_VSCODE_VERSION || 'stable');
  } catch (error) {
    throw new Error(`could not download VS Code (${error instanceof Error ? error.message : String(error)}).\n`
      + 'Set MIGRATION_GUARD_VSCODE_EXECUTABLE to an installed VS Code, or run the same suite in code-server: '
      + 'npm run test:extension-host');
  }
}

async function main(): Promise<number> {
  const vscodeExecutablePath = await vscodeExecutable();
  const repo = resolve(__dirname, '../..');
  const temp = mkdtempSync(join(tmpdir(), 'mg-test-electron-'));
  const workspace = join(temp, 'workspace');
  cpSync(join(repo, 'examples'), workspace, { recursive: true });
  try {
    return await runTests({
      vscodeExecutablePath,
      extensionDevelopmentPath: repo,
      extensionTestsPath: join(__dirname, 'suite', 'index.js'),
      launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust', '--skip-welcome', '--skip-release-notes',
        '--user-data-dir', join(temp, 'user-data'), '--extensions-dir', join(temp, 'extensions')],
    });
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

main().then((code) => process.exit(code), (error: unknown) => {
  // A failed test run rejects too ("Test run failed with code 1"), after VS Code printed mocha's report.
  console.error(`test:electron: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
