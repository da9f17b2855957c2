import { aLock, blocksReadsOrWrites } from '../analysis/claims';
import { operationClaims, strongestLock } from '../analysis/operation-claims';
import { tableFor } from '../analysis/operation-context';
import { forwardOperations, isNewTable, tableName, type Migration, type Operation } from '../analysis/migration';
import { formatDuration, migrationTimeouts } from '../analysis/production';
import { isZeroTimeout, knownStatements, runSql, settingValue } from '../analysis/sql';
import type { SqlAction } from '../analysis/sql-classify';
import { CREATE_ORDER, exampleMigration } from './docs';
import { defineRule, type RelatedLocation, type RuleContext } from './types';

/**
 * A statement that waits for a lock blocking the table's reads or writes (DDL on an existing table); not the
 * `CONCURRENTLY` builds and drops. Its label for the message.
 */
function lockingStatement(action: SqlAction, newTables: ReadonlySet<string>): string | undefined {
  const existing = (table: { key: string }) => !newTables.has(table.key);
  switch (action.kind) {
    case 'alter-table':
      return existing(action.table) ? 'ALTER TABLE' : undefined;
    case 'rename-column':
    case 'rename-table':
      return existing(action.table) ? 'ALTER TABLE' : undefined;
    case 'drop-table':
      return action.tables.some(existing) ? 'DROP TABLE' : undefined;
    case 'truncate':
      return action.tables.some(existing) ? 'TRUNCATE' : undefined;
    case 'lock-table':
      return action.tables.some(existing) ? 'LOCK TABLE' : undefined;
    case 'create-index':
      return !action.concurrently && existing(action.table) ? (action.unique ? 'CREATE UNIQUE INDEX' : 'CREATE INDEX') : undefined;
    case 'drop-index':
      return action.concurrently ? undefined : 'DROP INDEX';
    case 'reindex':
      return action.concurrently ? undefined : 'REINDEX';
    case 'vacuum':
      return action.full ? 'VACUUM FULL' : undefined;
    case 'cluster':
      return 'CLUSTER';
    default:
      return undefined;
  }
}

function describe(ctx: RuleContext, op: Operation, statement?: string): string {
  if (op.kind === 'RunSQL') return statement ? `\`RunSQL\` with \`${statement}\`` : '`RunSQL`';
  // The table as the replayed state names it (`db_table`, earlier renames); RenameModel's is the old name's.
  const model = ctx.project?.before(op).model;
  if (op.kind === 'RenameModel' && !model) return '`RenameModel`';
  return op.modelName || model ? `\`${op.kind}\` on \`${tableFor(ctx, op)}\`` : `\`${op.kind}\``;
}

/** The strongest lock the operation takes, when it blocks the table's reads or writes (from the claims table). */
function blockingLock(ctx: RuleContext, migration: Migration, op: Operation) {
  if (isNewTable(migration, op)) return undefined;
  const lock = strongestLock(operationClaims(ctx, op, ctx.config) ?? []);
  return lock && blocksReadsOrWrites(lock) ? lock : undefined;
}

export const SETTINGS_HISTORY = [
  '# config/settings.py',
  'DATABASES = {',
  '    "default": {',
  '        "ENGINE": "django.db.backends.postgresql",',
  '        "NAME": "shop",',
  '        "OPTIONS": {"options": "-c statement_timeout=30000"},',
  '    },',
  '}',
  '',
].join('\n');


export const migrationNoLockTimeout = defineRule({
  code: 'MG110',
  name: 'migration-no-lock-timeout',
  fileKinds: ['migration'],
  databases: ['postgresql'],
  defaultSeverity: 'info',
  fix: 'never',
  claims: ['AddField.nullable'],
  docs: {
    summary: 'A migration that locks an existing table, in a project whose settings set no `lock_timeout`, can freeze the table while it waits.',
    why: 'Even a quick schema change (`ALTER TABLE … ADD COLUMN`) needs an ACCESS EXCLUSIVE lock, and it has to wait for every query already running on the table. While it waits in the lock queue, every new query on the table, reads included, waits behind it: one long report or an idle-in-transaction session turns a millisecond migration into an outage. A `lock_timeout` makes the migration give up instead (and you retry), which is why squawk and strong_migrations ask for one. This rule reads the workspace\'s settings modules: it is silent when an entry point\'s PostgreSQL `default` database sets `-c lock_timeout=…` in `OPTIONS["options"]` or `ZERO_DOWNTIME_MIGRATIONS_LOCK_TIMEOUT` is set (django-pg-zero-downtime-migrations), when the migration runs `SET lock_timeout` before its first locking operation, when the workspace has no settings module, and when a settings entry point cannot be read completely. It is reported on the first locking operation, with the settings entry as related information.',
    example: exampleMigration({
      operations: ['migrations.AddField(model_name="order", name="note", field=models.TextField(null=True)),'],
    }),
    useInstead: exampleMigration({
      operations: [
        'migrations.RunSQL("SET lock_timeout = \'4s\'", reverse_sql=migrations.RunSQL.noop),',
        'migrations.AddField(model_name="order", name="note", field=models.TextField(null=True)),',
      ],
    }),
    history: [SETTINGS_HISTORY, CREATE_ORDER],
    fixSafety: 'No automatic fix: set the timeout once in the settings (`"OPTIONS": {"options": "-c lock_timeout=4000"}`, see MG602) or per migration with `RunSQL("SET lock_timeout = \'4s\'", reverse_sql=migrations.RunSQL.noop)` as the first operation.',
    references: ['squawk: require-lock-timeout', 'strong_migrations: the `lock_timeout` setting', 'django-pg-zero-downtime-migrations: ZERO_DOWNTIME_MIGRATIONS_LOCK_TIMEOUT', 'django-safe-migrations: SM035'],
  },
  check(ctx) {
    const migration = ctx.migration!;
    const index = ctx.project?.settings;
    if (!index || index.size === 0) return;
    // The first operation that waits for a blocking lock, unless a lasting SET lock_timeout comes first.
    let first: Operation | undefined;
    let firstStatement: string | undefined;
    const created = new Set<string>();
    operations: for (const op of forwardOperations(migration)) {
      if (op.kind === 'CreateModel' && op.modelName) created.add(tableName(migration, op.modelName));
      if (op.kind === 'RunSQL') {
        const statements = knownStatements(runSql(op, ctx.text).sql);
        // SQL built at run time (or that does not parse) may set the timeout, or lock: what follows is unknown.
        if (statements === undefined) return;
        for (const { action } of statements) {
          const value = settingValue(action, 'lock_timeout', migration);
          if (value !== undefined && !isZeroTimeout(value)) return;
          if (action.kind === 'create-table') created.add(action.table.key);
          firstStatement = lockingStatement(action, created);
          if (firstStatement) {
            first = op;
            break operations;
          }
        }
        continue;
      }
      if (blockingLock(ctx, migration, op)) {
        first = op;
        break;
      }
    }
    if (!first) return;
    const timeouts = migrationTimeouts(index, ctx.config);
    if (timeouts.postgresEntries.length === 0 || timeouts.lockTimeoutUnknown || timeouts.lockTimeouts.length > 0) return;
    const related: RelatedLocation[] = [];
    for (const entry of timeouts.postgresEntries) {
      if (related.some((r) => r.path === entry.definedAt.path && r.range.start === entry.definedAt.range.start)) continue;
      related.push({ path: entry.definedAt.path, range: entry.definedAt.range, message: 'The PostgreSQL `default` database is defined here without `-c lock_timeout` in `OPTIONS["options"]`' });
    }
    const lock = first.kind === 'RunSQL' ? undefined : blockingLock(ctx, migration, first);
    const waits = lock ? `waits for ${aLock(lock)}` : 'waits for its lock';
    const timeout = formatDuration(ctx.config.lockTimeoutMs);
    ctx.report({
      node: first.node,
      message: `${describe(ctx, first, firstStatement)} ${waits} with no lock_timeout in the project's settings: while it waits behind a long query, every query on the table queues behind it.`,
      help: `Instead, make \`migrations.RunSQL("SET lock_timeout = '${timeout}'", reverse_sql=migrations.RunSQL.noop)\` the first operation, or add \`-c lock_timeout=${ctx.config.lockTimeoutMs}\` to \`OPTIONS["options"]\` of the \`default\` database in the settings.`,
      related,
    });
  },
});
