import { OPERATION_LOCKS } from '../analysis/locks';
import { argument, databaseOperations, isNewTable, tableName, type Migration, type Operation } from '../analysis/migration';
import { formatDuration, migrationTimeouts } from '../analysis/production';
import { literal, sequenceItems } from '../analysis/syntax';
import type { Node } from '../engine/parser';
import { CREATE_ORDER, exampleMigration } from './docs';
import { defineRule, type RelatedLocation } from './types';
import { own } from '../analysis/own';

/** Operations that wait for a lock that blocks the table's reads or writes (DDL on an existing table). */
const LOCKING = new Set([
  'AddField', 'AlterField', 'RemoveField', 'RenameField', 'AddIndex', 'RemoveIndex', 'AddConstraint',
  'AddConstraintNotValid', 'RemoveConstraint', 'DeleteModel', 'RenameModel', 'AlterModelTable',
  'AlterUniqueTogether', 'AlterIndexTogether', 'AlterOrderWithRespectTo',
]);

/** SQL that takes a lock blocking reads or writes; `CONCURRENTLY` builds and drops do not. */
const LOCKING_SQL = /\b(ALTER\s+TABLE|DROP\s+TABLE|TRUNCATE|LOCK(?:\s+TABLE)?(?=\s+\w)|CREATE\s+(?:UNIQUE\s+)?INDEX(?!\s+CONCURRENTLY)|DROP\s+INDEX(?!\s+CONCURRENTLY))\b/i;

/** `RunSQL`'s forward SQL, statements joined, comments removed; undefined when it is not all literal. */
export function runSqlText(op: Operation): string | undefined {
  const sql = argument(op, 'sql');
  const pieces: string[] = [];
  const read = (node: Node | undefined): boolean => {
    const value = literal(node);
    if (value.kind === 'string') {
      pieces.push(value.value);
      return true;
    }
    if (node?.type === 'list' || node?.type === 'tuple') {
      const items = sequenceItems(node);
      // `(sql, params)` pairs inside a list: the SQL is the first element.
      if (node.type === 'tuple' && items.length === 2 && literal(items[0]).kind === 'string' && literal(items[1]).kind !== 'string') return read(items[0]);
      return items.every(read);
    }
    return false;
  };
  if (!read(sql)) return undefined;
  return pieces.join(';\n').replace(/--[^\n]*/g, ' ').replace(/\/\*[\s\S]*?\*\//g, ' ');
}

/**
 * Offset in the SQL of a `SET <name>` (or `set_config('<name>', …)`) that lasts for the rest of the migration:
 * `SET LOCAL` only lasts until the end of the transaction, so it does not count in a non-atomic migration.
 */
export function setsTimeout(sql: string, name: 'lock_timeout' | 'statement_timeout', migration: Migration): number | undefined {
  const pattern = new RegExp(`\\bSET\\s+(SESSION\\s+|LOCAL\\s+)?${name}\\b|\\bset_config\\s*\\(\\s*'${name}'`, 'gi');
  for (const match of sql.matchAll(pattern)) {
    if (/LOCAL/i.test(match[1] ?? '') && migration.atomic === false) continue;
    return match.index;
  }
  return undefined;
}

/** Django operations (and `RunSQL`) of a migration that run on the database, in order. */
export function forwardOperations(migration: Migration): Operation[] {
  return databaseOperations(migration).filter((op) => op.kind !== 'SeparateDatabaseAndState');
}

function describe(migration: Migration, op: Operation, sql?: string): string {
  if (op.kind === 'RunSQL') {
    const statement = sql ? LOCKING_SQL.exec(sql)?.[1] : undefined;
    return statement ? `\`RunSQL\` with \`${statement.trim().replace(/\s+/g, ' ').toUpperCase()}\`` : '`RunSQL`';
  }
  if (op.kind === 'RenameModel') {
    const old = literal(argument(op, 'old_name'));
    return old.kind === 'string' ? `\`RenameModel\` on \`${tableName(migration, old.value.toLowerCase())}\`` : '`RenameModel`';
  }
  return op.modelName ? `\`${op.kind}\` on \`${tableName(migration, op.modelName)}\`` : `\`${op.kind}\``;
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
    references: ['squawk: require-lock-timeout', 'strong_migrations: the `lock_timeout` setting', 'django-pg-zero-downtime-migrations: ZERO_DOWNTIME_MIGRATIONS_LOCK_TIMEOUT'],
  },
  check(ctx) {
    const migration = ctx.migration!;
    const index = ctx.project?.settings;
    if (!index || index.size === 0) return;
    // The first operation that waits for a blocking lock, unless a lasting SET lock_timeout comes first.
    let first: Operation | undefined;
    for (const op of forwardOperations(migration)) {
      if (op.kind === 'RunSQL') {
        const sql = runSqlText(op);
        if (sql === undefined) {
          // SQL built at run time may set the timeout (or lock): we cannot tell what follows.
          if (argument(op, 'sql')) return;
          continue;
        }
        const sets = setsTimeout(sql, 'lock_timeout', migration);
        const locks = LOCKING_SQL.exec(sql)?.index;
        if (sets !== undefined && (locks === undefined || sets < locks)) return;
        if (locks !== undefined) {
          first = op;
          break;
        }
        continue;
      }
      if (LOCKING.has(op.kind) && !isNewTable(migration, op)) {
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
    const lock = own(OPERATION_LOCKS, first.kind)?.lock;
    const waits = lock && lock !== 'none' ? `waits for ${/^[AEIOU]/.test(lock) ? 'an' : 'a'} ${lock} lock` : 'waits for its lock';
    const timeout = formatDuration(ctx.config.lockTimeoutMs);
    ctx.report({
      node: first.node,
      message: `${describe(migration, first, first.kind === 'RunSQL' ? runSqlText(first) : undefined)} ${waits} with no lock_timeout in the project's settings: while it waits behind a long query, every query on the table queues behind it.`,
      help: `Instead, make \`migrations.RunSQL("SET lock_timeout = '${timeout}'", reverse_sql=migrations.RunSQL.noop)\` the first operation, or add \`-c lock_timeout=${ctx.config.lockTimeoutMs}\` to \`OPTIONS["options"]\` of the \`default\` database in the settings.`,
      related,
    });
  },
});
