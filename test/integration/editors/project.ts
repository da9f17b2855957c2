// Shared by the Neovim and Emacs tests: a temporary copy of examples/shop, the migration they open, the text the
// AddIndexConcurrently quick fix must leave in the buffer, checking an editor is there, and running an editor
// process with a deadline.
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from '../../helpers/paths';
import { missingPrograms } from '../harness/packages';

export const SERVER = join(REPO_ROOT, 'dist', 'server.js');
export const MIGRATION = join('shop', 'migrations', '0002_order_created_idx.py');

/** examples/shop/shop/migrations/0002_order_created_idx.py after "Migration Guard (MG101): Use AddIndexConcurrently". */
export const FIXED_MIGRATION = `# UNSAFE (MG101): AddIndex runs CREATE INDEX, which blocks writes to shop_order until the index is built.
from django.contrib.postgres.operations import AddIndexConcurrently
from django.db import migrations, models


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("shop", "0001_initial"),
    ]

    operations = [
        AddIndexConcurrently(
            model_name="order",
            index=models.Index(fields=["created_at"], name="order_created_idx"),
        ),
    ]
`;

/** A fresh copy of examples/shop in a temporary folder (the editors edit it). */
export function copyShop(): { root: string; dispose(): void } {
  const parent = mkdtempSync(join(tmpdir(), 'mg-editor-'));
  const root = join(parent, 'shop');
  cpSync(join(REPO_ROOT, 'examples', 'shop'), root, { recursive: true });
  return { root, dispose: () => rmSync(parent, { recursive: true, force: true }) };
}

/** Throws a clear error unless `command args` exits 0 having printed on stdout something that matches `expected`. */
export function requireEditor(what: string, command: string, args: string[], expected: RegExp): void {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 30_000 });
  if (!result.error && result.status === 0 && expected.test(result.stdout)) return;
  const output = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim();
  const ran = `\`${[command, ...args].join(' ')}\``;
  const problem = result.error ? `${ran} failed (${result.error.message})` : `${ran} exited ${result.status}: ${output.split('\n').pop()}`;
  throw missingPrograms(`These tests need ${what}`, [problem]);
}

/** Runs an editor to its end; kills it after `timeoutMs` (the scripts poll with their own, shorter, deadlines). */
export function runEditor(command: string, args: string[], options: { cwd: string; env?: NodeJS.ProcessEnv; timeoutMs: number }): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: options.cwd, env: { ...process.env, ...options.env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => { stdout += chunk; });
    child.stderr.on('data', (chunk) => { stderr += chunk; });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${command} did not finish within ${options.timeoutMs} ms\nstdout:\n${stdout}\nstderr:\n${stderr}`));
    }, options.timeoutMs);
    child.on('error', (error) => { clearTimeout(timer); reject(error); });
    child.on('close', (code) => { clearTimeout(timer); resolve({ code, stdout, stderr }); });
  });
}
