// The floor the CLI is judged against (issue 14): a fresh process that reads every migration of a project, parses
// it with web-tree-sitter and walks every node with a cursor, and nothing else. `floorSection` runs that floor and
// the built CLI on the same project, alternating, and prints both, their ratio (median of the per-round ratios)
// and their peak RSS.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { isMigrationPath } from '../../server/src/analysis/migration';
import { collectPythonFiles } from '../../server/src/base/files';
import { initParser, parseWasm } from '../../server/src/base/parser';
import { mb, median, ms, table } from './stats';

export interface FloorReport {
  migrations: number;
  nodes: number;
}

/** The child's work: read, parse, walk every node, free; per migration. */
export async function childFloor(dir: string): Promise<void> {
  await initParser();
  const report: FloorReport = { migrations: 0, nodes: 0 };
  for (const file of collectPythonFiles([dir], { root: dir })) {
    if (!isMigrationPath(file)) continue;
    const tree = parseWasm(readFileSync(file, 'utf8'));
    const cursor = tree.walk();
    for (let more = true; more;) {
      report.nodes++;
      if (cursor.gotoFirstChild()) continue;
      while (!cursor.gotoNextSibling()) {
        if (!cursor.gotoParent()) {
          more = false;
          break;
        }
      }
    }
    cursor.delete();
    tree.delete();
    report.migrations++;
  }
  process.stdout.write(JSON.stringify(report));
}

interface Timed {
  wallMs: number;
  maxRss?: number;
  stdout: string;
  error?: string;
}

/** One process under /usr/bin/time (peak RSS), or without it when the machine has none. */
function timed(args: string[], cwd: string): Timed {
  const rssFile = join(cwd, '..', `floor-rss-${process.pid}-${Math.random().toString(36).slice(2)}.txt`);
  const gnuTime = existsSync('/usr/bin/time');
  const [command, commandArgs] = gnuTime ? ['/usr/bin/time', ['-f', '%M', '-o', rssFile, process.execPath, ...args]] : [process.execPath, args];
  const start = process.hrtime.bigint();
  const child = spawnSync(command, commandArgs, { cwd, encoding: 'utf8', maxBuffer: 512 * 1024 * 1024 });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  const result: Timed = { wallMs, stdout: child.stdout ?? '' };
  if (gnuTime && existsSync(rssFile)) {
    result.maxRss = Number(readFileSync(rssFile, 'utf8').trim().split('\n').pop()) * 1024;
    rmSync(rssFile, { force: true });
  }
  if (child.status !== 0) result.error = `exit ${child.status}: ${(child.stderr || child.stdout || '').trim().split('\n').slice(0, 2).join(' ')}`;
  return result;
}

export interface FloorTarget {
  label: string;
  dir: string;
}

/**
 * For each project: `rounds` rounds of (floor, CLI) or (CLI, floor), alternating which goes first, so both meet
 * the same load on a shared machine. Returns the rows printed, for the notes.
 */
export function floorSection(childScript: string, cli: string, targets: FloorTarget[], rounds: number, extraCliArgs: readonly string[] = []): string[][] {
  const rows: string[][] = [];
  for (const target of targets) {
    const floors: Timed[] = [];
    const checks: Timed[] = [];
    for (let round = 0; round < rounds; round++) {
      const floor = () => floors.push(timed([childScript, '--child-floor', target.dir], target.dir));
      const check = () => checks.push(timed([cli, 'check', '.', '--format', 'json', '--exit-zero', ...extraCliArgs], target.dir));
      if (round % 2 === 0) { floor(); check(); } else { check(); floor(); }
    }
    const failed = [...floors, ...checks].find((run) => run.error);
    if (failed) {
      rows.push([target.label, 'failed', '', '', '', '', failed.error ?? '']);
      continue;
    }
    const report = JSON.parse(floors[0].stdout) as FloorReport;
    const findings = (JSON.parse(checks[0].stdout) as unknown[]).length;
    const ratios = floors.map((floor, index) => checks[index].wallMs / floor.wallMs);
    rows.push([
      target.label, ms(median(floors.map((run) => run.wallMs))), ms(median(checks.map((run) => run.wallMs))), `${median(ratios).toFixed(2)}×`,
      mb(Math.max(...floors.map((run) => run.maxRss ?? NaN))), mb(Math.max(...checks.map((run) => run.maxRss ?? NaN))),
      `${report.migrations} migrations, ${report.nodes.toLocaleString('en')} nodes; ${findings} findings`,
    ]);
  }
  console.log(table(['project', 'floor: parse + walk', 'CLI check --format json', 'ratio (median)', 'floor peak RSS', 'CLI peak RSS', 'note'], rows));
  console.log(`(fresh processes, ${rounds} rounds alternating which runs first; the floor reads, parses and walks every migration with web-tree-sitter and does nothing else; the ratio is the median of the per-round CLI/floor ratios; peak RSS from /usr/bin/time -f %M, the maximum over the rounds)`);
  return rows;
}
