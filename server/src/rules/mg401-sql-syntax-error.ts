import { databaseOperations } from '../analysis/migration';
import { runSql, type SqlArgument } from '../analysis/sql';
import { exampleMigration } from './docs';
import { defineRule } from './types';

const IMPORTS = ['from django.db import migrations'];

export const sqlSyntaxError = defineRule({
  code: 'MG401',
  name: 'sql-syntax-error',
  fileKinds: ['migration'],
  databases: ['postgresql'],
  defaultSeverity: 'error',
  fix: 'never',
  docs: {
    summary: 'SQL in `RunSQL` (or its `reverse_sql`) that PostgreSQL rejects: the migration, or its rollback, fails.',
    why: 'Every string of a `RunSQL` is read by PostgreSQL\'s own parser (libpg-query, PostgreSQL 18\'s grammar), the way Django sends it: a string as a script, each item of a list on its own, a `(sql, params)` pair with its placeholders filled. A statement the parser rejects fails the migration at deploy time, after the operations before it have run; in `reverse_sql` it fails the rollback, usually when you need it most. The message is the parser\'s, at the token where it stopped. Only the grammar is checked: a table or column that does not exist is not found until the SQL runs. A string that does not parse is not judged by the other SQL rules.',
    example: exampleMigration({
      imports: IMPORTS,
      operations: ['migrations.RunSQL(', '    "ALTER TABLE shop_order ADD COLUM note text",', '    reverse_sql="ALTER TABLE shop_order DROP COLUMN note",', '),'],
    }),
    useInstead: exampleMigration({
      imports: IMPORTS,
      operations: ['migrations.RunSQL(', '    "ALTER TABLE shop_order ADD COLUMN note text",', '    reverse_sql="ALTER TABLE shop_order DROP COLUMN note",', '),'],
    }),
    fixSafety: 'No automatic fix: only you know what the SQL should say.',
    references: ['squawk: syntax-error'],
  },
  check(ctx) {
    const report = (sql: SqlArgument, reverse: boolean) => {
      for (const piece of sql.kind === 'pieces' ? sql.pieces : []) {
        if (piece.parsed.ok !== false) continue;
        const { message, range } = piece.parsed.error;
        ctx.report({
          range,
          message: reverse
            ? `PostgreSQL rejects this \`reverse_sql\`: ${message}. Rolling back this migration fails.`
            : `PostgreSQL rejects this SQL: ${message}. The migration fails at deploy time.`,
          help: 'Instead, correct the statement where PostgreSQL\'s parser stopped (the highlighted token), and run it once against a copy of the database.',
        });
      }
    };
    for (const op of databaseOperations(ctx.migration!, 'RunSQL')) {
      const { sql, reverse } = runSql(op, ctx.text);
      report(sql, false);
      report(reverse, true);
    }
  },
});
