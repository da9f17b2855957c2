import { databaseOperations, isNewTable } from '../analysis/migration';
import { STATEMENT_LOCKS, WAITING } from '../analysis/locks';
import { callArguments, dottedName, literal, qualify, walk } from '../analysis/syntax';
import type { Node } from '../engine/parser';
import { exampleMigration } from './docs';
import { columnFor, tableFor } from './mg101-add-index-blocking';
import { defineRule } from './types';

/**
 * Expression classes whose SQL function is VOLATILE: evaluated once per row, so PostgreSQL cannot store one
 * value in the catalog ("fast default", PostgreSQL 11+) and rewrites the table. `Now()` is not among them:
 * `now()`/`CURRENT_TIMESTAMP` is STABLE (one value per transaction).
 */
const VOLATILE_CLASSES = new Set(['RandomUUID', 'Random', 'UUID4', 'UUID7']);

/** VOLATILE PostgreSQL functions named in `Func(function=…)`, `RawSQL(…)` or a `template`. */
const VOLATILE_FUNCTIONS = /\b(random|gen_random_uuid|uuid_generate_v1|uuid_generate_v1mc|uuid_generate_v4|uuidv4|uuidv7|clock_timestamp|timeofday|nextval|setseed)\b/i;

/** The volatile part of a `db_default=` expression, as written (`RandomUUID()`), or undefined. */
export function volatileExpression(node: Node, imports: Map<string, string>): Node | undefined {
  let found: Node | undefined;
  walk(node, (child) => {
    if (found) return false;
    if (child.type !== 'call') return true;
    const name = qualify(dottedName(child.childForFieldName('function')) ?? '', imports).split('.').pop() ?? '';
    if (VOLATILE_CLASSES.has(name)) {
      found = child;
      return false;
    }
    const args = callArguments(child);
    const sqlTexts = [args.keywords.get('function'), args.keywords.get('template'), name === 'RawSQL' ? args.positional[0] ?? args.keywords.get('sql') : undefined];
    for (const text of sqlTexts) {
      const value = literal(text);
      if (value.kind === 'string' && VOLATILE_FUNCTIONS.test(value.value)) {
        found = child;
        return false;
      }
    }
    return true;
  });
  return found;
}

export const volatileDbDefault = defineRule({
  code: 'MG108',
  name: 'volatile-db-default',
  fileKinds: ['migration'],
  databases: ['postgresql'],
  defaultSeverity: 'warning',
  fix: 'never',
  docs: {
    summary: 'A column added with a volatile database default rewrites the whole table while reads and writes wait.',
    why: 'Since PostgreSQL 11, `ADD COLUMN … DEFAULT <constant>` stores the value once in the catalog: no rewrite. A *volatile* default (`gen_random_uuid()`, `random()`, `clock_timestamp()`…, what `RandomUUID()`, `Random()` or `Func(function="gen_random_uuid")` compile to) must be computed for every existing row, so PostgreSQL rewrites the table under an `ACCESS EXCLUSIVE` lock: every query waits until it is done. `Now()` is fine: `now()` is STABLE, one value per transaction.',
    example: exampleMigration({
      imports: ['from django.contrib.postgres.functions import RandomUUID', 'from django.db import migrations, models'],
      operations: ['migrations.AddField(model_name="order", name="token", field=models.UUIDField(db_default=RandomUUID())),'],
    }),
    useInstead: exampleMigration({
      imports: ['from django.contrib.postgres.functions import RandomUUID', 'from django.db import migrations, models'],
      operations: [
        '# A nullable column without default: no rewrite.',
        'migrations.AddField(model_name="order", name="token", field=models.UUIDField(null=True)),',
        '# Setting the default afterwards only affects new rows: no rewrite either.',
        'migrations.AlterField(model_name="order", name="token", field=models.UUIDField(null=True, db_default=RandomUUID())),',
      ],
      epilogue: ['# Then backfill existing rows in batches, and make the column NOT NULL in a later migration.'],
    }),
    fixSafety: 'No automatic fix.',
    references: ['squawk: adding-field-with-default'],
  },
  check(ctx) {
    const migration = ctx.migration!;
    const lock = STATEMENT_LOCKS.addColumnVolatileDefault;
    for (const op of databaseOperations(migration, 'AddField')) {
      if (isNewTable(migration, op)) continue;
      const dbDefault = op.field?.keywords.get('db_default');
      const volatile = dbDefault ? volatileExpression(dbDefault, migration.imports) : undefined;
      if (!volatile) continue;
      const expression = volatile.text.length > 40 ? `${volatile.text.slice(0, 37)}…` : volatile.text;
      const column = columnFor(ctx, op);
      const table = tableFor(ctx, op);
      ctx.report({
        node: op.node,
        message: `\`AddField\` adds \`${column}\` with a volatile \`db_default\` (\`${expression}\`): PostgreSQL rewrites \`${table}\` to compute it for every row, under an ${lock.lock} lock (${WAITING[lock.lock]} wait).`,
        help: `Instead, add \`${op.fieldName ?? 'the field'}\` nullable without \`db_default\`, set the \`db_default\` with a following \`AlterField\` (only new rows use it: no rewrite), backfill existing rows in batches, then make it NOT NULL in a later migration.`,
      });
    }
  },
});
