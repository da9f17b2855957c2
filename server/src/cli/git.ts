// Git for `check --since REF`: the repository root, the merge base, and the files changed since it.
import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { UsageError } from './args';

function git(args: string[], cwd: string): { ok: boolean; stdout: string; stderr: string } {
  const child = spawnSync('git', args, { cwd, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  if (child.error) return { ok: false, stdout: '', stderr: child.error.message };
  return { ok: child.status === 0, stdout: child.stdout, stderr: child.stderr };
}

/** The top directory of the git work tree containing `cwd`, or undefined outside one (or without git). */
export function gitRoot(cwd: string): string | undefined {
  const result = git(['rev-parse', '--show-toplevel'], cwd);
  return result.ok ? result.stdout.trim() : undefined;
}

/**
 * Absolute paths of the files added, modified or renamed since the merge base of `ref` and HEAD (committed on
 * this branch, staged or not yet staged), plus untracked files that are not ignored: a new migration counts
 * before it is committed, as pre-commit and a local run expect. Deleted files are left out.
 */
export function changedSince(ref: string, cwd: string): { root: string; files: Set<string> } {
  const root = gitRoot(cwd);
  if (root === undefined) throw new UsageError(`--since ${ref}: ${cwd} is not inside a git repository`);
  const verify = git(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`], root);
  if (!verify.ok) throw new UsageError(`--since ${ref}: unknown git revision \`${ref}\` (in CI, fetch it first: actions/checkout with fetch-depth: 0)`);
  const base = git(['merge-base', ref, 'HEAD'], root);
  if (!base.ok) throw new UsageError(`--since ${ref}: no merge base between \`${ref}\` and HEAD${base.stderr.trim() ? `: ${base.stderr.trim()}` : ''}`);
  const diff = git(['diff', '--name-only', '-z', '--no-renames', '--diff-filter=AM', base.stdout.trim()], root);
  if (!diff.ok) throw new UsageError(`--since ${ref}: git diff failed: ${diff.stderr.trim()}`);
  const untracked = git(['ls-files', '--others', '--exclude-standard', '-z'], root);
  const names = [...diff.stdout.split('\0'), ...(untracked.ok ? untracked.stdout.split('\0') : [])].filter(Boolean);
  return { root, files: new Set(names.map((name) => resolve(root, name))) };
}
