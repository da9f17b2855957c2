// Hover on an operation's name: what PostgreSQL does when Django runs it (the lock on each table, whether the
// table is rewritten or read in full, what waits) and the safe route, all from the verified claims table
// (analysis/claims.ts) with the tables named as the replayed state knows them; on a code in `# noqa:`, the rule's docs.
import type { Hover } from 'vscode-languageserver/node';
import { MarkupKind } from 'vscode-languageserver/node';
import { BLOCKS, CLAIMS, type Claim, type ClaimTables, type TableRole } from '../analysis/claims';
import { isNewTable, parseMigration, type Migration, type Operation } from '../analysis/migration';
import { operationClaims } from '../analysis/operation-claims';
import { forwardStatements } from '../analysis/sql';
import { statementClaims } from '../analysis/sql-claims';
import { columnTypeBefore, modelOfTable } from '../analysis/sql-tables';
import { tableFor, type OperationContext } from '../analysis/operation-context';
import { summarizeMigration } from '../analysis/summary';
import type { Config } from '../config/defaults';
import { replayedState } from '../engine/lint';
import type { Tree } from '../base/parser';
import { LineIndex } from '../base/text';
import type { Workspace } from '../engine/workspace';
import { findRule } from '../rules';
import { ruleUrl } from '../rules/types';

/**
 * Text from the user's files as a markdown code span, whatever it holds: a backtick in a table name must not close
 * the span and turn the rest into markdown (a clickable link). The fence is longer than any run of backticks in it.
 */
export function inlineCode(text: string): string {
  const flat = text.replace(/[\r\n]+/g, ' ');
  let longest = 0;
  for (const run of flat.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** The operation whose name (`migrations.AddIndex`) contains `offset`. */
function operationAt(migration: Migration, offset: number): Operation | undefined {
  return migration.operations.find((op) => op.callee.startIndex <= offset && offset <= op.callee.endIndex);
}

const ROLE_NAMES: Record<TableRole, string> = { table: 'the table', referenced: 'the referenced table', referencing: 'the referencing table' };

function tableName(tables: ClaimTables, role: TableRole): string {
  return tables[role] ? inlineCode(tables[role]!) : ROLE_NAMES[role];
}

/** One claim as hover lines: the SQL, the lock per table and what it blocks, the scan and the rewrite. */
function claimLines(claim: Claim, tables: ClaimTables): string[] {
  const roles = (Object.keys(claim.locks) as TableRole[]);
  if (roles.length === 0) return [`${claim.sql}: no lock.`];
  const locks = roles.map((role) => `**${claim.locks[role]}** on ${tableName(tables, role)} (blocks ${BLOCKS[claim.locks[role]!]})`);
  const scans = claim.scans.length ? `Reads every row of ${claim.scans.map((role) => tableName(tables, role)).join(' and ')}.` : 'No full scan.';
  const rewrite = claim.rewrites ? `Rewrites ${tableName(tables, 'table')} and its indexes.` : 'No rewrite.';
  return [`\`${claim.sql}\` — PostgreSQL lock: ${locks.join('; ')}. ${scans} ${rewrite}`];
}

/**
 * What Django does on another database where it bears on a migration: whether its backend can roll back DDL
 * (`DatabaseFeatures.can_rollback_ddl`; the schema editor runs a migration atomically only when it can).
 * test/integration/vendor-facts.test.ts reads both from Django 3.2 and 5.2. No lock is described for these
 * databases: no claim about them is verified.
 */
export const VENDOR_DDL: Partial<Record<Config['database'], { name: string; canRollbackDdl: boolean }>> = {
  mysql: { name: 'MySQL', canRollbackDdl: false },
  sqlite: { name: 'SQLite', canRollbackDdl: true },
};

export function lockHover(op: Operation, migration: Migration, ctx: OperationContext, config: Pick<Config, 'database' | 'postgresVersion' | 'djangoVersion'>): string | undefined {
  if (!op.kind || op.kind === 'SeparateDatabaseAndState') return undefined;
  const title = `**\`${op.kind}\`**${op.modelName || op.kind === 'RenameModel' ? ` on ${inlineCode(tableFor(ctx, op))}` : ''}`;
  const lines = [title, ''];
  if (op.scope === 'state') {
    lines.push('Inside `state_operations`: it changes only Django\'s model state, runs no SQL and takes no lock.');
    return lines.join('\n');
  }
  if (config.database !== 'postgresql') {
    lines.push(`_Migration Guard describes PostgreSQL's locks; this project's database is ${config.database}, so none are shown._`);
    const vendor = VENDOR_DDL[config.database];
    if (vendor && !vendor.canRollbackDdl) {
      lines.push('', `${vendor.name} cannot roll back DDL (Django's \`can_rollback_ddl\` is False for its backend): the migration does not run in one transaction, whatever \`atomic\` says, so if an operation fails, the schema changes before it stay and the migration is not recorded as applied.`);
    }
    return lines.join('\n');
  }
  if (isNewTable(migration, op)) {
    lines.push(`${inlineCode(tableFor(ctx, op))} is created earlier in this migration: the table is new and empty, so its lock blocks no one.`);
    return lines.join('\n');
  }
  if (op.kind === 'RunSQL') {
    lines.push('What it locks depends on the SQL.');
    return lines.join('\n');
  }
  const claims = op.kind === 'RunPython'
    ? [{ id: 'DataMigration.update' as const, claim: CLAIMS['DataMigration.update'] as Claim, tables: {} }]
    : operationClaims(ctx, op, config);
  if (!claims) {
    lines.push(`What Django runs for this \`${op.kind}\` depends on the model's earlier state, which the workspace does not show.`);
    return lines.join('\n');
  }
  if (op.kind === 'RunPython') lines.push('A data migration: each `UPDATE` it runs (what `.update()` and `save()` send) —');
  for (const { claim, tables } of claims) lines.push(...claimLines(claim, tables), '');
  const locks = claims.some(({ claim }) => Object.keys(claim.locks).length > 0);
  if (locks && migration.atomic !== false) lines.push('The migration is atomic: the locks are held until the whole migration commits.', '');
  if (claims[0]) lines.push(`Safe route: ${claims[0].claim.safeRoute}.`);
  return lines.join('\n').trimEnd();
}

/** The rule's docs, for a code inside a `# noqa: MG101` (or `ignore-file[MG101]`) comment under the cursor. */
export function noqaHover(text: string, tree: Tree, offset: number): Hover | null {
  const comment = tree.rootNode.descendantForIndex(offset, offset);
  if (comment?.type !== 'comment' || !/noqa|migration-guard/i.test(comment.text)) return null;
  for (const match of comment.text.matchAll(/MG\d{3}/g)) {
    const start = comment.startIndex + match.index;
    const end = start + match[0].length;
    if (offset < start || offset > end) continue;
    const rule = findRule(match[0]);
    if (!rule) return null;
    const lines = new LineIndex(text);
    const value = [`**${rule.code} ${rule.name}** (${rule.defaultSeverity})`, '', rule.docs.summary, '', rule.docs.why, '', `[Documentation](${ruleUrl(rule)})`].join('\n');
    return { contents: { kind: MarkupKind.Markdown, value }, range: { start: lines.position(start), end: lines.position(end) } };
  }
  return null;
}

/** The hover on a statement inside a RunSQL string: its verified claims, with its tables as the state names them. */
function statementHover(ctx: OperationContext, migration: Migration, op: Operation, text: string, offset: number, config: Pick<Config, 'database'>): { value: string; start: number; end: number } | undefined {
  if (config.database !== 'postgresql') return undefined;
  const found = forwardStatements(migration, text).find(({ op: owner, statement }) => owner === op && statement.range.start <= offset && offset <= statement.range.end);
  if (!found) return undefined;
  const { statement, newTables } = found;
  const claims = statementClaims(statement.action, (table, column) => columnTypeBefore(ctx, table, column));
  const keyword = statement.text.trim().split(/\s+/).slice(0, 2).join(' ');
  const lines = [`**\`${keyword}\`** in \`RunSQL\``, ''];
  if (claims.length === 0) lines.push('No verified claim describes this statement: Migration Guard does not say what it locks.');
  for (const { id, tables } of claims) {
    if (tables.table && newTables.has(tables.table)) {
      lines.push(`\`${tables.table}\` is created earlier in this migration: the table is new and empty, so its lock blocks no one.`, '');
      continue;
    }
    const named: ClaimTables = Object.fromEntries(Object.entries(tables).filter(([, name]) => name).map(([role, name]) => {
      const model = modelOfTable(ctx, name!);
      // claimLines puts the name in backticks: this closes and reopens them around the model.
      return [role, model ? `${name}\` (model \`${model}` : name];
    }));
    lines.push(...claimLines(CLAIMS[id], named), '', `Safe route: ${CLAIMS[id].safeRoute}.`, '');
  }
  return { value: lines.join('\n').trimEnd(), start: statement.range.start, end: statement.range.end };
}

export function hoverAt(path: string, text: string, tree: Tree, offset: number, config: Pick<Config, 'database' | 'postgresVersion' | 'djangoVersion'>, workspace?: Workspace): Hover | null {
  const onCode = noqaHover(text, tree, offset);
  if (onCode) return onCode;
  // Read as the lint reads it: operations of a branch for another vendor (`if connection.vendor == "sqlite":`
  // under PostgreSQL) never reach this database, so they get no hover, and a RunSQL there no statement hover.
  const migration = parseMigration(path, tree.rootNode, workspace?.appLabel(path), config.database);
  if (!migration) return null;
  // Inside a RunSQL's arguments the hover is the statement's; elsewhere only the operation's name has one.
  const runSql = migration.operations.find((candidate) => candidate.kind === 'RunSQL' && candidate.node.startIndex <= offset && offset <= candidate.node.endIndex);
  const onStatement = runSql && statementHover({ migration, project: replayedState(summarizeMigration(migration), workspace) }, migration, runSql, text, offset, config);
  if (onStatement) {
    const positions = new LineIndex(text);
    return { contents: { kind: MarkupKind.Markdown, value: onStatement.value }, range: { start: positions.position(onStatement.start), end: positions.position(onStatement.end) } };
  }
  const op = operationAt(migration, offset);
  if (!op) return null;
  const ctx: OperationContext = { migration, project: replayedState(summarizeMigration(migration), workspace) };
  const value = lockHover(op, migration, ctx, config);
  if (!value) return null;
  const lines = new LineIndex(text);
  return {
    contents: { kind: MarkupKind.Markdown, value },
    range: { start: lines.position(op.callee.startIndex), end: lines.position(op.callee.endIndex) },
  };
}
