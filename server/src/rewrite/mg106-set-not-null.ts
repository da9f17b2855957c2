// MG106 as safe steps (PostgreSQL 12+): this migration adds `CHECK (column IS NOT NULL)` NOT VALID; the next
// validates it; the one after runs the original `AlterField` (PostgreSQL skips the scan: the validated CHECK
// proves there is no NULL) and drops the CHECK. A field with a `default` would make Django fill NULL rows with an
// `UPDATE` under the ACCESS EXCLUSIVE lock, so there the database gets the bare `SET NOT NULL` and the state the
// `AlterField` (SeparateDatabaseAndState).
import { argument } from '../analysis/migration';
import { columnOf, knownField, tableOf, type ModelState } from '../analysis/state';
import { fieldInfo, type FieldInfo } from '../analysis/summary';
import {
  DJANGO_MODELS, POSTGRES_OPERATIONS, call, claimNote, importsUsedBy, list, nodeSource, runSql, sqlName,
  type ImportName, type NotOffered, type Route, type RewriteContext, type RewriteRule, type Step,
} from './planner';
import { MAX_NAME_LENGTH } from './django-names';


/** `order_note_not_null`, made unique among the model's constraints and kept within PostgreSQL's 63 characters. */
function constraintName(model: string, field: string, taken: ReadonlySet<string>): string {
  const base = `${model}_${field}_not_null`.slice(0, MAX_NAME_LENGTH);
  let name = base;
  for (let i = 2; taken.has(name); i++) name = `${base.slice(0, MAX_NAME_LENGTH - String(i).length - 1)}_${i}`;
  return name;
}

/** What the NOT NULL route needs to know of the field, from the operation that makes it NOT NULL. */
export interface NotNullField {
  model: ModelState;
  /** `model_name=` as written (`"order"`). */
  modelName: string;
  /** Lower-case model name, for names. */
  modelKey: string;
  fieldName: string;
  /** The field as it ends up: NOT NULL. */
  after: FieldInfo;
  /** The `AlterField` that makes it NOT NULL in Django's state, as source. */
  alterField: string;
  /** What the `AlterField` source uses from the migration's imports. */
  copied: { names: ImportName[]; statements: string[] };
  /** The number of the route's first step within the whole rewrite (1 for MG106 itself). */
  firstStep: number;
}

/**
 * The three steps of the route (PostgreSQL 12+): CHECK (column IS NOT NULL) NOT VALID; VALIDATE; the `AlterField`
 * (SET NOT NULL without a scan) and the CHECK dropped. MG201's rewrite (before Django 5.0) ends with them. Django
 * 4.0 brought `AddConstraintNotValid` and `ValidateConstraint`; before it, the same SQL runs through `RunSQL`, the
 * state getting the `CheckConstraint` through `SeparateDatabaseAndState`.
 */
export function notNullSteps(ctx: RewriteContext, field: NotNullField): Step[] | NotOffered {
  const { config } = ctx;
  if (config.postgresVersion < 12) {
    return { reason: 'before PostgreSQL 12, `SET NOT NULL` always scans the table: keep the column nullable with a validated CHECK instead (see the MG106 help)' };
  }
  const [major, minor] = config.djangoVersion;
  const operations = major >= 4;
  const { model, modelName, modelKey, fieldName, after, alterField, copied, firstStep } = field;
  if (after.hasDbDefault) return { reason: 'the new field has a `db_default`: its `AlterField` changes more than NOT NULL' };
  const table = tableOf(model);
  const column = columnOf(fieldName, after);
  if (table === 'unknown' || column === 'unknown') return { reason: 'the table or the column name is not known statically' };
  const name = constraintName(modelKey, fieldName, new Set(model.constraints.map((c) => c.name ?? '')));
  const conditionKeyword = major > 5 || (major === 5 && minor >= 1) ? 'condition' : 'check';
  const q = ctx.str;
  const check = `models.CheckConstraint(${conditionKeyword}=models.Q(${fieldName}__isnull=False), name=${q(name)})`;
  const setNotNull = `ALTER TABLE ${sqlName(table)} ALTER COLUMN ${sqlName(column)} SET NOT NULL`;
  const dropNotNull = `ALTER TABLE ${sqlName(table)} ALTER COLUMN ${sqlName(column)} DROP NOT NULL`;
  // With a default, Django's AlterField would UPDATE the NULL rows under the lock: the database gets SET NOT NULL only.
  const notNull = after.hasDefault
    ? call('migrations.SeparateDatabaseAndState', [
      ['database_operations', list([runSql(q(setNotNull), q(dropNotNull))])],
      ['state_operations', list([alterField])],
    ])
    : alterField;
  const fragment = `${modelKey}_${name.toLowerCase()}`;
  const addNotValid = `ALTER TABLE ${sqlName(table)} ADD CONSTRAINT ${sqlName(name)} CHECK (${sqlName(column)} IS NOT NULL) NOT VALID`;
  const validate = `ALTER TABLE ${sqlName(table)} VALIDATE CONSTRAINT ${sqlName(name)}`;
  const addConstraint = operations
    ? call('AddConstraintNotValid', [['model_name', modelName], ['constraint', check]])
    : call('migrations.SeparateDatabaseAndState', [
      ['database_operations', list([runSql(q(addNotValid), q(`ALTER TABLE ${sqlName(table)} DROP CONSTRAINT ${sqlName(name)}`))])],
      ['state_operations', list([call('migrations.AddConstraint', [['model_name', modelName], ['constraint', check]])])],
    ]);
  const validateConstraint = operations
    ? call('ValidateConstraint', [['model_name', modelName], ['name', q(name)]])
    : runSql(q(validate), 'migrations.RunSQL.noop');
  return [
    {
      operations: [{ source: addConstraint, fragment: `${fragment}_not_valid` }],
      imports: operations ? [{ module: POSTGRES_OPERATIONS, name: 'AddConstraintNotValid' }, DJANGO_MODELS] : [DJANGO_MODELS],
      database: [{ sql: addNotValid, claim: 'AddConstraintNotValid' }],
      notes: [
        `Adds \`CHECK (${column} IS NOT NULL)\` NOT VALID: new and updated rows are checked at once, existing rows are not read.`,
        claimNote('AddConstraintNotValid'),
        `Deploy it after the code that never writes NULL to \`${fieldName}\` is live everywhere${firstStep > 1 ? `, with step ${firstStep - 1} or later` : ''}.`,
      ],
    },
    {
      operations: [{ source: validateConstraint, fragment: `${modelKey}_validate_${name.toLowerCase()}` }],
      imports: operations ? [{ module: POSTGRES_OPERATIONS, name: 'ValidateConstraint' }] : [],
      database: [{ sql: validate, claim: 'ValidateConstraint' }],
      notes: [
        `Checks the existing rows of \`${table}\` against \`${name}\`: it fails while a row still has NULL (backfill them first).`,
        claimNote('ValidateConstraint'),
        `Deploy it with step ${firstStep} or later.`,
      ],
    },
    {
      operations: [
        { source: notNull, fragment: `alter_${modelKey}_${fieldName.toLowerCase()}` },
        { source: call('migrations.RemoveConstraint', [['model_name', modelName], ['name', q(name)]]), fragment: `remove_${modelKey}_${name.toLowerCase()}` },
      ],
      imports: copied.names,
      database: [
        { sql: setNotNull, claim: 'AlterField.setNotNullAfterValidatedCheck' },
        { sql: `ALTER TABLE ${sqlName(table)} DROP CONSTRAINT ${sqlName(name)}`, claim: 'RemoveConstraint' },
      ],
      copiedImports: copied.statements,
      notes: [
        `Makes \`${column}\` NOT NULL: PostgreSQL 12+ skips the scan, since the validated CHECK proves there is no NULL. ${claimNote('AlterField.setNotNullAfterValidatedCheck')}`,
        `Then drops the CHECK, which NOT NULL now enforces. ${claimNote('RemoveConstraint')}`,
        `Deploy it with step ${firstStep + 1} or later.`,
      ],
    },
  ];
}

function plan(ctx: RewriteContext): Route | NotOffered {
  const { op, migration, before } = ctx;
  const model = before.model;
  const previous = knownField(before);
  if (!model || !previous || !op.modelName || !op.fieldName) return { reason: 'the field\'s history is not known from the workspace\'s migrations' };
  if (!op.field || op.field.hasSplat) return { reason: 'the new field definition cannot be read statically' };
  const after = fieldInfo(op.field, migration.appLabel);
  if (previous.null !== true || after.null !== false) return { reason: 'the field does not go from `null=True` to NOT NULL' };
  if (columnOf(op.fieldName, previous) !== columnOf(op.fieldName, after)) return { reason: 'the `AlterField` changes the column name too' };
  const steps = notNullSteps(ctx, {
    model, modelName: argument(op, 'model_name')?.text ?? ctx.str(op.modelName), modelKey: op.modelName, fieldName: op.fieldName, after,
    alterField: nodeSource(ctx.text, op.node), copied: importsUsedBy(ctx.root, op.node), firstStep: 1,
  });
  if (!Array.isArray(steps)) return steps;
  const [current, ...followUps] = steps;
  return { title: `CHECK (${columnOf(op.fieldName, after)} IS NOT NULL) NOT VALID, validate it, then SET NOT NULL`, current, followUps };
}

export const setNotNullRewrite: RewriteRule = { code: 'MG106', kinds: ['AlterField'], plan };
