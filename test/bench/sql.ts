// h) Raw SQL: what PostgreSQL's SQL parser costs on saleor's RunSQL migrations, and that migrations without a
// RunSQL do not pay for it. Runs in a fresh child process (bench.ts --child-sql DIR) so the parser's load is cold.
import { readFileSync } from 'node:fs';
import { isMigrationPath } from '../../server/src/analysis/migration';
import { knownStatements, runSql } from '../../server/src/analysis/sql';
import { defaultConfig } from '../../server/src/config/defaults';
import { collectPythonFiles } from '../../server/src/base/files';
import { lintSource } from '../../server/src/engine/lint';
import { initParser } from '../../server/src/base/parser';
import { loadSqlParser, sqlParserState } from '../../server/src/base/sql-parser';
import { median } from './stats';

export interface SqlReport {
  migrations: number;
  withRunSql: number;
  runSqlOperations: number;
  statements: number;
  /** Pieces PostgreSQL's parser rejects (MG401) or that are too long / not known statically. */
  rejectedPieces: number;
  unknownArguments: number;
  loadMs: number;
  /** Median over rounds of linting every file of the set once (ms). */
  runSqlBeforeLoadMs: number;
  runSqlAfterLoadMs: number;
  plainBeforeLoadMs: number;
  plainAfterLoadMs: number;
  /** The parser's state after linting every migration without RunSQL, before it was asked for. */
  stateAfterPlain: string;
  findings: Record<string, number>;
  rounds: number;
}

function now(): number {
  return Number(process.hrtime.bigint()) / 1e6;
}

export async function childSql(dir: string, rounds: number): Promise<SqlReport> {
  await initParser();
  const config = defaultConfig();
  const texts = collectPythonFiles([dir]).filter(isMigrationPath).map((path) => ({ path, text: readFileSync(path, 'utf8') }));
  const hasRunSql = (file: { path: string; text: string }) => {
    const result = lintSource({ path: file.path, text: file.text, config, rules: [] });
    const found = !!result.migration?.operations.some((op) => op.kind === 'RunSQL');
    result.tree.delete();
    return found;
  };
  const raw = texts.filter(hasRunSql);
  const plain = texts.filter((file) => !raw.includes(file));
  const lintAll = (files: typeof texts, findings?: Record<string, number>) => {
    const start = now();
    for (const file of files) {
      const result = lintSource({ path: file.path, text: file.text, config });
      if (findings) for (const violation of result.violations) findings[violation.code] = (findings[violation.code] ?? 0) + 1;
      result.tree.delete();
    }
    return now() - start;
  };
  const medianOf = (files: typeof texts) => median(Array.from({ length: rounds }, () => lintAll(files)));

  lintAll(texts); // warm-up (twice): V8 and tree-sitter, parser not loaded
  lintAll(texts);
  const plainBeforeLoadMs = medianOf(plain);
  const stateAfterPlain = sqlParserState();
  // Without the parser the SQL rules see nothing: what the RunSQL migrations cost before this parser existed.
  const runSqlBeforeLoadMs = medianOf(raw);
  const started = now();
  await loadSqlParser();
  const loadMs = now() - started;
  const findings: Record<string, number> = {};
  lintAll(raw, findings);
  const runSqlAfterLoadMs = medianOf(raw);
  const plainAfterLoadMs = medianOf(plain);

  let runSqlOperations = 0;
  let statements = 0;
  let rejectedPieces = 0;
  let unknownArguments = 0;
  for (const file of raw) {
    const result = lintSource({ path: file.path, text: file.text, config, rules: [] });
    for (const op of result.migration?.operations ?? []) {
      if (op.kind !== 'RunSQL' || op.scope === 'state') continue;
      runSqlOperations++;
      const { sql, reverse } = runSql(op, file.text);
      for (const argument of [sql, reverse]) {
        if (argument.kind === 'unknown') unknownArguments++;
        if (argument.kind !== 'pieces') continue;
        rejectedPieces += argument.pieces.filter((piece) => piece.parsed.ok !== true).length;
        statements += knownStatements({ kind: 'pieces', pieces: argument.pieces.filter((piece) => piece.parsed.ok === true) })!.length;
      }
    }
    result.tree.delete();
  }
  return {
    migrations: texts.length, withRunSql: raw.length, runSqlOperations, statements, rejectedPieces, unknownArguments, loadMs,
    runSqlBeforeLoadMs, runSqlAfterLoadMs, plainBeforeLoadMs, plainAfterLoadMs, stateAfterPlain, findings, rounds,
  };
}
