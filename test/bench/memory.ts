// What holds the CLI's memory (issue 14): `check --format json --exit-zero` run in a fresh process, in-process
// (runCheck, one thread), with process.memoryUsage() and the two wasm memories read at each stage of the run
// (cli/io.ts CheckStage). The peak RSS of /usr/bin/time is for the CLI itself (floor.ts); this says where it goes.
import { parserMemoryBytes } from '../../server/src/base/parser';
import { sqlParserMemoryBytes } from '../../server/src/base/sql-parser';
import { runCheck } from '../../server/src/cli/check';
import type { CheckStage } from '../../server/src/cli/io';
import { mb, table } from './stats';

export interface MemoryStage {
  stage: 'start' | CheckStage;
  rss: number;
  heapUsed: number;
  heapTotal: number;
  external: number;
  arrayBuffers: number;
  treeSitterWasm?: number;
  sqlParserWasm?: number;
}

export interface MemoryReport {
  stages: MemoryStage[];
  /** process.resourceUsage().maxRSS, in bytes. */
  maxRss: number;
}

function sample(stage: MemoryStage['stage']): MemoryStage {
  const usage = process.memoryUsage();
  return {
    stage, rss: usage.rss, heapUsed: usage.heapUsed, heapTotal: usage.heapTotal, external: usage.external, arrayBuffers: usage.arrayBuffers,
    treeSitterWasm: parserMemoryBytes(), sqlParserWasm: sqlParserMemoryBytes(),
  };
}

/** The child: one check of `dir`, the report thrown away, memory read at each stage. */
export async function childMemory(dir: string): Promise<void> {
  const stages: MemoryStage[] = [sample('start')];
  // --jobs 1: the stages are this thread's (with workers, the index and the lint are theirs).
  await runCheck(['.', '--format', 'json', '--exit-zero', '--jobs', '1'], {
    cwd: dir, stdout: () => undefined, stderr: () => undefined, stage: (name) => stages.push(sample(name)),
  });
  const report: MemoryReport = { stages, maxRss: process.resourceUsage().maxRSS * 1024 };
  process.stdout.write(JSON.stringify(report));
}

const STAGE_NOTES: Record<MemoryStage['stage'], string> = {
  start: 'node and the bundle loaded',
  walked: 'files found, configs read',
  parser: 'web-tree-sitter and the grammar loaded',
  indexed: 'every file read, migrations parsed, extracted, summarized; trees kept for the lint (KEPT_TREES_BYTES)',
  sql: 'PostgreSQL\'s SQL parser loaded (only when a RunSQL is linted)',
  linted: 'every file linted, findings made',
  reported: 'the JSON report written',
};

export function printMemory(label: string, report: MemoryReport): void {
  const wasm = (bytes?: number) => (bytes === undefined ? '-' : mb(bytes));
  const rows = report.stages.map((stage) => [
    stage.stage, mb(stage.rss), mb(stage.heapUsed), mb(stage.heapTotal), mb(stage.external), mb(stage.arrayBuffers), wasm(stage.treeSitterWasm), wasm(stage.sqlParserWasm), STAGE_NOTES[stage.stage],
  ]);
  console.log(`${label}: where the CLI's memory is, stage by stage (in-process runCheck, --jobs 1; peak RSS ${mb(report.maxRss)})`);
  console.log(table(['stage', 'rss', 'heapUsed', 'heapTotal', 'external', 'arrayBuffers', 'tree-sitter wasm', 'libpg-query wasm', 'note'], rows));
}
