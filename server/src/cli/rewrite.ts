// `migration-guard rewrite FILE:LINE [--diff]`: the finding on that line written out as its safe multi-migration
// route (server/src/rewrite): the migration edited and the follow-up migrations created, or their diff printed.
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { isMigrationPath } from '../analysis/migration';
import { ConfigResolver } from '../config/pyproject';
import { collectPythonFiles, readSource, writeSourceAtomically } from '../base/files';
import { lintSource } from '../engine/lint';
import { initParser } from '../base/parser';
import { loadSqlParser } from '../base/sql-parser';
import { LineIndex } from '../base/text';
import { Workspace } from '../engine/workspace';
import { applyEdits } from '../fixes/apply';
import { planRewrite, REWRITE_CODES } from '../rewrite';
import { parseArgs, parseFileLine, UsageError } from './args';
import { projectRoot } from './check';
import { indexFile } from './check-file';
import { unifiedDiff } from './diff';
import { displayPath } from './format';
import type { Io } from './io';
import { createNewFiles, removeCreated } from './new-files';

export const REWRITE_HELP = `Write the safe multi-migration route for the finding on a line: the migration is edited and the
follow-up migrations are created (numbered after the app's last migration, each depending on the one before).
Rules with a rewrite: ${[...REWRITE_CODES].join(', ')}.

Usage: migration-guard rewrite FILE:LINE [--diff]

Options:
  --diff            Print the unified diff of every file instead of writing them.
  -h, --help        Show this help.

Exit status: 0 when written (or printed), 1 when the finding has no rewrite that can be offered (the reason is
printed), 2 on usage errors.
`;

export async function runRewrite(argv: readonly string[], io: Io): Promise<number> {
  const args = parseArgs(argv, [{ name: 'diff' }, { name: 'help', short: 'h' }], 'rewrite');
  if (args.flags.has('help')) {
    io.stdout(REWRITE_HELP);
    return 0;
  }
  if (args.positionals.length !== 1) throw new UsageError('`rewrite` takes one FILE:LINE');
  const { file, line } = parseFileLine(args.positionals[0]);
  const path = resolve(io.cwd, file);
  if (!existsSync(path) || !statSync(path).isFile()) throw new UsageError(`${file}: no such file`);
  if (!isMigrationPath(path)) throw new UsageError(`${file}: not a migration (a file in a \`migrations/\` folder)`);
  const source = readSource(path);
  if (!source.ok) throw new UsageError(`${file}: ${source.reason}`);
  const lines = new LineIndex(source.text);
  if (line > lines.lineCount) throw new UsageError(`${file} has ${lines.lineCount} lines; got line ${line}`);

  await initParser();
  await loadSqlParser();
  // The whole project is indexed: the rewrite needs the history before the migration and the app's leaves.
  const workspace = new Workspace();
  workspace.indexing = true;
  const project = projectRoot(path, false);
  for (const candidate of new Set([...collectPythonFiles([project]), path])) indexFile(workspace, candidate, readSource(candidate), new Set());
  workspace.indexing = false;
  const { config } = new ConfigResolver({}).forFile(path);
  const result = lintSource({ path, text: source.text, config, workspace });
  result.tree.delete();
  const onLine = result.violations.filter((violation) => lines.lineOf(violation.range.start) === line - 1);
  const candidates = onLine.filter((violation) => REWRITE_CODES.has(violation.code));
  const shown = displayPath(path, io.cwd);
  if (candidates.length === 0) {
    const found = onLine.length ? ` (found: ${[...new Set(onLine.map((violation) => violation.code))].join(', ')})` : '';
    io.stderr(`migration-guard: ${shown}:${line}: no finding with a rewrite on this line${found}; rules with one: ${[...REWRITE_CODES].join(', ')}\n`);
    return 1;
  }
  const violation = candidates[0];
  const outcome = planRewrite({ path, text: source.text, config, workspace, code: violation.code, offset: violation.range.start });
  if (!outcome) {
    io.stderr(`migration-guard: ${shown}:${line}: ${violation.code} has no rewrite for this operation\n`);
    return 1;
  }
  if (!outcome.ok) {
    io.stderr(`migration-guard: ${shown}:${line}: ${outcome.code}: not rewritten: ${outcome.reason}\n`);
    return 1;
  }
  const { rewrite } = outcome;
  const after = applyEdits(source.text, rewrite.edits);
  if (args.flags.has('diff')) {
    let out = unifiedDiff(shown, source.text, after);
    for (const other of rewrite.otherFiles) out += unifiedDiff(displayPath(other.path, io.cwd), other.text, applyEdits(other.text, other.edits));
    for (const created of rewrite.files) out += unifiedDiff(displayPath(created.path, io.cwd), '', created.text).replace(/^--- a\/.*\n/, '--- /dev/null\n');
    io.stdout(out);
    return 0;
  }
  // Every existing file must still be what the rewrite read before any is written.
  const others = rewrite.otherFiles.map((other) => ({ other, source: readSource(other.path) }));
  for (const { other, source: read } of others) {
    if (!read.ok || read.text !== other.text) {
      io.stderr(`migration-guard: ${displayPath(other.path, io.cwd)} changed while rewriting; nothing written\n`);
      return 1;
    }
  }
  // The follow-ups first, all or none; then the other files and the migration, the follow-ups taken back when one
  // of those cannot be written (as `check --fix` does with the files a fix creates).
  const created = createNewFiles(rewrite.files, io.cwd, 'the rewrite');
  if (!created.ok) {
    io.stderr(`migration-guard: ${created.reason}; nothing written\n`);
    return 1;
  }
  const editedPaths: string[] = [];
  for (const { other, source: read } of others) {
    const result = read.ok ? writeSourceAtomically(other.path, applyEdits(other.text, other.edits), read) : undefined;
    if (!result?.written) {
      removeCreated(created.paths);
      io.stderr(`migration-guard: ${displayPath(other.path, io.cwd)}: not written${result && !result.written ? `: ${result.reason}` : ''}\n`);
      return 1;
    }
    editedPaths.push(other.path);
  }
  const written = writeSourceAtomically(path, after, source);
  if (!written.written) {
    removeCreated(created.paths);
    io.stderr(`migration-guard: ${shown}: not written: ${written.reason}\n`);
    return 1;
  }
  const createdPaths = created.paths;
  io.stdout(`${violation.code}: ${rewrite.title}\n  edited  ${shown}\n${editedPaths.map((edited) => `  edited  ${displayPath(edited, io.cwd)}\n`).join('')}${createdPaths.map((created) => `  created ${displayPath(created, io.cwd)}\n`).join('')}`);
  return 0;
}
