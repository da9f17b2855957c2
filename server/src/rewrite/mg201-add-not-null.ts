// MG201 as safe steps before Django 5.0 (from 5.0 on, the `db_default=` fix is the safe way, in one step): this
// migration adds the column nullable, without the Python default (no value for the code still running to miss);
// the next, deployed once the new code writes the field everywhere, backfills the NULL rows in batches of primary
// keys (`RunPython`, `atomic = False`: each batch commits and releases its row locks); then MG106's route makes it
// NOT NULL without a scan under the ACCESS EXCLUSIVE lock (its steps, from rewrite/mg106-set-not-null.ts).
import { argument } from '../analysis/migration';
import { BLOCKS, CLAIMS, ROW_LOCKS } from '../analysis/claims';
import { columnType, formatColumnType } from '../analysis/column-types';
import { columnOf, tableOf } from '../analysis/state';
import { fieldInfo } from '../analysis/summary';
import { literal } from '../analysis/syntax';
import { parsePython, type Node } from '../base/parser';
import { applyEdits } from '../fixes/apply';
import { insertKeywordArgument, replaceKeywordValue } from '../fixes/edits';
import type { Edit } from '../fixes/types';
import { notNullSteps } from './mg106-set-not-null';
import {
  DJANGO_MODELS, call, claimNote, editedSource, importsUsedBy, nodeSource, nodeSpanning, sqlName,
  type NotOffered, type Route, type RewriteContext, type RewriteRule,
} from './planner';

/** Primary keys per batch: each batch's UPDATE commits on its own. */
const BATCH = 1000;

/** Removes a keyword argument and the comma that separates it from its neighbour. */
function removeArgument(argumentNode: Node): Edit {
  const next = argumentNode.nextNamedSibling;
  if (next) return { start: argumentNode.startIndex, end: next.startIndex, text: '' };
  const previous = argumentNode.previousNamedSibling;
  return { start: previous ? previous.endIndex : argumentNode.startIndex, end: argumentNode.endIndex, text: '' };
}

/**
 * The operation's source, `text[start, end)` dedented, with the `default=` of the field call at `[callStart,
 * callEnd)` removed; undefined when it is not found there.
 */
function withoutDefault(text: string, callStart: number, callEnd: number, start: number, end: number): string | undefined {
  const tree = parsePython(text);
  try {
    const call = nodeSpanning(tree.rootNode, callStart, callEnd);
    const argument = call?.type === 'call' ? call.childForFieldName('arguments')?.namedChildren
      .find((child) => child?.type === 'keyword_argument' && child.childForFieldName('name')?.text === 'default') : undefined;
    return argument ? editedSource(text, removeArgument(argument), start, end) : undefined;
  } finally {
    tree.delete();
  }
}

/** A Python literal as SQL (for the batch written out for PostgreSQL), or undefined. */
function sqlLiteral(node: Node): string | undefined {
  const value = literal(node);
  if (value.kind === 'string') return `'${value.value.replace(/'/g, "''")}'`;
  if (value.kind === 'bool') return value.value ? 'true' : 'false';
  if (value.kind === 'number') return node.text;
  return undefined;
}

function plan(ctx: RewriteContext): Route | NotOffered {
  const { op, before, migration, config } = ctx;
  const [major] = config.djangoVersion;
  if (major >= 5) return { reason: 'on Django 5.0 and later, `db_default=` (the quick fix) makes the column safe in one step' };
  const model = before.model;
  const field = op.field;
  if (!model || model.uncertain || !op.modelName || !op.fieldName) return { reason: 'the model\'s history is not known from the workspace\'s migrations' };
  if (!field || field.hasSplat) return { reason: 'the field definition cannot be read statically' };
  const after = fieldInfo(field, migration.appLabel);
  if (after.isRelation || !after.hasColumn) return { reason: 'the field is a relation: its backfill would need a row to point at' };
  if (after.unique !== false || after.dbIndex !== false) return { reason: 'the field is indexed or unique: add its index concurrently, in a migration of its own' };
  const defaultNode = field.keywords.get('default');
  const value = defaultNode ? sqlLiteral(defaultNode) : undefined;
  if (!defaultNode || value === undefined) return { reason: 'the field has no literal `default=` to backfill the existing rows with' };
  const primaryKey = [...model.fields].find(([, state]) => state?.info?.primaryKey === true);
  const pkType = primaryKey?.[1]?.info ? columnType(primaryKey[1].info) : undefined;
  if (!primaryKey || !pkType || !['integer', 'bigint', 'smallint'].includes(pkType.base)) return { reason: 'the model\'s primary key is not an integer known from the workspace\'s migrations: the batches walk integer primary keys' };
  const table = tableOf(model);
  const column = columnOf(op.fieldName, after);
  const pkColumn = columnOf(primaryKey[0], primaryKey[1]!.info);
  const type = columnType(after);
  if (table === 'unknown' || column === 'unknown' || pkColumn === 'unknown' || !type) return { reason: 'the table, the column or its type is not known statically' };

  // Step 1: the AddField, nullable and without the default: `null=True` first, then, in the text re-parsed, the
  // `default=` removed (two edits of one argument list would overlap).
  const nullArgument = field.keywordNodes.get('null');
  const nullEdit = nullArgument ? replaceKeywordValue(nullArgument, 'True') : insertKeywordArgument(ctx.text, field.node, 'null', 'True');
  if (!nullEdit) return { reason: 'the field definition cannot take `null=True`' };
  const withNull = applyEdits(ctx.text, [nullEdit]);
  const grown = withNull.length - ctx.text.length;
  const nullable = withoutDefault(withNull, field.node.startIndex, field.node.endIndex + grown, op.node.startIndex, op.node.endIndex + grown);
  if (nullable === undefined) return { reason: 'the field definition\'s `default=` cannot be removed' };
  const addColumn = `ALTER TABLE ${sqlName(table)} ADD COLUMN ${sqlName(column)} ${formatColumnType(type)} NULL`;

  // Step 2: the batched backfill.
  const batchLock = CLAIMS['DataMigration.update'].locks.table;
  const modelClass = op.modelName.charAt(0).toUpperCase() + op.modelName.slice(1);
  const functionName = `backfill_${op.modelName}_${op.fieldName.toLowerCase()}`;
  const q = ctx.str;
  const definition = [
    `def ${functionName}(apps, schema_editor):`,
    `    # The rows without a value, ${BATCH} primary keys at a time: each batch commits on its own (atomic = False).`,
    `    ${modelClass} = apps.get_model(${q(migration.appLabel)}, ${q(op.modelName)})`,
    `    last = ${modelClass}.objects.aggregate(last=models.Max(${q('pk')}))[${q('last')}] or 0`,
    `    for start in range(0, last + 1, ${BATCH}):`,
    `        ${modelClass}.objects.filter(pk__gte=start, pk__lt=start + ${BATCH}, ${op.fieldName}__isnull=True).update(${op.fieldName}=${defaultNode.text})`,
  ].join('\n');

  // Steps 3–5: MG106's route, with the original field as the AlterField's.
  const preserveDefault = argument(op, 'preserve_default');
  const alterKeywords: [string, string][] = [
    ['model_name', argument(op, 'model_name')?.text ?? q(op.modelName)],
    ['name', argument(op, 'name')?.text ?? q(op.fieldName)],
    ['field', nodeSource(ctx.text, field.node)],
    ...(preserveDefault ? [['preserve_default', preserveDefault.text] as [string, string]] : []),
  ];
  const notNull = notNullSteps(ctx, {
    model, modelName: alterKeywords[0][1], modelKey: op.modelName, fieldName: op.fieldName, after,
    alterField: call('migrations.AlterField', alterKeywords), copied: importsUsedBy(ctx.root, op.node), firstStep: 3,
  });
  if (!Array.isArray(notNull)) return notNull;
  return {
    title: `add \`${op.fieldName}\` nullable, backfill it in batches, then make it NOT NULL through a validated CHECK`,
    current: {
      operations: [{ source: nullable, fragment: `${op.modelName}_${op.fieldName.toLowerCase()}` }],
      imports: [],
      database: [{ sql: addColumn, claim: 'AddField.nullable' }],
      notes: [
        `Adds \`${column}\` nullable and without a default: the code still running inserts rows without it, which stay valid.`,
        claimNote('AddField.nullable'),
        'Deploy it with the code that writes the field (models.py already has it NOT NULL, with its default).',
      ],
    },
    followUps: [
      {
        operations: [{ source: call('migrations.RunPython', [['code', functionName], ['reverse_code', 'migrations.RunPython.noop']]), fragment: `backfill_${op.modelName}_${op.fieldName.toLowerCase()}` }],
        imports: [DJANGO_MODELS],
        database: [],
        python: [{ sql: `UPDATE ${sqlName(table)} SET ${sqlName(column)} = ${value} WHERE (${sqlName(table)}.${sqlName(pkColumn)} >= $1 AND ${sqlName(table)}.${sqlName(pkColumn)} < $2 AND ${sqlName(table)}.${sqlName(column)} IS NULL)`, claim: 'DataMigration.update', batch: BATCH }],
        definitions: [definition],
        nonAtomic: true,
        notes: [
          `Fills \`${column}\` with ${defaultNode.text} where it is NULL (the rows that existed and those the old code inserted), in batches of ${BATCH} primary keys.`,
          `Each batch's \`UPDATE\` blocks ${BLOCKS[batchLock]}; ${ROW_LOCKS}: outside a transaction (atomic = False), each batch commits on its own.`,
          'Deploy it only once the code of step 1 runs everywhere: the old code may still insert NULL until then.',
        ],
      },
      ...notNull,
    ],
  };
}

export const addNotNullRewrite: RewriteRule = { code: 'MG201', kinds: ['AddField'], plan };
