import { argument, forwardOperations, isNewTable, tableName, type Migration, type Operation } from '../analysis/migration';
import { formatDuration, migrationTimeouts } from '../analysis/production';
import { knownStatements, runSql, settingValue, type SqlStatement } from '../analysis/sql';
import type { SqlAction } from '../analysis/sql-classify';
import { dottedName, qualify } from '../analysis/syntax';
import { CREATE_ORDER, exampleMigration } from './docs';
import { defineRule, type RelatedLocation } from './types';

interface LongOperation {
  what: string;
  /** What a cancellation does. */
  outcome: string;
}

/** A statement that may run for minutes on a big table: a concurrent index build, a constraint validation. */
function longStatement(action: SqlAction): LongOperation | undefined {
  if ((action.kind === 'create-index' || action.kind === 'reindex') && action.concurrently) {
    return { what: '`RunSQL` with a concurrent index build', outcome: 'the build is cancelled and leaves an INVALID index behind' };
  }
  if (action.kind === 'alter-table' && action.commands.some((command) => command.kind === 'validate-constraint')) {
    return { what: '`RunSQL` with `VALIDATE CONSTRAINT`', outcome: 'the validation scan is cancelled' };
  }
  return undefined;
}

/** A single statement that may run for minutes on a big table, or a data migration. */
function longOperation(migration: Migration, op: Operation, statements: SqlStatement[] | undefined): LongOperation | undefined {
  const table = op.modelName ? `\`${tableName(migration, op.modelName)}\`` : 'the table';
  switch (op.kind) {
    case 'AddIndexConcurrently':
      return isNewTable(migration, op) ? undefined : { what: `\`AddIndexConcurrently\` on ${table}`, outcome: 'the index build is cancelled and leaves an INVALID index behind' };
    case 'ValidateConstraint':
      return isNewTable(migration, op) ? undefined : { what: `\`ValidateConstraint\` on ${table}`, outcome: 'the validation scan is cancelled and the constraint stays NOT VALID' };
    case 'RunPython': {
      const code = argument(op, 'code');
      const name = qualify(dottedName(code) ?? '', migration.imports);
      if (/(^|\.)RunPython\.noop$/.test(name)) return undefined;
      const label = code?.type === 'identifier' ? `\`RunPython(${code.text})\`` : '`RunPython`';
      return { what: label, outcome: 'any single query of the data migration that runs longer is cancelled and the migration fails' };
    }
    case 'RunSQL':
      for (const { action } of statements ?? []) {
        const long = longStatement(action);
        if (long) return long;
      }
      return undefined;
    default:
      return undefined;
  }
}

const STATEMENT_TIMEOUT_SETTINGS = [
  '# config/settings.py',
  'DATABASES = {',
  '    "default": {',
  '        "ENGINE": "django.db.backends.postgresql",',
  '        "NAME": "shop",',
  '        "OPTIONS": {"options": "-c statement_timeout=30000 -c lock_timeout=4000"},',
  '    },',
  '}',
  '',
].join('\n');

const IMPORTS = ['from django.contrib.postgres.operations import AddIndexConcurrently', 'from django.db import migrations, models'];
const BUILD = 'AddIndexConcurrently(model_name="order", index=models.Index(fields=["id"], name="order_id_idx")),';

export const longOperationUnderStatementTimeout = defineRule({
  code: 'MG111',
  name: 'long-operation-under-statement-timeout',
  fileKinds: ['migration'],
  databases: ['postgresql'],
  defaultSeverity: 'info',
  fix: 'never',
  docs: {
    summary: 'A concurrent index build or a data migration may be cancelled by the `statement_timeout` the project\'s settings set for every connection.',
    why: 'A global `statement_timeout` (`"OPTIONS": {"options": "-c statement_timeout=30000"}`, MG601) protects the application from runaway queries, but `manage.py migrate` uses the same settings. `CREATE INDEX CONCURRENTLY` on a big table is one statement that takes minutes: PostgreSQL cancels it at the timeout and leaves an INVALID index that still slows down writes and must be dropped by hand. A `VALIDATE CONSTRAINT` scan and any single long query of a `RunPython` data migration are cancelled the same way. This rule reads the workspace\'s settings modules and reports each such operation when an entry point\'s PostgreSQL `default` database sets a `statement_timeout` above 0, unless the migration runs `SET statement_timeout` before it.',
    example: exampleMigration({ imports: IMPORTS, attributes: ['atomic = False'], operations: [BUILD] }),
    useInstead: exampleMigration({
      imports: IMPORTS,
      attributes: ['atomic = False'],
      operations: ['migrations.RunSQL("SET statement_timeout = 0", reverse_sql=migrations.RunSQL.noop),', BUILD],
    }),
    history: [STATEMENT_TIMEOUT_SETTINGS, CREATE_ORDER],
    fixSafety: 'No automatic fix. `SET statement_timeout = 0` lasts for the rest of the database session, so it also lifts the timeout for the migrations `migrate` runs after this one (usually what you want for migrations); in an atomic migration `SET LOCAL statement_timeout = 0` limits it to this migration.',
    references: ['squawk: require-statement-timeout (the opposite concern: a timeout on DDL)'],
  },
  check(ctx) {
    const migration = ctx.migration!;
    const index = ctx.project?.settings;
    if (!index || index.size === 0) return;
    let timeouts: ReturnType<typeof migrationTimeouts> | undefined;
    const report = (op: Operation, long: LongOperation): boolean => {
      timeouts ??= migrationTimeouts(index, ctx.config);
      const [timeout] = [...timeouts.statementTimeouts].sort((a, b) => a.ms - b.ms);
      if (!timeout) return false;
      const related: RelatedLocation[] = [];
      for (const found of timeouts.statementTimeouts) {
        if (related.some((r) => r.path === found.location.path && r.range.start === found.location.range.start)) continue;
        related.push({ path: found.location.path, range: found.location.range, message: `\`statement_timeout=${found.raw}\` is set here for every connection, \`migrate\` included` });
      }
      ctx.report({
        node: op.node,
        message: `${long.what} runs under the project's statement_timeout of ${formatDuration(timeout.ms)}: on a big table ${long.outcome}.`,
        help: 'Instead, add `migrations.RunSQL("SET statement_timeout = 0", reverse_sql=migrations.RunSQL.noop)` before it (the application keeps its timeout).',
        related,
      });
      return true;
    };
    for (const op of forwardOperations(migration)) {
      const statements = op.kind === 'RunSQL' ? knownStatements(runSql(op, ctx.text).sql) : undefined;
      if (op.kind === 'RunSQL') {
        // SQL we cannot read (built at run time, or rejected by the parser) may set the timeout: what follows is unknown.
        if (statements === undefined) return;
        const sets = statements.findIndex(({ action }) => settingValue(action, 'statement_timeout', migration) !== undefined);
        if (sets >= 0) {
          // `SET statement_timeout …` covers what comes after it, in this RunSQL and in later operations.
          const long = longOperation(migration, op, statements.slice(0, sets));
          if (long) report(op, long);
          return;
        }
      }
      const long = longOperation(migration, op, statements);
      if (long && !report(op, long)) return;
    }
  },
});
