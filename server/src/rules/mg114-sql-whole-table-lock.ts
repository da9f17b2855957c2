import { aLock, blocksReadsOrWrites, CLAIMS, lockClause, WAITING, type ClaimId, type LockMode } from '../analysis/claims';
import { forwardStatements } from '../analysis/sql';
import { lockTableClaim } from '../analysis/sql-claims';
import type { TableRef } from '../analysis/sql-classify';
import { describeTable } from '../analysis/sql-tables';
import { CREATE_ORDER, exampleMigration } from './docs';
import { defineRule, type RuleContext } from './types';

const IMPORTS = ['from django.db import migrations'];

/** pg_repack writes the table anew outside migrations; its `--order-by` is what CLUSTER does. */
function rewriteHelp(statement: 'CLUSTER' | 'VACUUM FULL'): string {
  const tool = statement === 'CLUSTER' ? 'pg_repack `--order-by`' : 'pg_repack';
  return `Instead, keep \`${statement}\` out of migrations (it has no concurrent form): rewrite the table with ${tool}, or run it by hand in a maintenance window.`;
}

function names(ctx: RuleContext, tables: TableRef[]): string {
  const described = tables.map((table) => describeTable(ctx, table));
  return described.length <= 1 ? described.join('') : `${described.slice(0, -1).join(', ')} and ${described.at(-1)}`;
}

export const sqlWholeTableLock = defineRule({
  code: 'MG114',
  name: 'sql-whole-table-lock',
  fileKinds: ['migration'],
  databases: ['postgresql'],
  defaultSeverity: 'warning',
  fix: 'never',
  claims: ['RunSQL.cluster', 'RunSQL.vacuumFull', 'RunSQL.setLogged', 'RunSQL.setUnlogged', 'RunSQL.lockTable', 'RunSQL.lockTableExclusive', 'RunSQL.lockTableShareRowExclusive', 'RunSQL.lockTableShare'],
  docs: {
    summary: '`CLUSTER`, `VACUUM FULL`, `SET LOGGED`/`SET UNLOGGED` or `LOCK TABLE` in `RunSQL` locks an existing table for as long as it runs.',
    why: [
      '`CLUSTER`, `VACUUM FULL` and `ALTER TABLE … SET LOGGED` / `SET UNLOGGED` write the whole table and its indexes anew under an ACCESS EXCLUSIVE lock: every read and write of the table waits until the copy is done, which on a large table means minutes of failed requests. None of them has a concurrent form in PostgreSQL.',
      '',
      '`LOCK TABLE` takes the mode it names (ACCESS EXCLUSIVE when it names none) and keeps it until the transaction ends: in an atomic migration, through every operation after it. In SHARE, SHARE ROW EXCLUSIVE or EXCLUSIVE mode writes wait; in ACCESS EXCLUSIVE mode reads wait too. A mode that blocks neither reads nor writes is not reported. In a migration with `atomic = False`, a `LOCK TABLE` sent on its own (the only statement of its string or list item) runs outside any transaction block, which PostgreSQL refuses: the migration fails, unless the SQL opens one (`BEGIN; … COMMIT;`). Several statements in one string run as one implicit transaction block, which holds the lock until the string is done.',
      '',
      'A table created earlier in the same migration (by `CreateModel` or `CREATE TABLE`) is new and empty: statements on it are not reported. `VACUUM` (plain or `FULL`) also cannot run inside a transaction block, so in an atomic migration it fails at deploy time: MG109 reports that.',
    ].join('\n'),
    example: exampleMigration({
      imports: IMPORTS,
      operations: ['migrations.RunSQL("CLUSTER shop_order USING shop_order_pkey", reverse_sql=migrations.RunSQL.noop),'],
    }),
    useInstead: exampleMigration({
      imports: IMPORTS,
      operations: [
        '# No CLUSTER in the migration: it has no concurrent form. Reorder the table outside migrations with',
        '# pg_repack (pg_repack --table=shop_order --order-by=id), or by hand in a maintenance window.',
      ],
    }),
    sqlExample: exampleMigration({
      imports: IMPORTS,
      attributes: ['atomic = False'],
      operations: ['migrations.RunSQL("VACUUM FULL shop_order", reverse_sql=migrations.RunSQL.noop),'],
    }),
    sqlUseInstead: exampleMigration({
      imports: IMPORTS,
      attributes: ['atomic = False'],
      operations: [
        '# Plain VACUUM (no FULL) marks the space of dead rows for reuse. To give the space back to the',
        '# operating system, use pg_repack outside migrations.',
        'migrations.RunSQL("VACUUM shop_order", reverse_sql=migrations.RunSQL.noop),',
      ],
    }),
    history: CREATE_ORDER,
    fixSafety: 'No automatic fix: these statements have no concurrent form to rewrite them into.',
    references: [
      'squawk: none',
      'eslint-plugin-postgresql: no-vacuum-full, no-cluster',
      'pgsafe: vacuum-full-cluster',
      'PostgreSQL: Explicit Locking (https://www.postgresql.org/docs/current/explicit-locking.html)',
    ],
  },
  check(ctx) {
    const migration = ctx.migration!;
    // In a migration with atomic = False, Django runs in autocommit: a statement sent alone is outside any
    // transaction block, unless the SQL opened one itself.
    let inBlock = migration.atomic !== false;
    for (const { statement, newTables } of forwardStatements(migration, ctx.text)) {
      const action = statement.action;
      if (action.kind === 'transaction' && migration.atomic === false && action.command !== 'other') inBlock = action.command === 'begin';
      const existing = (tables: TableRef[]) => tables.filter((table) => !newTables.has(table.key));
      let message: string | undefined;
      let help = rewriteHelp(action.kind === 'cluster' ? 'CLUSTER' : 'VACUUM FULL');
      if (action.kind === 'cluster') {
        const clause = lockClause(CLAIMS['RunSQL.cluster'], {});
        if (!action.table) message = `\`CLUSTER\` without a table clusters again every table of the database clustered before; on each it ${clause}.`;
        else if (!newTables.has(action.table.key)) message = `\`CLUSTER\` on ${describeTable(ctx, action.table)} ${clause}.`;
      } else if (action.kind === 'vacuum' && action.full) {
        const clause = lockClause(CLAIMS['RunSQL.vacuumFull'], {});
        const tables = existing(action.tables);
        if (action.tables.length === 0) message = `\`VACUUM FULL\` without a table rewrites every table of the database, one after another; on each it ${clause}.`;
        else if (tables.length > 0) message = `\`VACUUM FULL\` on ${names(ctx, tables)} ${tables.length > 1 ? 'rewrites one table after another; on each it ' : ''}${clause}.`;
      } else if (action.kind === 'alter-table' && !newTables.has(action.table.key)) {
        const command = action.commands.find((candidate) => candidate.kind === 'set-logged' || candidate.kind === 'set-unlogged');
        if (command) {
          const logged = command.kind === 'set-logged';
          message = `\`ALTER TABLE … SET ${logged ? 'LOGGED' : 'UNLOGGED'}\` on ${describeTable(ctx, action.table)} ${lockClause(CLAIMS[logged ? 'RunSQL.setLogged' : 'RunSQL.setUnlogged'], {})}.`;
          help = `Instead, create the table ${logged ? 'logged' : 'unlogged'} from the start, or switch it by hand in a maintenance window: it has no concurrent form.`;
        }
      } else if (action.kind === 'lock-table') {
        const id: ClaimId | undefined = lockTableClaim(action.mode);
        const mode = id ? (CLAIMS[id].locks as { table: LockMode }).table : undefined;
        const tables = existing(action.tables);
        // Not alone: in a string (or list item) with other statements, run as one implicit transaction block.
        if (!inBlock && statement.alone) {
          message = `\`LOCK TABLE\` ${names(ctx, action.tables)} in a migration with \`atomic = False\` fails at deploy time: Django sends it on its own, outside a transaction, and PostgreSQL takes a table lock only inside a transaction block ("LOCK TABLE can only be used in transaction blocks").`;
          help = 'Instead, drop the explicit lock (each statement takes the lock it needs), or open a transaction around it in the same SQL (`BEGIN; LOCK TABLE …; …; COMMIT;`).';
        } else if (mode && blocksReadsOrWrites(mode) && tables.length > 0) {
          const until = migration.atomic === true ? `: ${WAITING[mode]} wait for everything this atomic migration does after it` : `: ${WAITING[mode]} wait until then`;
          message = `\`LOCK TABLE\` ${names(ctx, tables)} IN ${mode} MODE takes ${aLock(mode)} and keeps it until the transaction ends${until}.`;
          help = 'Instead, drop the explicit lock (each statement takes the lock it needs), or take the weakest mode that works right after `SET LOCAL lock_timeout = \'2s\'`, so it gives up rather than queue every query behind it.';
        }
      }
      if (!message) continue;
      ctx.report({ range: statement.range, message, help });
    }
  },
});
