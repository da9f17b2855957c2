// What the MG1xx/MG2xx rules, the hover and the lock claims ask about one operation: its table and column named
// as the replayed state knows them, the field before and after it, and what this migration holds already.
import type { Range } from '../base/text';
import { argument, columnName, databaseOperations, isNewTable, tableName, type Migration, type Operation } from './migration';
import { literal } from './syntax';
import { knownField, tableOf, type OperationState, type ProjectState } from './state';
import { fieldInfo, type FieldInfo, type Known, type MigrationSummary, type SourceLocation } from './summary';

/** Another place involved in a finding: the earlier migration that defined a field, the settings entry. */
export interface RelatedLocation {
  path: string;
  range: Range;
  /** Source text of that file, for computing positions; read from disk when absent. */
  text?: string;
  message: string;
}

/** The part of a rule's context these helpers read (a RuleContext is one). */
export interface OperationContext {
  migration?: Migration;
  project?: {
    stateBefore: ProjectState;
    before(op: Operation): OperationState;
    summary?: MigrationSummary;
  };
}

/** The table an operation works on: the model's `db_table` when the state knows it, else Django's `app_model`. */
export function tableFor(ctx: OperationContext, op: Operation): string {
  const model = ctx.project?.before(op).model;
  const known = model && !model.uncertain ? tableOf(model) : 'unknown';
  if (known !== 'unknown' && !ctx.migration!.createdModels.has(op.modelName ?? '')) return known;
  // RenameModel names its model by `old_name`: the table is still the old one's.
  const renamed = op.kind === 'RenameModel' ? literal(argument(op, 'old_name')) : undefined;
  return tableName(ctx.migration!, renamed?.kind === 'string' ? renamed.value.toLowerCase() : op.modelName);
}

/** The table of `app.model` (a relation's target, a referencing model) in the state before the migration. */
export function tableOfModel(ctx: OperationContext, key: Known<string> | undefined): string | undefined {
  if (!key || key === 'unknown' || key === '__auth_user_model__') return undefined;
  const migration = ctx.migration!;
  const [app, name] = key.split('.');
  const created = app === migration.appLabel ? migration.createdModels.get(name) : undefined;
  if (created) return created.dbTable ?? `${app}_${name}`;
  const model = ctx.project?.stateBefore.get(key);
  const table = model && !model.deleted && !model.uncertain ? tableOf(model) : 'unknown';
  return table === 'unknown' ? undefined : table;
}

/** `shop_order.note`, with the table from the state when known. */
export function columnFor(ctx: OperationContext, op: Operation): string {
  return op.modelName ? `${tableFor(ctx, op)}.${op.fieldName ?? '?'}` : columnName(ctx.migration!, op);
}

export interface PreviousField {
  info: FieldInfo;
  location: SourceLocation;
}

/** The field's definition just before `op`; undefined when its history is unknown or untrustworthy. */
export function previousField(ctx: OperationContext, op: Operation): PreviousField | undefined {
  const state = ctx.project?.before(op);
  const info = state ? knownField(state) : undefined;
  return info && state?.field ? { info, location: state.field.location } : undefined;
}

/** The field an `AddField`/`AlterField` defines, as plain data; undefined when it cannot be read completely. */
export function newField(ctx: OperationContext, op: Operation): FieldInfo | undefined {
  return op.field && !op.field.hasSplat ? fieldInfo(op.field, ctx.migration!.appLabel) : undefined;
}

/** Related information pointing at the earlier definition of a field. */
export function definedAt(previous: PreviousField, fieldName: string, detail = ''): RelatedLocation[] {
  return [{ path: previous.location.path, range: previous.location.range, message: `\`${fieldName}\` was last defined here${detail}` }];
}

/** Sets of `*_together` that `after` has and `before` had not (field order matters: it is the index's). */
export function addedSets(before: Known<string[][]> | undefined, after: Known<string[][]> | undefined): string[][] | undefined {
  if (!Array.isArray(before) || !Array.isArray(after)) return undefined;
  const known = new Set(before.map((set) => set.join('\0')));
  return after.filter((set) => !known.has(set.join('\0')));
}

export function formatSets(sets: string[][]): string {
  return sets.map((set) => `(${set.join(', ')})`).join(', ');
}

/** `AlterField` operations that turn a nullable column (known from the history) into NOT NULL. */
export function becomesNotNull(ctx: OperationContext): { op: Operation; before: PreviousField }[] {
  const migration = ctx.migration!;
  const found: { op: Operation; before: PreviousField }[] = [];
  for (const op of databaseOperations(migration, 'AlterField')) {
    if (isNewTable(migration, op) || !op.fieldName) continue;
    const before = previousField(ctx, op);
    const after = newField(ctx, op);
    if (!before || !after || !after.hasColumn || !before.info.hasColumn) continue;
    if (before.info.null === true && after.null === false) found.push({ op, before });
  }
  return found;
}
