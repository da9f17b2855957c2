import { CLAIMS, lockClause } from '../analysis/claims';
import { argument, databaseOperations, isNewTable, tableName } from '../analysis/migration';
import { tableOf } from '../analysis/state';
import { callArguments, dottedName, literal, qualify } from '../analysis/syntax';
import { exampleMigration } from './docs';
import { defineRule } from './types';

export const exclusionConstraint = defineRule({
  code: 'MG113',
  name: 'exclusion-constraint',
  fileKinds: ['migration'],
  databases: ['postgresql'],
  defaultSeverity: 'warning',
  fix: 'never',
  claims: ['AddConstraint.exclusion'],
  docs: {
    summary: 'Adding an exclusion constraint to an existing table blocks reads and writes while its index is built.',
    why: [
      '`AddConstraint(ExclusionConstraint(...))` runs `ALTER TABLE … ADD CONSTRAINT … EXCLUDE USING gist (…)`: it takes an ACCESS EXCLUSIVE lock, builds the constraint\'s index over the whole table and checks every row, and every read and write on the table waits until it is done.',
      '',
      'Unlike check and foreign-key constraints, an exclusion constraint cannot be added `NOT VALID` and validated later, and unlike a unique constraint it cannot be attached to an index built `CONCURRENTLY` (`USING INDEX` takes only unique indexes). There is no lock-free route: add it when the table is created, or while it is small.',
    ].join('\n'),
    example: exampleMigration({
      imports: ['from django.contrib.postgres.constraints import ExclusionConstraint', 'from django.contrib.postgres.fields import RangeOperators', 'from django.db import migrations'],
      operations: [
        'migrations.AddConstraint(',
        '    model_name="booking",',
        '    constraint=ExclusionConstraint(',
        '        name="booking_no_overlap",',
        '        expressions=[("period", RangeOperators.OVERLAPS), ("room", RangeOperators.EQUAL)],',
        '    ),',
        '),',
      ],
    }),
    useInstead: exampleMigration({
      imports: [
        '# Add the exclusion constraint with the table, while it is empty.',
        'from django.contrib.postgres.constraints import ExclusionConstraint',
        'from django.contrib.postgres.fields import DateTimeRangeField, RangeOperators',
        'from django.contrib.postgres.operations import BtreeGistExtension',
        'from django.db import migrations, models',
      ],
      operations: [
        '# `room` is an integer: its `=` in a GiST index needs btree_gist (PostgreSQL contrib).',
        'BtreeGistExtension(),',
        'migrations.CreateModel(',
        '    name="Booking",',
        '    fields=[',
        '        ("id", models.BigAutoField(primary_key=True)),',
        '        ("room", models.IntegerField()),',
        '        ("period", DateTimeRangeField()),',
        '    ],',
        '),',
        'migrations.AddConstraint(',
        '    model_name="booking",',
        '    constraint=ExclusionConstraint(',
        '        name="booking_no_overlap",',
        '        expressions=[("period", RangeOperators.OVERLAPS), ("room", RangeOperators.EQUAL)],',
        '    ),',
        '),',
      ],
    }),
    fixSafety: 'No automatic fix: there is no lock-free way to add an exclusion constraint to a populated table.',
    references: [
      'strong_migrations: add_exclusion_constraint',
    ],
  },
  check(ctx) {
    const migration = ctx.migration!;
    for (const op of databaseOperations(migration, 'AddConstraint')) {
      const constraint = argument(op, 'constraint');
      if (constraint?.type !== 'call' || isNewTable(migration, op)) continue;
      const kind = qualify(dottedName(constraint.childForFieldName('function')) ?? '', migration.imports).split('.').pop();
      if (kind !== 'ExclusionConstraint') continue;
      const name = literal(callArguments(constraint).keywords.get('name'));
      const model = ctx.project?.before(op).model;
      const known = model ? tableOf(model) : 'unknown';
      const table = known !== 'unknown' ? known : tableName(migration, op.modelName);
      ctx.report({
        node: op.node,
        message: `\`AddConstraint\` of exclusion constraint${name.kind === 'string' ? ` \`${name.value}\`` : ''} on \`${table}\` ${lockClause(CLAIMS['AddConstraint.exclusion'], { table })}.`,
        help: `Instead, add exclusion constraints when the table is created or while it is small: one cannot be added \`NOT VALID\` or \`USING INDEX\`. On a large table, schedule it for a quiet period with a short \`lock_timeout\` so it gives up rather than queue every query behind it.`,
      });
    }
  },
});
