// The table policy (`[tool.migration-guard.tables]`): teams know which tables are big. A lock or rewrite finding
// on a `large` table becomes an error and says so; on a `small` table a lock is brief, and it becomes info.
import { matchName } from '../base/files';
import type { Range } from '../base/text';
import type { Config, Severity } from '../config/defaults';
import type { Node } from '../base/parser';
import type { ClaimId } from './claims';
import { operationAt, type Migration } from './migration';
import { tableFor, type OperationContext } from './operation-context';
import { forwardStatements } from './sql';
import type { SqlAction } from './sql-classify';

export function hasTablePolicy(config: Config): boolean {
  return config.tables.large.length > 0 || config.tables.small.length > 0;
}

/** Table names or `*`/`?` globs, matched against the whole replayed `db_table`, case-insensitively. */
function listed(patterns: readonly string[], table: string): boolean {
  const name = table.toLowerCase();
  return patterns.some((pattern) => matchName(pattern.toLowerCase(), name));
}

/** The tables a statement acts on (one for most; `DROP TABLE a, b` several). */
function statementTables(action: SqlAction): string[] {
  if ('table' in action && action.table) return [action.table.key];
  if ('tables' in action) return action.tables.map((table) => table.key);
  if (action.kind === 'refresh-materialized-view') return [action.view.key];
  return [];
}

/**
 * The tables a finding is on: the operation it starts at (its replayed `db_table`), or the RunSQL statement whose
 * range it is. Empty when it is on neither (a migration-level note), or the model is not written as a literal.
 */
export function findingTables(ctx: OperationContext & { migration: Migration }, text: string, node: Node | undefined, range: Range): string[] {
  const migration = ctx.migration;
  const op = operationAt(migration, range);
  if (op) return op.modelName ? [tableFor(ctx, op)] : [];
  if (node) return [];
  const statement = forwardStatements(migration, text).find((item) => item.statement.range.start <= range.start && range.end <= item.statement.range.end);
  return statement ? statementTables(statement.statement.action) : [];
}

export interface PolicyOutcome {
  severity: Severity;
  /** Appended to the finding's message. */
  note: string;
}

/**
 * What the policy makes of a finding of `rule` on `tables`. Only rules that describe a lock or a rewrite (those
 * with verified claims) are changed; `small` leaves the rolling-deploy rules (MG2xx) alone, since their hazard is
 * the old code failing, which a small table does not shorten. A table listed in both is large.
 */
export function applyTablePolicy(config: Config, rule: { code: string; claims?: readonly ClaimId[] }, tables: readonly string[]): PolicyOutcome | undefined {
  if (!rule.claims?.length || tables.length === 0) return undefined;
  const large = tables.find((table) => listed(config.tables.large, table));
  if (large) return { severity: 'error', note: `\`${large}\` is a large table (\`[tool.migration-guard.tables]\`).` };
  if (rule.code.startsWith('MG2')) return undefined;
  if (tables.every((table) => listed(config.tables.small, table))) {
    return { severity: 'info', note: `${tables.map((table) => `\`${table}\``).join(', ')} ${tables.length > 1 ? 'are small tables' : 'is a small table'} (\`[tool.migration-guard.tables]\`): the lock is brief.` };
  }
  return undefined;
}
