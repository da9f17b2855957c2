// `npm run bench`: prints figures for SPEC §7 (no pass/fail). Parts:
//   a) parse + lint of one generated migration (~100 and ~1,000 lines): median and p95 over ≥ 200 runs;
//   b) a generated project of 1,500 migrations in 15 apps: wall time and peak RSS, in-process (fresh child
//      process, as the CLI does it) and through the built CLI `dist/cli.js check … --format json --exit-zero`;
//   c) tree-sitter init + grammar load (fresh processes), incremental re-parse after a one-character edit.
//   e) a realistic project of 1,500 migrations (15 apps, consistent histories, cross-app foreign keys, squashed
//      migrations, run_before): workspace index + lint with project state and graph, in-process and CLI;
//   f) the language server on that project: index at start-up, keystroke → diagnostics latency (≥ 100 edits)
//      in a late migration and in a 1,000-line one, and while editing `dependencies` (the graph changes);
//   g) the extension in VS Code's extension host (code-server, test/electron/bench): activation, open → first
//      diagnostics and keystroke → diagnostics (TextEditor.edit → languages.getDiagnostics) on a 1,000-line migration.
//   i) raw SQL: saleor's migrations (../shared/corpora/saleor.tar.gz, unpacked into a temp dir): PostgreSQL's SQL
//      parser's cold load, the lint of the RunSQL migrations without and with it (the baseline: the same files in
//      the same process before the load), and the migrations without RunSQL before and after (they must not change);
//   h) a 5 MB migration (65,000 AddField): the CLI's time and peak RSS against a bare parse of it.
//   0) the targets of issue 14: the CLI on saleor and on the realistic project of e), against the floor (a process
//      that only parses and walks every migration) in the same run, alternating, ≥ 5 rounds: times, ratio, peak RSS;
//      then where the CLI's memory is at each stage of one check (test/bench/memory.ts).
// Options: --quick (fewer runs), --keep (keep the generated project and print its path), --floor (section 0 only),
// --lsp (section f only).
// Child modes (used internally): --child-floor DIR, --child-memory DIR, --child-init, --child-workspace DIR [--keep-trees], --child-project DIR, --child-sql DIR.
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { availableParallelism, cpus, tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { findSettingsModules } from '../../server/src/analysis/settings-modules';
import { defaultConfig } from '../../server/src/config/defaults';
import { ConfigResolver } from '../../server/src/config/pyproject';
import { collectPythonFiles, readSource } from '../../server/src/base/files';
import { lintSource, type LintResult } from '../../server/src/engine/lint';
import { initParser, parsePython, parseWasm, TreeEdit, type Tree } from '../../server/src/base/parser';
import { ALL_RULES } from '../../server/src/rules';
import { KEPT_TREES_BYTES } from '../../server/src/cli/check-file';
import { Workspace } from '../../server/src/engine/workspace';
import { generateMigration, generateWorkspace } from './generate';
import { measureLsp, type EditScenario, type LspReport } from './lsp';
import type { ExtensionHostBench } from '../electron/bench/index';
import { BENCH_PROJECT, generateRealisticProject } from './realistic';
import { bigMigrationSection, childParse } from './big-migration';
import { mb, measure, median, ms, summarize, table } from './stats';
import { childSql, type SqlReport } from './sql';
import { childFloor, floorSection, type FloorTarget } from './floor';
import { childMemory, printMemory, type MemoryReport } from './memory';

const QUICK = process.argv.includes('--quick');
const RUNS = QUICK ? 50 : 250;
const WARMUP = QUICK ? 10 : 40;
const PROCESS_RUNS = QUICK ? 1 : 3;
const INIT_RUNS = QUICK ? 3 : 7;

function now(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

function repoRoot(): string {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json')) && existsSync(join(dir, 'esbuild.mjs'))) return dir;
    dir = resolve(dir, '..');
  }
  return process.cwd();
}

// ---------------------------------------------------------------------------------------------------------------
// Child processes: a fresh process per measurement, so init times are cold and maxRSS belongs to the run alone.

interface InitReport {
  initMs: number;
  firstLintMs: number;
}

async function childInit(): Promise<void> {
  const start = now();
  await initParser();
  const initMs = now() - start;
  const text = generateMigration({ app: 'shop', number: 2, lines: 100, dependencies: [['shop', '0001_initial']], seed: 1 });
  const lintStart = now();
  lintSource({ path: '/bench/shop/migrations/0002_bench.py', text, config: defaultConfig() }).tree.delete();
  const report: InitReport = { initMs, firstLintMs: now() - lintStart };
  process.stdout.write(JSON.stringify(report));
}

interface WorkspaceReport {
  files: number;
  migrations: number;
  settings: number;
  violations: number;
  filesWithSyntaxErrors: number;
  ruleErrors: number;
  initMs: number;
  collectMs: number;
  lintMs: number;
  wallMs: number;
  peakRssSampled: number;
  maxRss: number;
}

async function childWorkspace(dir: string, keepTrees: boolean): Promise<void> {
  const start = now();
  let peak = process.memoryUsage.rss();
  await initParser();
  const initDone = now();
  const files = collectPythonFiles([dir], { root: dir });
  const settingsModules = findSettingsModules([dir], files);
  const resolver = new ConfigResolver();
  const collectDone = now();
  const kept: Tree[] = [];
  const report: WorkspaceReport = {
    files: files.length, migrations: 0, settings: 0, violations: 0, filesWithSyntaxErrors: 0, ruleErrors: 0,
    initMs: initDone - start, collectMs: collectDone - initDone, lintMs: 0, wallMs: 0, peakRssSampled: 0, maxRss: 0,
  };
  for (const [index, file] of files.entries()) {
    const source = readSource(file);
    if (!source.ok) continue;
    const result: LintResult = lintSource({
      path: file, text: source.text, config: resolver.forFile(file).config, settingsModules,
      onRuleError: () => { report.ruleErrors++; },
    });
    report.violations += result.violations.length;
    if (result.fileKind === 'migration') report.migrations++;
    if (result.fileKind === 'settings') report.settings++;
    if (result.tree.rootNode.hasError) report.filesWithSyntaxErrors++;
    if (keepTrees) kept.push(result.tree);
    else result.tree.delete();
    if (index % 10 === 0) peak = Math.max(peak, process.memoryUsage.rss());
  }
  const end = now();
  peak = Math.max(peak, process.memoryUsage.rss());
  report.lintMs = end - collectDone;
  report.wallMs = end - start;
  report.peakRssSampled = peak;
  report.maxRss = process.resourceUsage().maxRSS * 1024;
  for (const tree of kept) tree.delete();
  process.stdout.write(JSON.stringify(report));
}

interface ProjectReport {
  files: number;
  migrations: number;
  violations: number;
  byCode: Record<string, number>;
  ruleErrors: number;
  initMs: number;
  readMs: number;
  indexMs: number;
  lintMs: number;
  wallMs: number;
  maxRss: number;
}

/** e) Index the whole project (parse + summarize every migration and settings module), then lint every file with it. */
async function childProject(dir: string): Promise<void> {
  const start = now();
  await initParser();
  const initDone = now();
  const files = collectPythonFiles([dir], { root: dir });
  const texts = files.map((file) => readSource(file));
  const settingsModules = findSettingsModules([dir], files);
  const resolver = new ConfigResolver();
  const readDone = now();
  const workspace = new Workspace();
  workspace.indexing = true;
  files.forEach((file, index) => {
    const source = texts[index];
    if (source.ok) workspace.indexText(file, source.text, settingsModules);
  });
  workspace.indexing = false;
  const indexDone = now();
  const report: ProjectReport = {
    files: files.length, migrations: workspace.size, violations: 0, byCode: {}, ruleErrors: 0,
    initMs: initDone - start, readMs: readDone - initDone, indexMs: indexDone - readDone, lintMs: 0, wallMs: 0, maxRss: 0,
  };
  files.forEach((file, index) => {
    const source = texts[index];
    if (!source.ok) return;
    const result = lintSource({
      path: file, text: source.text, config: resolver.forFile(file).config, settingsModules, workspace, settingsIndex: workspace.settings,
      onRuleError: () => { report.ruleErrors++; },
    });
    for (const violation of result.violations) report.byCode[violation.code] = (report.byCode[violation.code] ?? 0) + 1;
    report.violations += result.violations.length;
    result.tree.delete();
  });
  const end = now();
  report.lintMs = end - indexDone;
  report.wallMs = end - start;
  report.maxRss = process.resourceUsage().maxRSS * 1024;
  process.stdout.write(JSON.stringify(report));
}

/** The script the child processes run: a private copy, so a concurrent build that wipes out/ cannot break them. */
let childScript = __filename;
/** The language server, copied likewise (dist/ is rebuilt by concurrent builds too). */
let serverScript: string | undefined;

function copySelf(dir: string, root: string): void {
  mkdirSync(dir, { recursive: true });
  for (const name of ['web-tree-sitter.wasm', 'tree-sitter-python.wasm', 'libpg-query.wasm']) copyFileSync(join(dirname(__filename), name), join(dir, name));
  copyFileSync(__filename, join(dir, 'bench.js'));
  childScript = join(dir, 'bench.js');
  if (existsSync(join(root, 'dist', 'cli.js'))) copyFileSync(join(root, 'dist', 'cli.js'), join(dir, 'cli.js'));
  const server = join(root, 'dist', 'server.js');
  if (existsSync(server)) {
    copyFileSync(server, join(dir, 'server.js'));
    serverScript = join(dir, 'server.js');
  }
}

function runChild<T>(args: string[]): { report?: T; wallMs: number; error?: string } {
  const start = now();
  const child = spawnSync(process.execPath, [childScript, ...args], { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  const wallMs = now() - start;
  if (child.status !== 0) return { wallMs, error: (child.stderr || child.stdout || `exit ${child.status}`).trim().split('\n').slice(0, 3).join(' ') };
  try {
    return { report: JSON.parse(child.stdout) as T, wallMs };
  } catch {
    return { wallMs, error: `unreadable child output: ${child.stdout.slice(0, 200)}` };
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The built CLI, as a user runs it.

interface CliRun {
  wallMs: number;
  maxRss?: number;
  rssSource: string;
  findings?: number;
  error?: string;
}

function hasGnuTime(): boolean {
  return existsSync('/usr/bin/time') && spawnSync('/usr/bin/time', ['-f', '%M', 'true'], { encoding: 'utf8' }).status === 0;
}

function runCli(cli: string, dir: string, gnuTime: boolean, extra: readonly string[] = []): CliRun {
  const rssFile = join(dir, '..', `maxrss-${process.pid}-${Math.random().toString(36).slice(2)}.txt`);
  const command = gnuTime
    ? ['/usr/bin/time', ['-f', '%M', '-o', rssFile, process.execPath, cli, 'check', dir, '--format', 'json', '--exit-zero', ...extra]] as const
    : [process.execPath, [cli, 'check', dir, '--format', 'json', '--exit-zero', ...extra]] as const;
  const start = now();
  const child = spawnSync(command[0], [...command[1]], { encoding: 'utf8', maxBuffer: 512 * 1024 * 1024, cwd: dir });
  const wallMs = now() - start;
  const run: CliRun = { wallMs, rssSource: gnuTime ? '/usr/bin/time -f %M (child peak RSS)' : 'not measured (no /usr/bin/time)' };
  if (gnuTime && existsSync(rssFile)) {
    const kb = Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop());
    if (Number.isFinite(kb)) run.maxRss = kb * 1024;
    rmSync(rssFile, { force: true });
  }
  if (child.status !== 0) {
    run.error = `exit ${child.status}: ${(child.stderr || child.stdout).trim().split('\n').slice(0, 2).join(' ')}`;
    return run;
  }
  try {
    const findings = JSON.parse(child.stdout) as unknown[];
    run.findings = Array.isArray(findings) ? findings.length : undefined;
  } catch {
    run.error = `output is not JSON: ${child.stdout.slice(0, 120)}`;
  }
  return run;
}

// ---------------------------------------------------------------------------------------------------------------

/** The one-character edit: a digit added inside `max_length=…` nearest the middle of the file. */
function middleEdit(text: string): { index: number; insert: string } {
  const middle = text.length / 2;
  let best = -1;
  for (const match of text.matchAll(/max_length=\d+/g)) {
    const index = (match.index ?? 0) + match[0].length;
    if (best < 0 || Math.abs(index - middle) < Math.abs(best - middle)) best = index;
  }
  return { index: best >= 0 ? best : Math.floor(middle), insert: '0' };
}

function pointAt(text: string, index: number): { row: number; column: number } {
  const before = text.slice(0, index);
  const row = before.split('\n').length - 1;
  return { row, column: index - (before.lastIndexOf('\n') + 1) };
}

function lineCount(text: string): number {
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

async function main(): Promise<void> {
  const root = repoRoot();
  const totalStart = now();
  console.log('Django Migration Guard benchmark');
  console.log(`node ${process.version}, ${process.platform}/${process.arch}, ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}; ${ALL_RULES.length} rules; ${RUNS} measured runs after ${WARMUP} warm-up${QUICK ? ' (--quick)' : ''}\n`);

  const tmp = mkdtempSync(join(tmpdir(), 'mg-bench-'));
  copySelf(join(tmp, 'runner'), root);

  if (process.argv.includes('--lsp')) {
    // f) alone: the language server's index and keystroke latency on the realistic project.
    const notes: string[] = [];
    await realisticSections(root, tmp, notes, true);
    for (const note of notes) console.log(note);
    rmSync(tmp, { recursive: true, force: true });
    return;
  }
  targetsSection(root, tmp);
  if (process.argv.includes('--floor')) {
    rmSync(tmp, { recursive: true, force: true });
    return;
  }

  // (c, part 1) cold start, in fresh processes.
  const inits = Array.from({ length: INIT_RUNS }, () => runChild<InitReport>(['--child-init']));
  const initFailed = inits.find((run) => run.error);

  await initParser();
  const config = defaultConfig();
  const files = [
    { label: '~100 lines', text: generateMigration({ app: 'shop', number: 2, lines: 100, dependencies: [['shop', '0001_initial']], seed: 100 }) },
    { label: '~1,000 lines', text: generateMigration({ app: 'shop', number: 7, lines: 1000, dependencies: [['shop', '0006_order_status'], ['billing', '0003_invoice_amount']], seed: 1000 }) },
  ];

  // (a) per file.
  const perFile: string[][] = [];
  const notes: string[] = [];
  for (const file of files) {
    const path = `/bench/shop/migrations/0002_${file.label.replace(/\W+/g, '_')}.py`;
    let violations = 0;
    let ruleErrors = 0;
    let syntaxErrors = false;
    const parse = summarize(measure(() => parseWasm(file.text).delete(), RUNS, WARMUP));
    const copied = summarize(measure(() => parsePython(file.text).delete(), RUNS, WARMUP));
    const lint = summarize(measure(() => {
      const result = lintSource({ path, text: file.text, config, onRuleError: () => { ruleErrors++; } });
      violations = result.violations.length;
      syntaxErrors = result.tree.rootNode.hasError;
      result.tree.delete();
    }, RUNS, WARMUP));
    const lines = lineCount(file.text);
    perFile.push([`parse only, ${lines} lines`, ms(parse.median), ms(parse.p95), ms(parse.min), String(parse.runs), '']);
    perFile.push([`parse + copy into the JS tree, ${lines} lines`, ms(copied.median), ms(copied.p95), ms(copied.min), String(copied.runs), '']);
    perFile.push([`parse + lint (${ALL_RULES.length} rules), ${lines} lines`, ms(lint.median), ms(lint.p95), ms(lint.min), String(lint.runs), `${violations} violations`]);
    if (syntaxErrors) notes.push(`the generated ${file.label} file has tree-sitter ERROR nodes (generator bug)`);
    if (ruleErrors) notes.push(`${ruleErrors} rule errors while linting the ${file.label} file`);
  }

  // (c, part 2) incremental re-parse of the 1,000-line file after a one-character edit.
  const big = files[1].text;
  const { index, insert } = middleEdit(big);
  const edited = big.slice(0, index) + insert + big.slice(index);
  const start = pointAt(big, index);
  const edit = new TreeEdit({
    startIndex: index, oldEndIndex: index, newEndIndex: index + insert.length,
    startPosition: start, oldEndPosition: start, newEndPosition: { row: start.row, column: start.column + insert.length },
  });
  const base = parseWasm(big);
  const reparse: number[] = [];
  const relint: number[] = [];
  const fullOfEdited = summarize(measure(() => parsePython(edited).delete(), RUNS, WARMUP));
  for (let i = 0; i < WARMUP + RUNS; i++) {
    const old = base.copy();
    old.edit(edit);
    const t0 = now();
    const tree = parseWasm(edited, old);
    const t1 = now();
    tree.delete();
    old.delete();
    const old2 = parsePython(big, undefined, true);
    old2.edit(edit);
    const t2 = now();
    const result = lintSource({ path: '/bench/shop/migrations/0007_big.py', text: edited, config, previousTree: old2 });
    const t3 = now();
    result.tree.delete();
    old2.delete();
    if (i >= WARMUP) {
      reparse.push(t1 - t0);
      relint.push(t3 - t2);
    }
  }
  base.delete();
  const reparseSummary = summarize(reparse);
  const relintSummary = summarize(relint);

  // (b) the project of 1,500 migrations.
  const projectDir = join(tmp, 'project');
  const genStart = now();
  const workspace = generateWorkspace(projectDir, { apps: 15, perApp: 100, seed: 42 });
  const genMs = now() - genStart;

  const inProcess = Array.from({ length: PROCESS_RUNS }, () => runChild<WorkspaceReport>(['--child-workspace', projectDir]));
  const withTrees = runChild<WorkspaceReport>(['--child-workspace', projectDir, '--keep-trees']);
  const cli = join(root, 'dist', 'cli.js');
  const gnuTime = hasGnuTime();
  const cliRuns = existsSync(cli) ? Array.from({ length: PROCESS_RUNS }, () => runCli(cli, projectDir, gnuTime)) : [];

  // ---------------------------------------------------------------------------------------------------------
  console.log('a) One migration, parse + all rules (in-process, warm)');
  console.log(table(['measurement', 'median', 'p95', 'min', 'runs', 'note'], perFile));

  console.log('\nc) tree-sitter start-up and incremental re-parse');
  const cRows: string[][] = [];
  if (initFailed) cRows.push(['init + grammar load (fresh process)', 'failed', '', '', '', initFailed.error ?? '']);
  else {
    const init = summarize(inits.map((run) => run.report!.initMs));
    const first = summarize(inits.map((run) => run.report!.firstLintMs));
    cRows.push(['init + grammar load (Parser.init + Language.load), fresh process', ms(init.median), ms(init.max), ms(init.min), String(init.runs), 'p95 column: max']);
    cRows.push(['first parse + lint of the 100-line file, cold', ms(first.median), ms(first.max), ms(first.min), String(first.runs), 'p95 column: max']);
  }
  cRows.push(['full parse of the edited 1,000-line file', ms(fullOfEdited.median), ms(fullOfEdited.p95), ms(fullOfEdited.min), String(fullOfEdited.runs), '']);
  cRows.push(['incremental re-parse after a 1-char tree.edit()', ms(reparseSummary.median), ms(reparseSummary.p95), ms(reparseSummary.min), String(reparseSummary.runs), `line ${start.row + 1}`]);
  cRows.push(['incremental re-parse + all rules (LSP keystroke, no I/O)', ms(relintSummary.median), ms(relintSummary.p95), ms(relintSummary.min), String(relintSummary.runs), '']);
  console.log(table(['measurement', 'median', 'p95', 'min', 'runs', 'note'], cRows));

  console.log(`\nb) Project: ${workspace.migrations} migrations in ${workspace.apps} apps + ${workspace.otherFiles} other files, ${workspace.lines.toLocaleString('en')} lines, ${mb(workspace.bytes)} (generated in ${ms(genMs)})`);
  const bRows: string[][] = [];
  const good = inProcess.filter((run) => run.report).map((run) => run.report!);
  if (good.length) {
    const wall = median(inProcess.filter((run) => run.report).map((run) => run.wallMs));
    const last = good[good.length - 1];
    bRows.push(['in-process: init + collect + read + lint, trees freed', ms(median(good.map((r) => r.wallMs))), ms(wall), mb(Math.max(...good.map((r) => r.maxRss))), mb(Math.max(...good.map((r) => r.peakRssSampled))), `${last.files} files, ${last.migrations} migrations, ${last.settings} settings, ${last.violations} violations`]);
    bRows.push(['  of which: init / collect / lint', `${ms(median(good.map((r) => r.initMs)))} / ${ms(median(good.map((r) => r.collectMs)))} / ${ms(median(good.map((r) => r.lintMs)))}`, '', '', '', '']);
    if (last.filesWithSyntaxErrors) notes.push(`${last.filesWithSyntaxErrors} generated project files have tree-sitter ERROR nodes (generator bug)`);
    if (last.ruleErrors) notes.push(`${last.ruleErrors} rule errors while linting the project`);
  } else {
    bRows.push(['in-process', 'failed', '', '', '', inProcess[0]?.error ?? '']);
  }
  if (withTrees.report) {
    const r = withTrees.report;
    bRows.push(['in-process, every tree kept (an index holding all trees)', ms(r.wallMs), ms(withTrees.wallMs), mb(r.maxRss), mb(r.peakRssSampled), '']);
  } else bRows.push(['in-process, every tree kept', 'failed', '', '', '', withTrees.error ?? '']);
  if (!existsSync(cli)) {
    bRows.push(['CLI: dist/cli.js check --format json --exit-zero', 'skipped', '', '', '', 'dist/cli.js not built']);
  } else {
    const ok = cliRuns.filter((run) => !run.error);
    if (ok.length) {
      const rss = ok.map((run) => run.maxRss ?? NaN);
      bRows.push(['CLI: dist/cli.js check --format json --exit-zero', '', ms(median(ok.map((run) => run.wallMs))), mb(Math.max(...rss)), '', `${ok[ok.length - 1].findings ?? '?'} findings; RSS: ${ok[0].rssSource}`]);
    } else {
      bRows.push(['CLI: dist/cli.js check --format json --exit-zero', 'failed', '', '', '', cliRuns[0]?.error ?? '']);
    }
  }
  console.log(table(['measurement', 'in-process time', 'process wall time', 'peak RSS (maxRSS)', 'peak RSS (sampled)', 'note'], bRows));
  console.log(`(median of ${PROCESS_RUNS} run${PROCESS_RUNS === 1 ? '' : 's'}; wall time includes starting Node; in-process maxRSS from process.resourceUsage() in a fresh child, sampled = process.memoryUsage.rss() every 10 files)`);

  await realisticSections(root, tmp, notes);
  extensionHostSection(root, tmp, notes);
  rawSqlSection(root, tmp, notes);
  bigMigrationSection(tmp, join(root, 'dist', 'cli.js'), childScript, notes);

  // d) what ships: the .vsix holds these (zipped), so their sum bounds its size from above.
  const shipped = ['dist/extension.js', 'dist/server.js', 'dist/cli.js', 'dist/web-tree-sitter.wasm', 'dist/tree-sitter-python.wasm', 'dist/libpg-query.wasm'];
  const sizes = shipped.map((file) => [file, existsSync(join(root, file)) ? mb(statSync(join(root, file)).size) : 'not built']);
  const total = shipped.reduce((sum, file) => sum + (existsSync(join(root, file)) ? statSync(join(root, file)).size : 0), 0);
  console.log(`\nd) Bundles (${existsSync(join(root, 'dist', 'extension.js.map')) ? 'development build, unminified' : 'production build'}; the .vsix zips these)`);
  console.log(table(['file', 'size'], [...sizes, ['total', mb(total)]]));

  if (notes.length) console.log(`\nNotes:\n${notes.map((note) => `- ${note}`).join('\n')}`);
  if (process.argv.includes('--keep')) console.log(`\nGenerated project kept at ${projectDir}`);
  else rmSync(tmp, { recursive: true, force: true });
  console.log(`\nTotal benchmark time: ${(Math.round(now() - totalStart) / 1000).toFixed(1)} s`);
}

/** A trailing comment on the line ending nearest the middle of the file (`…,  # ` then the typed letters). */
function middleLineEnd(text: string): number {
  const middle = Math.floor(text.length / 2);
  for (let index = text.indexOf('\n', middle); index >= 0; index = text.indexOf('\n', index + 1)) {
    if (text[index - 1] === ',') return index;
  }
  return text.lastIndexOf('\n');
}

/** Inside the migration name of the first dependency (`("app", "0042_x|")`): each keystroke changes the graph. */
function firstDependencyName(text: string): number {
  const start = text.indexOf('dependencies = [');
  const tuple = text.indexOf('", "', start);
  return text.indexOf('"', tuple + 4);
}

const letter = (i: number) => 'abcdefghijklmnopqrstuvwxyz'[i % 26];

function latencyRow(label: string, values: number[], note: string): string[] {
  const summary = summarize(values);
  return [label, ms(summary.median), ms(summary.p95), ms(summary.max), String(summary.runs), note];
}

/** e) and f): the realistic project, in process, through the CLI and through the language server. */
/**
 * `check --since main` on the realistic project made a git repository: everything committed on main, then one
 * migration changed on a branch. The whole project is indexed, one migration (and the settings) linted.
 */
function sinceRow(cli: string, dir: string): string[] {
  const label = 'CLI: check --since main, one migration changed (index + lint 1 file)';
  const git = (...args: string[]) => spawnSync('git', args, { cwd: dir, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (!existsSync(cli)) return [label, 'skipped', '', '', 'dist/cli.js not built'];
  if (git('--version').status !== 0) return [label, 'skipped', '', '', 'no git'];
  for (const args of [['init', '-q', '-b', 'main'], ['config', 'user.name', 'bench'], ['config', 'user.email', 'bench@example.com'], ['config', 'commit.gpgsign', 'false'], ['add', '-A'], ['commit', '-q', '-m', 'project'], ['checkout', '-q', '-b', 'feature']]) {
    const result = git(...args);
    if (result.status !== 0) return [label, 'failed', '', '', `git ${args[0]}: ${result.stderr.trim()}`];
  }
  const touched = git('ls-files', '*/migrations/0050_*.py').stdout.split('\n').filter(Boolean)[0];
  if (!touched) return [label, 'failed', '', '', 'no migration 0050 to change'];
  const path = join(dir, touched);
  const original = readFileSync(path, 'utf8');
  writeFileSync(path, `${original}# changed on the branch\n`);
  try {
    const runs = Array.from({ length: PROCESS_RUNS }, () => runCli(cli, dir, hasGnuTime(), ['--since', 'main']));
    const ok = runs.filter((run) => !run.error);
    if (!ok.length) return [label, 'failed', '', '', runs[0]?.error ?? ''];
    return [label, '', ms(median(ok.map((run) => run.wallMs))), mb(Math.max(...ok.map((run) => run.maxRss ?? NaN))), `${ok[ok.length - 1].findings ?? '?'} findings (${touched} + settings)`];
  } finally {
    writeFileSync(path, original);
  }
}

async function realisticSections(root: string, tmp: string, notes: string[], lspOnly = false): Promise<void> {
  const dir = join(tmp, 'realistic');
  const genStart = now();
  const project = generateRealisticProject(dir, BENCH_PROJECT);
  const genMs = now() - genStart;
  if (lspOnly) return lspSection(dir, project, notes);
  const runs = Array.from({ length: PROCESS_RUNS }, () => runChild<ProjectReport>(['--child-project', dir]));
  const cli = join(root, 'dist', 'cli.js');
  const cliRuns = existsSync(cli) ? Array.from({ length: PROCESS_RUNS }, () => runCli(cli, dir, hasGnuTime())) : [];
  const twoThreadRuns = existsSync(cli) ? Array.from({ length: PROCESS_RUNS }, () => runCli(cli, dir, hasGnuTime(), ['--jobs', '2'])) : [];

  console.log(`\ne) Realistic project: ${project.migrations} migrations in ${project.apps} apps (${project.squashed} squashed, ${project.runBefore} run_before, ${project.crossAppDependencies} cross-app dependencies) + ${project.otherFiles} other files, ${project.lines.toLocaleString('en')} lines, ${mb(project.bytes)} (generated in ${ms(genMs)})`);
  const rows: string[][] = [];
  const good = runs.filter((run) => run.report).map((run) => run.report!);
  if (good.length) {
    const last = good[good.length - 1];
    const pick = (key: keyof ProjectReport) => median(good.map((report) => report[key] as number));
    const graphFindings = (last.byCode.MG501 ?? 0) + (last.byCode.MG502 ?? 0) + (last.byCode.MG503 ?? 0);
    rows.push(['in-process: init + collect + read', ms(pick('initMs') + pick('readMs')), '', '', `${last.files} files`]);
    rows.push(['in-process: index (parse + summarize migrations, settings)', ms(pick('indexMs')), '', '', `${last.migrations} migrations indexed`]);
    rows.push(['in-process: lint every file with project state + graph', ms(pick('lintMs')), '', '', `${last.violations} violations; graph rules: ${graphFindings} (a valid graph: expect 0)`]);
    rows.push(['in-process total, fresh process', ms(pick('wallMs')), ms(median(runs.filter((run) => run.report).map((run) => run.wallMs))), mb(Math.max(...good.map((report) => report.maxRss))), 'maxRSS from process.resourceUsage()']);
    const top = Object.entries(last.byCode).sort((a, b) => b[1] - a[1]).map(([code, count]) => `${code} ${count}`).join(', ');
    notes.push(`e) violations by rule: ${top}`);
    if (last.ruleErrors) notes.push(`e) ${last.ruleErrors} rule errors while linting the realistic project`);
  } else rows.push(['in-process', 'failed', '', '', runs[0]?.error ?? '']);
  const cliRow = (label: string, runs: CliRun[]) => {
    const ok = runs.filter((run) => !run.error);
    if (ok.length) return [label, '', ms(median(ok.map((run) => run.wallMs))), mb(Math.max(...ok.map((run) => run.maxRss ?? NaN))), `${ok[ok.length - 1].findings ?? '?'} findings; RSS: ${ok[0].rssSource}`];
    return [label, existsSync(cli) ? 'failed' : 'skipped', '', '', runs[0]?.error ?? 'dist/cli.js not built'];
  };
  rows.push(cliRow(`CLI: dist/cli.js check --format json --exit-zero (index + lint; ${Math.max(1, Math.min(availableParallelism() - 1, 4))} thread(s) by default here)`, cliRuns));
  rows.push(cliRow('CLI: the same with --jobs 2 (this thread and a worker)', twoThreadRuns));
  rows.push(sinceRow(cli, dir));
  console.log(table(['measurement', 'in-process time', 'process wall time', 'peak RSS', 'note'], rows));
  console.log(`(median of ${PROCESS_RUNS} run${PROCESS_RUNS === 1 ? '' : 's'}; with workers each thread indexes a share of the files, then lints a share knowing the whole index; on one thread the CLI keeps the trees it parsed for the index for up to ${KEPT_TREES_BYTES / 1024 / 1024} MiB of source, so those files are parsed once)`);

  await lspSection(dir, project, notes);
}

async function lspSection(dir: string, project: ReturnType<typeof generateRealisticProject>, notes: string[]): Promise<void> {
  console.log('\nf) Language server on that project (dist/server.js over stdio, folder = project root)');
  if (!serverScript) {
    console.log('skipped: dist/server.js not built');
    return;
  }
  const edits = 120;
  const scenarios: EditScenario[] = [
    { label: 'late migration', path: project.lateMigration, offset: middleLineEnd, prefix: '  # ', char: letter, edits },
  ];
  if (project.bigMigration) scenarios.push({ label: '1,000-line migration', path: project.bigMigration, offset: middleLineEnd, prefix: '  # ', char: letter, edits });
  scenarios.push({ label: 'late migration, typing in `dependencies`', path: project.lateMigration, offset: firstDependencyName, char: letter, edits: 30 });
  const lsp: LspReport = await measureLsp(serverScript, dir, scenarios, serverNodeArgs());
  const relative = (path: string) => path.slice(dir.length + 1);
  const fRows: string[][] = [];
  fRows.push(['index at start-up: initialized → progress end', ms(lsp.indexMs), '', '', '1', lsp.indexLog ? `server: ${lsp.indexLog.replace(/ of \S+ in /, ' in ')}` : '']);
  for (const scenario of lsp.scenarios) {
    const path = scenario.label.startsWith('1,000') ? project.bigMigration! : project.lateMigration;
    if (!scenario.label.includes('dependencies')) fRows.push([`open → first diagnostics: ${scenario.label}`, ms(scenario.openMs), '', '', '1', `${relative(path)}, ${scenario.lines} lines`]);
    fRows.push(latencyRow(`keystroke → diagnostics: ${scenario.label}`, scenario.latencies, `${scenario.diagnostics} diagnostics at the end`));
  }
  if (lsp.rssAfterIndex) fRows.push(['server RSS after the index (peak / current)', `${mb(lsp.rssAfterIndex.peak)} / ${mb(lsp.rssAfterIndex.current)}`, '', '', '', '/proc/PID/status VmHWM / VmRSS']);
  if (lsp.rssAtEnd) fRows.push(['server RSS at the end (peak / current)', `${mb(lsp.rssAtEnd.peak)} / ${mb(lsp.rssAtEnd.current)}`, '', '', '', '']);
  console.log(table(['measurement', 'median', 'p95', 'max', 'runs', 'note'], fRows));
  console.log('(one edit at a time: each didChange waits for the publishDiagnostics of its version; no debounce in the server)');
  if (lsp.progressTitle) console.log(`progress title: "${lsp.progressTitle}"`);
  if (lsp.error) notes.push(`f) the language server run failed: ${lsp.error}`);
  await saleorLspSection(dirname(dir), notes);
}

/** Options for the language server's Node, e.g. MIGRATION_GUARD_BENCH_SERVER_ARGS='--cpu-prof --cpu-prof-dir=/tmp/prof'. */
function serverNodeArgs(): string[] {
  return (process.env.MIGRATION_GUARD_BENCH_SERVER_ARGS ?? '').split(' ').filter(Boolean);
}

/**
 * saleor's history from MIGRATION_GUARD_CORPORA: a directory holding `saleor/` unpacked, or `saleor.tar.gz`
 * (unpacked into `tmp`). Undefined, and why, when it is not there.
 */
function corporaSaleor(tmp: string): { dir?: string; why: string } {
  const corpora = process.env.MIGRATION_GUARD_CORPORA;
  if (!corpora) return { why: 'MIGRATION_GUARD_CORPORA is not set (the directory of the unpacked corpora, or of their tarballs)' };
  if (existsSync(join(corpora, 'saleor', 'saleor'))) return { dir: join(corpora, 'saleor'), why: '' };
  const tarball = join(corpora, 'saleor.tar.gz');
  if (!existsSync(tarball)) return { why: `neither ${join(corpora, 'saleor')} nor ${tarball} exists` };
  const untar = spawnSync('tar', ['-xzf', tarball, '-C', tmp], { encoding: 'utf8' });
  return untar.status === 0 ? { dir: join(tmp, 'saleor'), why: '' } : { why: `tar failed: ${untar.stderr}` };
}

/** The language server's index at start-up on saleor's history (issue 14: ≤ 1.5 s), and a keystroke in its latest migration. */
async function saleorLspSection(tmp: string, notes: string[]): Promise<void> {
  const saleor = corporaSaleor(tmp);
  if (!saleor.dir || !serverScript) {
    console.log(`\nf') Language server on saleor: skipped: ${saleor.why || 'dist/server.js not built'}`);
    return;
  }
  const migration = latestMigration(join(saleor.dir, 'saleor', 'order', 'migrations'));
  console.log(`\nf') Language server on saleor (${saleor.dir}; target: index ≤ 1.5 s)`);
  const scenarios: EditScenario[] = migration ? [{ label: `saleor ${basename(migration)}`, path: migration, offset: middleLineEnd, prefix: '  # ', char: letter, edits: QUICK ? 40 : 120 }] : [];
  const lsp = await measureLsp(serverScript, saleor.dir, scenarios, serverNodeArgs());
  const rows: string[][] = [['index at start-up: initialized → progress end', ms(lsp.indexMs), '', '', '1', lsp.indexLog ? `server: ${lsp.indexLog.replace(/ of \S+ in /, ' in ')}` : '']];
  for (const scenario of lsp.scenarios) {
    rows.push([`open → first diagnostics: ${scenario.label}`, ms(scenario.openMs), '', '', '1', `${scenario.lines} lines`]);
    rows.push(latencyRow(`keystroke → diagnostics: ${scenario.label}`, scenario.latencies, `${scenario.diagnostics} diagnostics at the end`));
  }
  if (lsp.rssAfterIndex) rows.push(['server RSS after the index (peak / current)', `${mb(lsp.rssAfterIndex.peak)} / ${mb(lsp.rssAfterIndex.current)}`, '', '', '', '/proc/PID/status VmHWM / VmRSS']);
  if (lsp.rssAtEnd) rows.push(['server RSS at the end (peak / current)', `${mb(lsp.rssAtEnd.peak)} / ${mb(lsp.rssAtEnd.current)}`, '', '', '', '']);
  console.log(table(['measurement', 'median', 'p95', 'max', 'runs', 'note'], rows));
  if (lsp.error) notes.push(`f') the language server run on saleor failed: ${lsp.error}`);
}

/** The last numbered migration of a migrations directory (undefined: none). */
function latestMigration(dir: string): string | undefined {
  if (!existsSync(dir)) return undefined;
  const names = readdirSync(dir).filter((name) => /^\d{4}_.*\.py$/.test(name)).sort();
  return names.length ? join(dir, names[names.length - 1]) : undefined;
}

/**
 * g) The built extension in code-server's extension host, driven by test/electron/bench/index.ts through
 * test/electron/run-code-server.mjs. The workspace folder is empty, so nothing activates the extension before the
 * bench calls activate(); the migration lies outside it (opened by path: no project index behind it).
 */
function extensionHostSection(root: string, tmp: string, notes: string[]): void {
  console.log('\ng) The extension in VS Code\'s extension host (code-server, out/electron/bench)');
  const cache = process.env.MIGRATION_GUARD_E2E_CACHE || '/var/cache/migration-guard-e2e';
  if (!existsSync(join(cache, 'node_modules/code-server/out/node/entry.js'))) {
    console.log(`skipped: code-server is not installed in ${cache}; install it with test/e2e/vscode/install.sh (≈ 45 s), then run the bench again`);
    return;
  }
  const dir = join(tmp, 'extension-host');
  const workspace = join(dir, 'workspace');
  const migration = join(dir, 'project', 'shop', 'migrations', '0002_bench.py');
  mkdirSync(workspace, { recursive: true });
  mkdirSync(dirname(migration), { recursive: true });
  writeFileSync(migration, generateMigration({ app: 'shop', number: 2, lines: 1000, dependencies: [['shop', '0001_initial']], seed: 3 }));
  const resultPath = join(dir, 'result.json');
  const edits = QUICK ? 50 : 100;
  const run = spawnSync(process.execPath, [join(root, 'test/electron/run-code-server.mjs'), '--no-build',
    '--tests', join(root, 'out/electron/bench/index.js'), '--workspace', workspace], {
    env: { ...process.env, MIGRATION_GUARD_BENCH_MIGRATION: migration, MIGRATION_GUARD_BENCH_RESULT: resultPath, MIGRATION_GUARD_BENCH_EDITS: String(edits) },
    encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, timeout: 10 * 60_000,
  });
  if (run.status !== 0 || !existsSync(resultPath)) {
    console.log(`failed (exit ${run.status ?? run.signal}): see the notes`);
    notes.push(`g) the extension-host run failed:\n${`${run.stdout ?? ''}${run.stderr ?? ''}`.trim().split('\n').slice(-30).join('\n')}`);
    return;
  }
  const report = JSON.parse(readFileSync(resultPath, 'utf8')) as ExtensionHostBench;
  const rows: string[][] = [
    ['activate(): load the bundle, run activate()', ms(report.activateCallMs), '', '', '1', report.wasActive ? 'already active: not a cold activation' : 'not active before'],
    ['activate() → the language server runs', report.serverReadyCallMs === undefined ? 'n/a' : ms(report.serverReadyCallMs), '', '', '1', 'the server process starts and initializes'],
    ['extension\'s own: bundle runs → activate() ends / → server runs', `${ms(report.startup.activateMs)} / ${report.startup.serverReadyMs === undefined ? 'n/a' : ms(report.startup.serverReadyMs)}`, '', '', '1', 'exports.startup, as logged in the output channel'],
    ['open → first diagnostics: 1,000-line migration', ms(report.openToDiagnosticsMs), '', '', '1', `${report.lines} lines`],
    latencyRow('keystroke → diagnostics: 1,000-line migration', report.latencies, `${report.diagnostics} diagnostics; each edit toggles one MG101`),
    latencyRow('  of which TextEditor.edit resolving (the workbench round trip)', report.editLatencies, 'before the language client sends didChange'),
  ];
  console.log(table(['measurement', 'median', 'p95', 'max', 'runs', 'note'], rows));
  console.log(`(VS Code ${report.vscodeVersion}, code-server's Node extension host; an edit is TextEditor.edit → onDidChangeDiagnostics showing its MG101 change, after 5 unmeasured; push or pull diagnostics alike. The extension host fires onDidChangeDiagnostics through a 50 ms debounce of its own (DebounceEmitter, delay 50, in VS Code's ExtHostDiagnostics): about 50 ms of each latency is that wait, which the squiggles and the Problems panel do not have)`);
}

/** saleor's history (../shared/corpora/saleor.tar.gz) unpacked into `dir`; undefined (and why) when it cannot be. */
function unpackSaleor(root: string, dir: string): { dir?: string; why?: string } {
  const corpus = resolve(root, '..', '..', 'shared', 'corpora', 'saleor.tar.gz');
  const tarball = existsSync(corpus) ? corpus : '/work/shared/corpora/saleor.tar.gz';
  if (!existsSync(tarball)) return { why: `${tarball} not found` };
  mkdirSync(dir, { recursive: true });
  const untar = spawnSync('tar', ['-xzf', tarball, '-C', dir], { encoding: 'utf8' });
  return untar.status === 0 ? { dir } : { why: `tar failed: ${untar.stderr}` };
}

/** 0) Issue 14's targets: the CLI against the bare parse + walk floor, on saleor and on the realistic project. */
function targetsSection(root: string, tmp: string): void {
  const rounds = QUICK ? 5 : 7;
  console.log('0) The CLI against the floor (a bare web-tree-sitter parse + walk of every migration): targets ≤ 1.5×, ≤ 150 MB');
  const cli = join(tmp, 'runner', 'cli.js');
  if (!existsSync(cli)) {
    console.log('skipped: dist/cli.js not built');
    return;
  }
  const targets: FloorTarget[] = [];
  const saleor = unpackSaleor(root, join(tmp, 'floor-saleor'));
  if (saleor.dir) targets.push({ label: 'saleor', dir: saleor.dir });
  else console.log(`saleor skipped: ${saleor.why}`);
  const realistic = join(tmp, 'floor-realistic');
  generateRealisticProject(realistic, BENCH_PROJECT);
  targets.push({ label: 'realistic project (1,500 migrations, as in e)', dir: realistic });
  floorSection(childScript, cli, targets, rounds);
  for (const target of targets) {
    const run = runChild<MemoryReport>(['--child-memory', target.dir]);
    console.log('');
    if (run.report) printMemory(target.label, run.report);
    else console.log(`${target.label}: memory by stage failed: ${run.error}`);
  }
  console.log('');
}

/** i) Raw SQL on saleor: see test/bench/sql.ts. */
function rawSqlSection(root: string, tmp: string, notes: string[]): void {
  console.log('\ni) Raw SQL in RunSQL: saleor (../shared/corpora/saleor.tar.gz)');
  const corpus = resolve(root, '..', '..', 'shared', 'corpora', 'saleor.tar.gz');
  const tarball = existsSync(corpus) ? corpus : '/work/shared/corpora/saleor.tar.gz';
  if (!existsSync(tarball)) {
    console.log(`skipped: ${tarball} not found`);
    return;
  }
  const dir = join(tmp, 'saleor');
  mkdirSync(dir, { recursive: true });
  const untar = spawnSync('tar', ['-xzf', tarball, '-C', dir], { encoding: 'utf8' });
  if (untar.status !== 0) {
    console.log(`skipped: tar failed: ${untar.stderr}`);
    return;
  }
  const runs = Array.from({ length: PROCESS_RUNS }, () => runChild<SqlReport>(['--child-sql', dir]));
  const good = runs.filter((run) => run.report).map((run) => run.report!);
  if (!good.length) {
    console.log(`failed: ${runs[0]?.error ?? ''}`);
    return;
  }
  const r = good[good.length - 1];
  const pick = (key: keyof SqlReport) => median(good.map((report) => report[key] as number));
  const ratio = (after: number, before: number) => `${(after / before).toFixed(2)}×`;
  const rows: string[][] = [
    ['PostgreSQL\'s SQL parser: load (cold, once per process)', ms(pick('loadMs')), '', '', `libpg-query.wasm; ${r.stateAfterPlain === 'not-loaded' ? 'not loaded until asked' : `state ${r.stateAfterPlain} before it was asked for!`}`],
    [`lint the ${r.withRunSql} RunSQL migrations, parser not loaded (baseline)`, ms(pick('runSqlBeforeLoadMs')), '', '1.00×', 'the SQL rules see nothing'],
    [`lint the ${r.withRunSql} RunSQL migrations, parser loaded`, ms(pick('runSqlAfterLoadMs')), ms((pick('runSqlAfterLoadMs') - pick('runSqlBeforeLoadMs')) / Math.max(1, r.statements)), ratio(pick('runSqlAfterLoadMs'), pick('runSqlBeforeLoadMs')), `${r.runSqlOperations} RunSQL, ${r.statements} statements (extra per statement in the 3rd column), ${r.rejectedPieces} strings rejected, ${r.unknownArguments} arguments not known statically`],
    [`lint the ${r.migrations - r.withRunSql} migrations without RunSQL, before the load (baseline)`, ms(pick('plainBeforeLoadMs')), '', '1.00×', `parser state after them: ${r.stateAfterPlain}`],
    [`lint the ${r.migrations - r.withRunSql} migrations without RunSQL, after the load`, ms(pick('plainAfterLoadMs')), '', ratio(pick('plainAfterLoadMs'), pick('plainBeforeLoadMs')), 'the parser is never called for them'],
  ];
  const cli = join(root, 'dist', 'cli.js');
  if (existsSync(cli)) {
    const cliRuns = Array.from({ length: PROCESS_RUNS }, () => runCli(cli, dir, hasGnuTime()));
    const ok = cliRuns.filter((run) => !run.error);
    rows.push(['CLI: dist/cli.js check saleor --format json --exit-zero', ms(median(ok.map((run) => run.wallMs))), '', '', ok.length ? `${ok[ok.length - 1].findings} findings; peak RSS ${mb(Math.max(...ok.map((run) => run.maxRss ?? NaN)))}` : cliRuns[0]?.error ?? '']);
  }
  console.log(table(['measurement', 'median (all files once)', 'per statement', 'ratio', 'note'], rows));
  console.log(`(in a fresh child process, files linted alone (no workspace index), median of ${r.rounds} rounds; ${PROCESS_RUNS} process${PROCESS_RUNS === 1 ? '' : 'es'})`);
  // Every code, not only MG4xx: RunSQL statements map onto MG1xx/MG2xx too (issue 12).
  const sqlCodes = Object.entries(r.findings).sort(([a], [b]) => a.localeCompare(b)).map(([code, n]) => `${code} ${n}`).join(', ');
  notes.push(`h) findings on saleor's RunSQL migrations (linted alone, every rule): ${sqlCodes || 'none'}`);
}

const mode = process.argv[2];
const run = mode === '--child-init' ? childInit()
  : mode === '--child-workspace' ? childWorkspace(process.argv[3], process.argv.includes('--keep-trees'))
  : mode === '--child-project' ? childProject(process.argv[3])
  : mode === '--child-sql' ? childSql(process.argv[3], QUICK ? 3 : 7).then((report) => { process.stdout.write(JSON.stringify(report)); })
  : mode === '--child-parse' ? childParse(process.argv[3])
  : mode === '--child-floor' ? childFloor(process.argv[3])
  : mode === '--child-memory' ? childMemory(process.argv[3])
  : main();
run.catch((error: unknown) => {
  console.error(error instanceof Error ? error.stack ?? error.message : String(error));
  process.exit(1);
});
