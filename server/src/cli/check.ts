// `migration-guard check`: walk the paths, lint migrations and settings modules, print, pick an exit code.
import { closeSync, existsSync, openSync, realpathSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import type { ConfigProblem, RawConfig, Severity } from '../config/defaults';
import { ConfigResolver, type ResolvedConfig } from '../config/pyproject';
import { collectPythonFiles, compileGlob, errorText, matchesAny, readSource } from '../base/files';
import { initParser } from '../base/parser';
import { loadSqlParser, sqlParserFailure } from '../base/sql-parser';
import { hasRunSql } from '../analysis/summary';
import { Workspace, type IndexedFile } from '../engine/workspace';
import { MigrationGraph } from '../analysis/graph';
import { isMigrationPath } from '../analysis/migration';
import { startAfterProblems } from '../analysis/start-after';
import { ALL_RULES } from '../rules';
import { codesOf, parseArgs, UsageError, valueOf, type OptionSpec } from './args';
import { KeptForLint, Sources, checkFile, indexFile, type CheckFileContext, type FileOutcome } from './check-file';
import { configFinding, type Finding } from './findings';
import { CheckWorkers, PARALLEL_MIN_FILES } from './parallel';
import { displayPath, FORMATS, formatGithub, formatJsonChunks, formatSummary, formatText, type Format } from './format';
import { OutputError, type Io } from './io';
import { changedSince, gitRoot } from './git';
import { formatSarif } from './sarif';
import { findSettingsModules } from '../analysis/settings-modules';

const SEVERITY_RANK: Record<Severity, number> = { info: 0, warning: 1, error: 2 };

export const CHECK_OPTIONS: readonly OptionSpec[] = [
  { name: 'format', value: true, choices: FORMATS },
  { name: 'select', value: true, repeatable: true },
  { name: 'ignore', value: true, repeatable: true },
  { name: 'config', value: true },
  { name: 'fail-on', value: true, choices: ['error', 'warning', 'info'] },
  { name: 'exit-zero' },
  { name: 'quiet', short: 'q' },
  { name: 'fix' },
  { name: 'unsafe-fixes' },
  { name: 'diff' },
  { name: 'output', short: 'o', value: true },
  { name: 'since', value: true },
  { name: 'jobs', short: 'j', value: true },
  { name: 'help', short: 'h' },
];

export const CHECK_HELP = `Lint Django migrations and database settings.

Usage: migration-guard check [PATH...] [OPTIONS]

PATH defaults to the current directory. Directories are walked for Python files (skipping node_modules, .git,
virtualenvs, site-packages and the \`exclude\` globs); only migrations and settings modules produce findings.

Options:
  --format FORMAT            Output format: text (default), json (an array of findings, ruff style), sarif
                             (SARIF 2.1.0 for code scanning) or github (GitHub Actions workflow annotations).
  -o, --output FILE          Write the report to FILE; the summary line still goes to standard output.
  --since REF                Lint only the migrations added or changed since the merge base of the git
                             revision REF and HEAD (committed, staged, unstaged or untracked), plus the
                             settings modules. The whole project is still indexed for the migration history.
  --select CODES             Enable only these rule codes or prefixes (comma-separated, e.g. MG1,MG201).
  --ignore CODES             Disable these rule codes or prefixes.
  --config FILE              Read [tool.migration-guard] from FILE instead of the nearest pyproject.toml.
  --fail-on LEVEL            Lowest severity that fails the run: error, warning (default) or info.
  --fix                      Apply safe fixes to the files, then report what remains.
  --unsafe-fixes             With --fix, also apply unsafe fixes (they may change behaviour).
  --diff                     Print the fixes --fix would apply as a unified diff; write nothing. Exit 1 when
                             there is something to fix (else as without --diff, for what would remain).
  --exit-zero                Exit 0 even when findings or configuration problems are reported.
  -j, --jobs N               Threads to index and lint with, at most 16 (default: one less than the cores, 1 to 4).
                             Small projects, --fix and --diff use one.
  -q, --quiet                Print findings only: no summary line.
  -h, --help                 Show this help.

Exit status: 0 nothing at or above the fail level, 1 findings at or above it, 2 usage or configuration error.
`;

const CODE = /^MG\d{0,3}$/;

type FileWriter = ((text: string) => void) & { close(): void };

/** Writes the report to a file chunk by chunk (a large JSON report is never one string). */
function fileWriter(path: string): FileWriter {
  let fd: number;
  try {
    fd = openSync(path, 'w');
  } catch (error) {
    throw new UsageError(`--output ${path}: cannot write: ${error instanceof Error ? error.message : String(error)}`);
  }
  const write = ((text: string) => {
    try {
      if (text) writeSync(fd, text);
    } catch (error) {
      throw new OutputError(`cannot write the report to ${path}: ${errorText(error)}`);
    }
  }) as FileWriter;
  write.close = () => closeSync(fd);
  return write;
}

/**
 * The project a path belongs to: the nearest directory at or above it with a pyproject.toml or manage.py (not
 * looking above a git repository's root); else the path itself, or a file's directory (for a migration, its
 * app's whole history). Its files are indexed (migration graph, project state) even when only part of it is
 * checked, so a migration checked alone still knows the migrations before it.
 */
export function projectRoot(path: string, isDirectory: boolean): string {
  const start = isDirectory ? path : dirname(path);
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'pyproject.toml')) || existsSync(join(dir, 'manage.py'))) return dir;
    if (existsSync(join(dir, '.git')) || dirname(dir) === dir) return start;
  }
}

function validateCodes(option: string, codes: string[] | undefined): void {
  if (!codes) return;
  if (codes.length === 0) throw new UsageError(`\`--${option}\` needs rule codes such as MG101 or prefixes such as MG1`);
  for (const code of codes) {
    if (!CODE.test(code)) throw new UsageError(`\`--${option}\`: \`${code}\` is not a rule code (expected codes like MG101 or prefixes like MG1)`);
    if (code.length === 5 && code !== 'MG000' && !ALL_RULES.some((rule) => rule.code === code)) {
      throw new UsageError(`\`--${option}\`: no rule ${code} (run \`migration-guard rules\` for the list)`);
    }
  }
}

/**
 * Threads by default: one less than the cores (at most 4). One thread already keeps ~1.2 cores busy, V8 collecting
 * garbage beside it: on 2 cores a second thread measured slower (saleor, after the JS-tree copy, 3 rounds
 * alternating: --jobs 1 2.8–3.3 s wall / 208–214 MB, --jobs 2 4.3–5.4 s / 227–236 MB; again after the lazy server
 * load, a busy machine: --jobs 1 1.4–2.6 s / 208–216 MB, --jobs 2 2.1–5.2 s / 226–228 MB). Once each thread lints
 * the files it indexed (parsed once), 5 rounds alternating: saleor --jobs 1 2.8–3.8 s (median 3.17) / 189–201 MB,
 * --jobs 2 2.7–3.0 s (2.88) / 241–252 MB; the bench's realistic project --jobs 1 3.5–4.7 s (4.01) / 267–289 MB,
 * --jobs 2 4.0–4.9 s (4.29) / 326–351 MB. No clear gain on 2 cores for 55 MB more: still one thread there.
 */
const MAX_DEFAULT_JOBS = 4;
/** Each thread holds the whole index (~30 MB on 1,500 migrations): 256 threads took 5.4 GB. */
export const MAX_JOBS = 16;

function jobsOf(value: string | undefined): number {
  if (value === undefined) return Math.max(1, Math.min(availableParallelism() - 1, MAX_DEFAULT_JOBS));
  if (!/^[1-9]\d*$/.test(value)) throw new UsageError(`\`--jobs\` needs a whole number of threads, 1 or more; got \`${value}\``);
  if (Number(value) > MAX_JOBS) throw new UsageError(`\`--jobs\` is at most ${MAX_JOBS} threads (each holds a copy of the project's index); got \`${value}\``);
  return Number(value);
}

/** Records the problems of each `start-after` table that configures `migrations`, once per config file. */
function noteStartAfterProblems(resolver: ConfigResolver, migrations: string[], graphOf: () => MigrationGraph, into: Map<string, ConfigProblem[]>): void {
  const configs = new Map<string, ResolvedConfig>();
  for (const file of migrations) {
    const resolved = resolver.forFile(file);
    if (resolved.configPath && Object.keys(resolved.config.startAfter).length > 0) configs.set(resolved.configPath, resolved);
  }
  const graph = configs.size > 0 ? graphOf() : undefined;
  for (const [path, resolved] of configs) {
    const known = into.get(path) ?? [];
    for (const problem of startAfterProblems(graph!, resolved.config.startAfter)) {
      if (!known.some((other) => other.message === problem.message)) known.push(problem);
    }
    if (known.length > 0) into.set(path, known);
  }
}

export async function runCheck(argv: readonly string[], io: Io): Promise<number> {
  const args = parseArgs(argv, CHECK_OPTIONS, 'check');
  if (args.flags.has('help')) {
    io.stdout(CHECK_HELP);
    return 0;
  }
  const format = (valueOf(args, 'format') ?? 'text') as Format;
  const select = codesOf(args, 'select');
  const ignore = codesOf(args, 'ignore');
  validateCodes('select', select);
  validateCodes('ignore', ignore);
  const failOn = (valueOf(args, 'fail-on') ?? 'warning') as Severity;
  const fix = args.flags.has('fix');
  const unsafeFixes = args.flags.has('unsafe-fixes');
  const quiet = args.flags.has('quiet');
  const diff = args.flags.has('diff');
  const cwd = io.cwd;
  const outputOption = valueOf(args, 'output');
  const outputPath = outputOption === undefined ? undefined : resolve(cwd, outputOption);
  if (outputPath !== undefined) {
    if (outputOption === '') throw new UsageError('`--output` needs a file name');
    if (!existsSync(dirname(outputPath)) || !statSync(dirname(outputPath)).isDirectory()) throw new UsageError(`--output ${outputOption}: no such directory: ${dirname(outputOption!) || '.'}`);
    if (existsSync(outputPath) && statSync(outputPath).isDirectory()) throw new UsageError(`--output ${outputOption}: is a directory`);
  }
  if (diff && outputPath !== undefined) throw new UsageError('`--diff` prints the diff on standard output; it takes no `--output`');

  const paths = args.positionals.length > 0 ? args.positionals : ['.'];
  for (const path of paths) {
    if (!existsSync(resolve(cwd, path))) throw new UsageError(`${path}: no such file or directory`);
  }
  const configOption = valueOf(args, 'config');
  let configPath: string | undefined;
  if (configOption !== undefined) {
    configPath = resolve(cwd, configOption);
    if (!existsSync(configPath)) throw new UsageError(`--config ${configOption}: no such file`);
    if (!statSync(configPath).isFile()) throw new UsageError(`--config ${configOption}: not a file`);
  }
  const jobsOption = jobsOf(valueOf(args, 'jobs'));
  const sinceRef = valueOf(args, 'since');
  const since = sinceRef === undefined ? undefined : changedSince(sinceRef, cwd);
  const repoRoot = since?.root ?? (format === 'sarif' ? gitRoot(cwd) ?? cwd : cwd);

  const overrides: RawConfig = {};
  if (select) overrides.select = select;
  if (ignore) overrides.ignore = ignore;
  // Started before the walk: web-tree-sitter reads and compiles its wasm while the files are found.
  const parserReady = initParser();
  parserReady.catch(() => undefined); // awaited below; a usage error found before then must not leave it unhandled
  const resolver = new ConfigResolver(overrides, configPath);
  // Config problems are reported once per config file, whichever file or directory brought it in.
  const problemsByFile = new Map<string, ResolvedConfig>();
  const configFor = (resolved: ResolvedConfig): ResolvedConfig => {
    if (resolved.problems.length > 0) problemsByFile.set(resolved.configPath ?? '', resolved);
    return resolved;
  };

  const startAfterProblemsByFile = new Map<string, ConfigProblem[]>();

  // Collect per given path, with the exclude globs of the config that applies there (relative to its directory).
  // Each path's project (see projectRoot) gets a workspace index; a file is linted with the first it came with.
  const files: string[] = [];
  const explicit = new Set<string>();
  const workspaces = new Map<string, { workspace: Workspace; files: Set<string> }>();
  const workspaceOf = new Map<string, Workspace>();
  for (const path of paths) {
    const absolute = resolve(cwd, path);
    const isDirectory = statSync(absolute).isDirectory();
    const resolved = configFor(isDirectory ? resolver.forDirectory(absolute) : resolver.forFile(absolute));
    const root = resolved.configPath ? dirname(resolved.configPath) : cwd;
    if (!isDirectory) explicit.add(absolute);
    const collected = collectPythonFiles([absolute], {
      exclude: resolved.config.exclude, root,
      onUnreadable: (dir, reason) => {
        // A directory named on the command line that cannot be read is a usage error; one found inside is told.
        if (dir === absolute) throw new UsageError(`${path}: cannot read directory: ${reason}`);
        io.stderr(`migration-guard: ${displayPath(dir, cwd)}: cannot read directory (${reason}); its files are not linted\n`);
      },
    });
    for (const item of collected) files.push(item);
    const project = projectRoot(absolute, isDirectory);
    let entry = workspaces.get(project);
    if (!entry) {
      entry = { workspace: new Workspace(), files: new Set() };
      entry.workspace.forgetUsedStates = !fix && !diff;
      workspaces.set(project, entry);
      if (project !== absolute) {
        const projectConfig = resolver.forDirectory(project);
        const configRoot = projectConfig.configPath ? dirname(projectConfig.configPath) : project;
        try {
          for (const file of collectPythonFiles([project], { exclude: projectConfig.config.exclude, root: configRoot })) entry.files.add(file);
        } catch {
          // an unreadable project: only the given files are known
        }
      }
    }
    for (const file of collected) {
      entry.files.add(file);
      if (!workspaceOf.has(file)) workspaceOf.set(file, entry.workspace);
    }
  }
  const unique = [...new Set(files)].filter((file) => {
    if (explicit.has(file)) return true;
    // A nested pyproject.toml may exclude more than the one the walk started from.
    const resolved = resolver.forFile(file);
    if (resolved.config.exclude.length === 0) return true;
    const root = resolved.configPath ? dirname(resolved.configPath) : cwd;
    return !matchesAny(relative(root, file), resolved.config.exclude.map(compileGlob));
  });
  const projectFiles = new Set<string>();
  for (const entry of workspaces.values()) for (const file of entry.files) projectFiles.add(file);
  const settingsModules = findSettingsModules([...paths.map((path) => resolve(cwd, path)), ...workspaces.keys()], [...new Set([...unique, ...projectFiles])]);

  // Index every project first, so each migration is linted knowing the graph and the state before it. The
  // files to lint keep their text (read once), and the first of them their tree too (see KEPT_TREES_BYTES).
  const sources = new Sources();
  // --since: only the changed migrations are linted (non-migrations are narrowed to the settings modules below).
  // git prints real paths; a project reached through a symlink is compared by its real path.
  const changed = (file: string) => since!.files.has(file) || (existsSync(file) && since!.files.has(realpathSync(file)));
  const toLint = new Set(since ? unique.filter((file) => !isMigrationPath(file) || changed(file)) : unique);
  const projects = [...workspaces.values()];
  const projectFileCount = projects.reduce((sum, project) => sum + project.files.size, 0);
  // Worker threads pay off on a large project; --fix and --diff rewrite files one after another, on this thread.
  const jobs = fix || diff || projectFileCount + toLint.size < PARALLEL_MIN_FILES ? 1 : jobsOption;
  const workers = jobs > 1 ? new CheckWorkers(jobs, __filename) : undefined;
  io.stage?.('walked');
  await parserReady;
  io.stage?.('parser');
  let outcomes: FileOutcome[];
  try {
    const kept = new KeptForLint(sources);
    // With workers, the index stays with them: this thread only passes it on (and sees the settings modules).
    let indexed: IndexedFile[][] | undefined;
    if (workers) {
      indexed = await workers.index(projects.map((project) => [...project.files]), settingsModules, toLint);
    } else {
      for (const { workspace, files: projectFiles } of projects) await kept.indexProject(workspace, projectFiles, settingsModules, toLint);
    }
    io.stage?.('indexed');
    // `start-after` entries are checked against the graph of the projects whose migrations they configure.
    projects.forEach((project, position) => {
      const graph = () => (indexed ? new MigrationGraph(indexed[position].flatMap((file) => (file.kind === 'migration' && file.summary ? [file.summary] : []))) : project.workspace.graph());
      noteStartAfterProblems(resolver, [...project.files].filter(isMigrationPath), graph, startAfterProblemsByFile);
    });
    const indexedSettings = new Set(indexed?.flat().filter((file) => file.kind === 'module' && file.settings).map((file) => file.path));
    const isSettingsModule = (file: string) => settingsModules.has(file) || (workers ? indexedSettings.has(file) : workspaceOf.get(file)?.settings.module(file) !== undefined);
    const lintList = since ? [...toLint].filter((file) => isMigrationPath(file) || isSettingsModule(file)) : unique;
    // PostgreSQL's SQL parser only when a migration to lint runs raw SQL (see base/sql-parser.ts): the lint
    // is synchronous, so the load is awaited here, between indexing and linting.
    const linted = new Set(lintList);
    const summaries = indexed
      ? indexed.flat().map((file) => (file.kind === 'migration' && linted.has(file.path) ? file.summary : undefined))
      : lintList.map((file) => workspaceOf.get(file)?.summary(file));
    const sql = summaries.some(hasRunSql);
    if (sql && !(await loadSqlParser())) io.stderr(`migration-guard: PostgreSQL's SQL parser could not be loaded (${sqlParserFailure()}): SQL inside RunSQL is not checked; the other rules run.\n`);
    io.stage?.('sql');
    if (workers && indexed) {
      const projectIndex = new Map(projects.map((project, position) => [project.workspace, position]));
      // Config problems are collected here, once per config file, as on one thread.
      for (const file of lintList) configFor(resolver.forFile(file));
      const lints = workers.lint(lintList.map((path) => ({ path, project: projectIndex.get(workspaceOf.get(path)!)! })), {
        projects: indexed, cwd, overrides, configPath, settingsModules: [...settingsModules], sql,
      });
      indexed = undefined; // sent (copied): the memory is the workers' now
      outcomes = await lints;
    } else {
      const context: CheckFileContext = {
        cwd,
        config: (file) => configFor(resolver.forFile(file)).config,
        settingsModules,
        workspace: (file) => workspaceOf.get(file),
        sources,
        fix: fix || diff ? { unsafe: unsafeFixes, diff, repoRoot } : undefined,
      };
      outcomes = lintList.map((file) => {
        return checkFile(file, context, kept.take(file));
      });
      if (fix && !diff && outcomes.some((outcome) => outcome.fixed > 0)) {
        // A fix may change other files' findings (a settings fix that sets lock_timeout answers MG110 on the
        // migrations linted before it): what remains is reported from the files as they are now.
        const now: CheckFileContext = { ...context, fix: undefined };
        // Files a fix created (MG101's migration of its own) join the index and the report.
        const created = outcomes.flatMap((outcome, index) => outcome.created.map((path) => ({ path, workspace: workspaceOf.get(lintList[index]) })));
        for (const { path, workspace } of created) {
          if (!workspace) continue;
          workspaceOf.set(path, workspace);
          indexFile(workspace, path, sources.read(path), settingsModules);
        }
        outcomes = outcomes.map((first, index) => ({ ...checkFile(lintList[index], now), messages: first.messages, fixed: first.fixed, writeFailed: first.writeFailed }));
        for (const { path } of created) outcomes.push(checkFile(path, now));
      }
    }
    io.stage?.('linted');
    kept.release();
  } finally {
    workers?.close();
  }
  const findings: Finding[] = [];
  let filesChecked = 0;
  let filesNotLinted = 0;
  let fixed = 0;
  let filesFixed = 0;
  let writeFailures = 0;
  let safeFixable = 0;
  let unsafeOnlyFixable = 0;
  let diffText = '';
  for (const outcome of outcomes) {
    for (const message of outcome.messages) io.stderr(message);
    if (outcome.writeFailed) writeFailures++;
    if (!outcome.checked) continue;
    if (!outcome.linted) {
      filesNotLinted++;
      continue;
    }
    filesChecked++;
    for (const item of outcome.findings) findings.push(item);
    safeFixable += outcome.safeFixable;
    unsafeOnlyFixable += outcome.unsafeOnlyFixable;
    diffText += outcome.diff;
    if (outcome.fixed > 0) {
      fixed += outcome.fixed;
      filesFixed++;
    }
  }

  const configFindings: Finding[] = [];
  for (const [path, resolved] of problemsByFile) {
    if (path) continue;
    for (const problem of resolved.problems) io.stderr(`migration-guard: ${problem.message}\n`);
  }
  const configPaths = new Set([...problemsByFile.keys(), ...startAfterProblemsByFile.keys()].filter(Boolean));
  for (const path of [...configPaths].sort()) {
    const text = readSource(path);
    const problems = [...(problemsByFile.get(path)?.problems ?? []), ...(startAfterProblemsByFile.get(path) ?? [])];
    for (const problem of problems) configFindings.push(configFinding(path, text.ok ? text.text : undefined, problem));
  }
  const all = [...configFindings, ...findings];

  const summary = formatSummary({
    findings: all, filesChecked, filesNotLinted, fixed, filesFixed,
    fixable: unsafeFixes ? safeFixable + unsafeOnlyFixable : safeFixable,
    unsafeFixable: unsafeFixes ? 0 : unsafeOnlyFixable,
  });
  if (diff) {
    // The diff is the output; what it would fix and what would remain go to stderr (ruff does the same).
    io.stdout(diffText);
    if (!quiet) {
      const remaining = all.length === 0 ? 'nothing remains' : `${all.length} ${all.length === 1 ? 'problem remains' : 'problems remain'}`;
      io.stderr(`Would fix ${fixed} ${fixed === 1 ? 'problem' : 'problems'} in ${filesFixed} ${filesFixed === 1 ? 'file' : 'files'}; ${remaining}.\n`);
    }
  } else {
    const report = outputPath === undefined ? io.stdout : fileWriter(outputPath);
    try {
      if (format === 'json') {
        for (const chunk of formatJsonChunks(all)) {
          report(chunk);
          if (report === io.stdout) await io.drained?.();
        }
      }
      else if (format === 'github') report(formatGithub(all, cwd));
      else if (format === 'sarif') report(formatSarif(all, repoRoot));
      else report(formatText(all, cwd) + (quiet || outputPath !== undefined ? '' : summary));
    } finally {
      if (report !== io.stdout) (report as FileWriter).close();
    }
    // With --output the summary still goes to the terminal (and, for text, into the file too).
    if (outputPath !== undefined) {
      if (format === 'text' && !quiet) {
        try {
          writeFileSync(outputPath, summary, { flag: 'a' });
        } catch (error) {
          throw new OutputError(`cannot write the report to ${outputPath}: ${errorText(error)}`);
        }
      }
      if (!quiet) io.stdout(summary);
    }
  }

  io.stage?.('reported');
  // A fix that could not be written is an error whatever the findings: the user asked for the file to change.
  if (writeFailures > 0) return 2;
  if (diff && fixed > 0 && !args.flags.has('exit-zero')) return 1;
  if (args.flags.has('exit-zero')) return 0;
  if (configFindings.length > 0 || problemsByFile.has('')) return 2;
  return all.some((finding) => SEVERITY_RANK[finding.severity] >= SEVERITY_RANK[failOn]) ? 1 : 0;
}
