import { argument, isNewTable, tableName, type Migration, type Operation } from '../analysis/migration';
import { formatDuration, migrationTimeouts } from '../analysis/production';
import { dottedName, qualify } from '../analysis/syntax';
import { CREATE_ORDER, exampleMigration } from './docs';
import { forwardOperations, runSqlText, setsTimeout } from './mg110-migration-no-lock-timeout';
import { defineRule, type RelatedLocation } from './types';

const CONCURRENT_BUILD = /\b(CREATE\s+(UNIQUE\s+)?INDEX\s+CONCURRENTLY|REINDEX\b[^;]*\bCONCURRENTLY)\b/i;
const VALIDATE = /\bVALIDATE\s+CONSTRAINT\b/i;

interface LongOperation {
  what: string;
  /** What a cancellation does. */
  outcome: string;
}

/** A single statement that may run for minutes on a big table, or a data migration. */
function longOperation(migration: Migration, op: Operation): LongOperation | undefined {
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
    case 'RunSQL': {
      const sql = runSqlText(op);
      if (sql === undefined) return undefined;
      if (CONCURRENT_BUILD.test(sql)) return { what: '`RunSQL` with a concurrent index build', outcome: 'the build is cancelled and leaves an INVALID index behind' };
      if (VALIDATE.test(sql)) return { what: '`RunSQL` with `VALIDATE CONSTRAINT`', outcome: 'the validation scan is cancelled' };
      return undefined;
    }
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
      const long = longOperation(migration, op);
      if (op.kind === 'RunSQL') {
        const sql = runSqlText(op);
        // SQL we cannot read may set the timeout: what follows is unknown.
        if (sql === undefined) {
          if (argument(op, 'sql')) return;
          continue;
        }
        const sets = setsTimeout(sql, 'statement_timeout', migration);
        if (sets !== undefined) {
          // `SET statement_timeout …` covers what comes after it, in this RunSQL and in later operations.
          const buildAt = long ? sql.search(CONCURRENT_BUILD.test(sql) ? CONCURRENT_BUILD : VALIDATE) : -1;
          if (long && buildAt < sets) report(op, long);
          return;
        }
      }
      if (long && !report(op, long)) return;
    }
  },
});
