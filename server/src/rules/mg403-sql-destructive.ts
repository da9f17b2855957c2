import { forwardStatements } from '../analysis/sql';
import { exampleMigration, initialMigration } from './docs';
import { defineRule } from './types';

const IMPORTS = ['from django.db import migrations'];

export const sqlDestructive = defineRule({
  code: 'MG403',
  name: 'sql-destructive',
  fileKinds: ['migration'],
  databases: ['postgresql'],
  defaultSeverity: 'warning',
  fix: 'never',
  docs: {
    summary: '`TRUNCATE … CASCADE`, `DROP DATABASE` or `DROP SCHEMA` in `RunSQL`: data that no rollback brings back.',
    why: '`TRUNCATE … CASCADE` empties the table and, recursively, every table with a foreign key to it: tables the migration never names. `DROP SCHEMA` removes a schema (with `CASCADE`, every table, view and function in it); `DROP DATABASE` removes a whole database (and cannot even run inside the migration\'s transaction). None of these belongs in a migration that runs on every environment, production included; `reverse_sql` cannot restore the data.',
    example: exampleMigration({
      imports: IMPORTS,
      operations: ['migrations.RunSQL("TRUNCATE shop_order CASCADE", reverse_sql=migrations.RunSQL.noop),'],
    }),
    useInstead: exampleMigration({
      imports: IMPORTS,
      operations: [
        '# Name every table to empty, and only tables the migration owns.',
        'migrations.RunSQL("TRUNCATE shop_order_import", reverse_sql=migrations.RunSQL.noop),',
      ],
    }),
    // The staging table the safe form empties (PostgreSQL rejects a TRUNCATE of a table that does not exist).
    history: initialMigration([
      'migrations.CreateModel(name="Order", fields=[("id", models.BigAutoField(primary_key=True))]),',
      'migrations.CreateModel(name="OrderImport", fields=[("id", models.BigAutoField(primary_key=True))], options={"db_table": "shop_order_import"}),',
    ]),
    fixSafety: 'No automatic fix.',
    references: ['squawk: ban-truncate-cascade', 'squawk: ban-drop-database'],
  },
  check(ctx) {
    for (const { statement } of forwardStatements(ctx.migration!, ctx.text)) {
      const action = statement.action;
      let message: string | undefined;
      if (action.kind === 'truncate' && action.cascade) {
        const tables = action.tables.map((table) => `\`${table.key}\``).join(', ');
        message = `\`TRUNCATE … CASCADE\` empties ${tables} and every table with a foreign key to ${action.tables.length > 1 ? 'them' : 'it'}, recursively: data no \`reverse_sql\` can restore.`;
      } else if (action.kind === 'drop-database') {
        message = `\`DROP DATABASE ${action.name}\` in a migration deletes a whole database on every environment the migration runs on.`;
      } else if (action.kind === 'drop-schema') {
        const names = action.names.map((name) => `\`${name}\``).join(', ');
        message = `\`DROP SCHEMA\` ${names}${action.cascade ? ' CASCADE deletes every table, view and function in it' : ' deletes the schema'}: data no \`reverse_sql\` can restore.`;
      }
      if (!message) continue;
      ctx.report({
        range: statement.range,
        message,
        help: 'Instead, name each table the migration owns (`TRUNCATE a, b` without `CASCADE`, `DROP TABLE a`), or do this by hand outside migrations.',
      });
    }
  },
});
