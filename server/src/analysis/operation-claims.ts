// Which rows of the claims table an operation is: what Django runs for it, decided from the operation and the
// replayed state, with the tables named as the state knows them. The hover, MG110 and MG305 read it; the MG1xx
// rules pick the same rows for the cases they report.
import { CLAIMS, type Claim, type ClaimId, type ClaimTables, type LockMode } from './claims';
import { columnType, typeChange } from './column-types';
import { argument, type Migration, type Operation } from './migration';
import { callArguments, dottedName, qualify, type CallArguments } from './syntax';
import { addedSets, newField, previousField, tableFor, tableOfModel, type OperationContext } from './operation-context';
import type { Config } from '../config/defaults';
import type { ModelState } from './state';
import type { FieldInfo } from './summary';
import { volatileExpression } from './volatile';
import { Memo } from '../base/memo';

/** What the claims depend on: the PostgreSQL and Django versions of the project (config). */
export type Versions = Pick<Config, 'postgresVersion' | 'djangoVersion'>;

export interface OperationClaim {
  id: ClaimId;
  claim: Claim;
  tables: ClaimTables;
}

/** `AlterField` attributes Django compares before it runs any SQL (BaseDatabaseSchemaEditor._field_should_be_altered). */
export const DATABASE_ATTRIBUTES: (keyof FieldInfo)[] = [
  'type', 'hasColumn', 'null', 'unique', 'dbIndex', 'primaryKey', 'dbConstraint', 'hasDbDefault', 'dbColumn',
  'maxLength', 'maxDigits', 'decimalPlaces', 'to',
];

/** True when the history shows no difference the database sees (only `default`, `choices`, `help_text`…). */
export function changesNothingInDatabase(before: FieldInfo, after: FieldInfo): boolean {
  return DATABASE_ATTRIBUTES.every((key) => before[key] !== 'unknown' && after[key] !== 'unknown' && before[key] === after[key]);
}

/** A relation field that has a database constraint (`db_constraint` not False). */
function constrained(info: FieldInfo | undefined): boolean {
  return !!info && info.isRelation && info.hasColumn && info.dbConstraint !== false;
}

/** The model's validated `CHECK (column IS NOT NULL)`, which lets PostgreSQL 12+ skip SET NOT NULL's scan. */
export function hasValidatedNotNullCheck(model: ModelState | undefined, fieldName: string): boolean {
  return !!model?.constraints.some((c) => c.kind === 'CheckConstraint' && c.notNullField === fieldName && c.validated === true);
}

function addFieldClaim(ctx: OperationContext, op: Operation, info: FieldInfo): ClaimId | undefined {
  if (!info.hasColumn) return info.type === 'ManyToManyField' ? 'AddField.manyToMany' : undefined;
  if (constrained(info)) {
    // Rows are checked only when the new column has values: a default fills every row.
    if (info.hasDefault || info.hasDbDefault) return 'AddField.foreignKeyWithDefault';
    return info.dbIndex === false ? 'AddField.foreignKeyNoIndex' : 'AddField.foreignKey';
  }
  if (info.unique === true && info.primaryKey !== true) return 'AddField.unique';
  if (info.dbIndex === true) return 'AddField.dbIndex';
  if (info.hasDbDefault) {
    const dbDefault = op.field?.keywords.get('db_default');
    if (dbDefault && volatileExpression(dbDefault, ctx.migration!.imports)) return 'AddField.volatileDbDefault';
    return 'AddField.constantDbDefault';
  }
  return info.null === true ? 'AddField.nullable' : 'AddField.notNullWithDefault';
}

/** Every change an `AlterField` makes that runs SQL, strongest first; [] for none; undefined when unknown. */
function alterFieldClaims(ctx: OperationContext, op: Operation, versions: Versions): ClaimId[] | undefined {
  const before = previousField(ctx, op)?.info;
  const after = newField(ctx, op);
  if (!before || !after || !op.fieldName || !before.hasColumn || !after.hasColumn) return undefined;
  if (changesNothingInDatabase(before, after)) return ['AlterField.defaultOnly'];
  const ids: ClaimId[] = [];
  const from = columnType(before);
  const to = columnType(after);
  if (from && to) {
    const change = typeChange(from, to);
    if (change === 'rewrite') ids.push(from.base === 'varchar' && to.base === 'varchar' ? 'AlterField.varcharShorter' : 'AlterField.type');
    else if (change === 'metadata') ids.push(to.base === 'numeric' ? 'AlterField.decimalPrecision' : to.base === 'text' ? 'AlterField.varcharToText' : 'AlterField.varcharLonger');
  } else if (before.type !== after.type && !(before.isRelation && after.isRelation)) {
    return undefined; // a type we cannot map: no claim rather than a wrong one
  }
  if (before.null === true && after.null === false) {
    const model = ctx.project?.before(op).model;
    if (versions.postgresVersion >= 12 && hasValidatedNotNullCheck(model, op.fieldName)) ids.push('AlterField.setNotNullAfterValidatedCheck');
    else ids.push(after.hasDefault ? 'AlterField.setNotNullWithDefault' : 'AlterField.setNotNull');
  } else if (before.null === false && after.null === true) {
    ids.push('AlterField.dropNotNull');
  }
  if (after.unique === true && before.unique === false && after.primaryKey !== true) ids.push('AlterField.unique');
  // Django's truth table (_alter_field): an index is created when the new field has db_index and no unique,
  // and the old one had no index or had it through unique.
  else if (after.dbIndex === true && after.unique === false && after.primaryKey === false && (before.dbIndex === false || before.unique === true)) ids.push('AlterField.dbIndex');
  if (constrained(after) && (!before.isRelation || before.dbConstraint === false || before.to !== after.to)) ids.push('AlterField.foreignKeyConstraint');
  return ids;
}

/** Django creates a conditional, expression, INCLUDE or opclass `UniqueConstraint` as `CREATE UNIQUE INDEX`. */
export function uniqueConstraintIsIndex(args: CallArguments): boolean {
  return args.positional.length > 0 || ['condition', 'include', 'opclasses', 'expressions'].some((key) => args.keywords.has(key));
}

/** Models of the state (before `op`) with a constrained foreign key to `key`. */
function referencingModels(ctx: OperationContext, key: string): ModelState[] {
  const found: ModelState[] = [];
  for (const model of ctx.project?.stateBefore.values() ?? []) {
    if (model.deleted || model.key === key) continue;
    if ([...model.fields.values()].some((field) => constrained(field.info) && field.info!.to === key)) found.push(model);
  }
  return found;
}

function outgoingTarget(model: ModelState | undefined): string | undefined {
  for (const field of model?.fields.values() ?? []) if (constrained(field.info) && typeof field.info!.to === 'string') return field.info!.to;
  return undefined;
}

function claimIds(ctx: OperationContext, op: Operation, versions: Versions): { ids: ClaimId[]; referenced?: string; referencing?: string } | undefined {
  const migration = ctx.migration!;
  const model = ctx.project?.before(op).model;
  switch (op.kind) {
    case 'AddIndex':
    case 'AddIndexConcurrently':
    case 'RemoveIndex':
    case 'RemoveIndexConcurrently':
    case 'RenameField':
    case 'AddConstraintNotValid':
    case 'ValidateConstraint':
    case 'RemoveConstraint':
    case 'AlterOrderWithRespectTo':
      return { ids: [op.kind] };
    case 'AddField': {
      const info = newField(ctx, op);
      const id = info && addFieldClaim(ctx, op, info);
      return id ? { ids: [id], referenced: info?.to === 'unknown' ? undefined : info?.to } : undefined;
    }
    case 'AlterField': {
      const ids = alterFieldClaims(ctx, op, versions);
      const to = newField(ctx, op)?.to;
      return ids ? { ids, referenced: to === 'unknown' ? undefined : to } : undefined;
    }
    case 'RemoveField': {
      const before = previousField(ctx, op)?.info;
      if (before && !before.hasColumn) return undefined;
      return constrained(before) && typeof before!.to === 'string' ? { ids: ['RemoveField.foreignKey'], referenced: before!.to } : { ids: ['RemoveField'] };
    }
    case 'AddConstraint': {
      const constraint = argument(op, 'constraint');
      if (constraint?.type !== 'call') return undefined;
      const name = qualify(dottedName(constraint.childForFieldName('function')) ?? '', migration.imports).split('.').pop();
      if (name === 'CheckConstraint') return { ids: ['AddConstraint.check'] };
      if (name === 'ExclusionConstraint') return { ids: ['AddConstraint.exclusion'] };
      if (name !== 'UniqueConstraint') return undefined;
      const args = callArguments(constraint);
      return { ids: [uniqueConstraintIsIndex(args) ? (args.keywords.has('condition') ? 'AddConstraint.uniqueCondition' : 'AddConstraint.uniqueIndex') : 'AddConstraint.unique'] };
    }
    case 'DeleteModel': {
      const target = outgoingTarget(model);
      return target ? { ids: ['DeleteModel.withForeignKey'], referenced: target } : { ids: ['DeleteModel'] };
    }
    case 'RenameModel': {
      if (!model) return { ids: ['RenameModel'] };
      const referencing = referencingModels(ctx, model.key)[0];
      if (model.dbTable === undefined) return referencing ? { ids: ['RenameModel.withIncomingForeignKey'], referencing: referencing.key } : { ids: ['RenameModel'] };
      // A pinned db_table: no RENAME. Django 3.2 still re-creates the foreign keys to it; 5.2 runs nothing
      // (both verified); the versions between are not, so they get no claim.
      if (!referencing || model.dbTable === 'unknown') return referencing ? undefined : { ids: ['RenameModel.pinnedTable'] };
      const [major, minor] = versions.djangoVersion;
      if (major > 5 || (major === 5 && minor >= 2)) return { ids: ['RenameModel.pinnedTable'] };
      return major < 4 || (major === 4 && minor === 0) ? { ids: ['RenameModel.pinnedTableWithIncomingForeignKey'], referencing: referencing.key } : undefined;
    }
    case 'AlterModelTable':
      return { ids: ['AlterModelTable'] };
    case 'AlterUniqueTogether':
    case 'AlterIndexTogether': {
      const together = ctx.project?.summary?.operations[op.index]?.together;
      const current = op.kind === 'AlterUniqueTogether' ? model?.uniqueTogether : model?.indexTogether;
      const added = model && !model.uncertain ? addedSets(current, together) : undefined;
      return added?.length ? { ids: [op.kind] } : undefined;
    }
    case 'CreateModel': {
      const target = ctx.project?.summary?.operations[op.index]?.fields?.map((field) => field.info).find((info) => constrained(info) && typeof info!.to === 'string' && !info!.to.startsWith(`${migration.appLabel}.${op.modelName}`))?.to;
      return target && tableOfModel(ctx, target) ? { ids: ['CreateModel.withForeignKey'], referenced: target } : undefined;
    }
    default:
      return undefined;
  }
}

/** Claims per operation, for one lint (the same migration, project and versions): MG110, MG305 and MG101's exclusive holder ask. */
const claimsByOperation = new Memo<Operation, { migration: unknown; project: unknown; versions: Versions; claims: OperationClaim[] | undefined }>();

/**
 * The claims of a database operation, strongest first (an `AlterField` may do several things); [] when Django
 * runs no SQL for it; undefined when what it does cannot be known from the workspace (no claim rather than a
 * wrong one). State-only operations run no SQL.
 */
export function operationClaims(ctx: OperationContext, op: Operation, versions: Versions): OperationClaim[] | undefined {
  const cached = claimsByOperation.get(op);
  if (cached && cached.migration === ctx.migration && cached.project === ctx.project && cached.versions === versions) return cached.claims;
  const claims = claimsOf(ctx, op, versions);
  claimsByOperation.set(op, { migration: ctx.migration, project: ctx.project, versions, claims });
  return claims;
}

function claimsOf(ctx: OperationContext, op: Operation, versions: Versions): OperationClaim[] | undefined {
  if (op.scope === 'state') return [];
  const found = claimIds(ctx, op, versions);
  if (!found) return undefined;
  const table = op.kind === 'CreateModel' ? undefined : tableFor(ctx, op);
  const tables: ClaimTables = {
    table,
    referenced: tableOfModel(ctx, found.referenced),
    referencing: found.referencing ? tableOfModel(ctx, found.referencing) : undefined,
  };
  return found.ids.map((id) => ({ id, claim: CLAIMS[id], tables }));
}

/** The strongest lock any of the claims takes on any table. */
export function strongestLock(claims: readonly OperationClaim[]): LockMode | undefined {
  const order: LockMode[] = ['ROW EXCLUSIVE', 'SHARE UPDATE EXCLUSIVE', 'SHARE', 'SHARE ROW EXCLUSIVE', 'ACCESS EXCLUSIVE'];
  let best = -1;
  for (const { claim } of claims) for (const mode of Object.values(claim.locks)) best = Math.max(best, order.indexOf(mode));
  return best >= 0 ? order[best] : undefined;
}

/** Whether the operation takes ACCESS EXCLUSIVE on its own table (what an atomic migration then holds to the end). */
export function locksTableExclusively(claims: readonly OperationClaim[] | undefined): boolean {
  return !!claims?.some(({ claim }) => claim.locks.table === 'ACCESS EXCLUSIVE');
}

/** An earlier operation of this atomic migration that already holds ACCESS EXCLUSIVE on `op`'s table. */
export function exclusiveHolder(ctx: OperationContext, migration: Migration, op: Operation, versions: Versions): Operation | undefined {
  if (migration.atomic === false || !op.modelName) return undefined;
  return migration.operations.find((other) => other.index < op.index && other.scope !== 'state' && other.modelName === op.modelName
    && locksTableExclusively(operationClaims(ctx, other, versions)));
}
