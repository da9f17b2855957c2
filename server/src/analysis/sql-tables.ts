// The tables a RunSQL statement touches, as the rules name them: the table as PostgreSQL resolved it and, when a
// model of the project state has it as its `db_table` (or Django's `app_model`), that model too.
import type { OperationContext } from './operation-context';
import { forwardStatements, type MigrationStatement } from './sql';
import type { SqlAction, TableRef } from './sql-classify';
import { columnOf, tableOf, type ModelState } from './state';
import { columnType, type ColumnType } from './column-types';

/** `shop.order`: the model whose table is `key` in the state before the migration. */
export function modelOfTable(ctx: OperationContext, key: string): string | undefined {
  for (const model of ctx.project?.stateBefore.values() ?? []) {
    if (!model.deleted && !model.uncertain && tableOf(model) === key) return model.key;
  }
  return undefined;
}

/** "`shop_order` (model `shop.order`)", or "`shop_order`" when no model has that table. */
export function describeTable(ctx: OperationContext, table: TableRef): string {
  const model = modelOfTable(ctx, table.key);
  return model ? `\`${table.key}\` (model \`${model}\`)` : `\`${table.key}\``;
}

/** A statement of this migration's RunSQL of one kind, on a table that existed before the migration. */
export type ExistingTableStatement<K extends SqlAction['kind']> = MigrationStatement & { action: Extract<SqlAction, { kind: K }> };

/**
 * The forward statements of the given kinds whose table existed before the migration: a table created earlier
 * in it (by CreateModel or CREATE TABLE) is empty, so nothing done to it holds anyone up.
 */
export function existingTableStatements<K extends SqlAction['kind']>(migration: Parameters<typeof forwardStatements>[0], source: string, ...kinds: K[]): ExistingTableStatement<K>[] {
  const found: ExistingTableStatement<K>[] = [];
  for (const item of forwardStatements(migration, source)) {
    const action = item.statement.action;
    if (!(kinds as string[]).includes(action.kind)) continue;
    if ('table' in action && action.table && item.newTables.has(action.table.key)) continue;
    found.push({ ...item, action: action as Extract<SqlAction, { kind: K }> });
  }
  return found;
}

/**
 * The table of an index named in `DROP INDEX` / `REINDEX INDEX`: an index of a model in the state before the
 * migration (`Meta.indexes`, `AddIndex`), or one a `CREATE INDEX` earlier in this migration built. Undefined
 * when neither knows it (a name Django derived for `db_index=True`, an index made in another migration's SQL).
 */
export function tableOfIndex(ctx: OperationContext, migration: Parameters<typeof forwardStatements>[0], source: string, name: string, before: MigrationStatement): string | undefined {
  const bare = name.split('.').at(-1);
  for (const item of forwardStatements(migration, source)) {
    if (item.statement === before.statement) break;
    const action = item.statement.action;
    if (action.kind === 'create-index' && action.name === bare) return action.table.key;
  }
  for (const model of ctx.project?.stateBefore.values() ?? []) {
    if (model.deleted || model.uncertain) continue;
    const table = tableOf(model);
    if (table !== 'unknown' && model.indexes.some((index) => index.name === bare)) return table;
  }
  return undefined;
}

/**
 * The column type of `table`.`column` in the state before the migration, from the model field that has that
 * column; undefined when no single model of the state has the table, or its field's type is not known.
 */
export function columnTypeBefore(ctx: OperationContext, table: string, column: string): ColumnType | undefined {
  const models = [...(ctx.project?.stateBefore.values() ?? [])].filter((model) => !model.deleted && tableOf(model) === table);
  if (models.length !== 1 || models[0].uncertain) return undefined;
  let found: ColumnType | undefined;
  let matches = 0;
  models[0].fields.forEach((field, name) => {
    if (!field.info || columnOf(name, field.info) !== column) return;
    matches++;
    found = columnType(field.info);
  });
  return matches === 1 ? found : undefined;
}

/**
 * Which model of the state before the migration a table belongs to: the model whose table it is, or (a name
 * `<model table>_<field>`, how Django names the table of a ManyToManyField) the model with the longest such
 * prefix. `removed`: that model was deleted from the state earlier (in the database too, or state-only: the first
 * step of the safe route). Undefined when no model of the state has it: its history is not visible.
 */
export function tableOwner(ctx: OperationContext, table: string): { model: ModelState; removed: boolean; manyToMany: boolean } | undefined {
  let found: { model: ModelState; removed: boolean; manyToMany: boolean } | undefined;
  for (const model of ctx.project?.stateBefore.values() ?? []) {
    const own = tableOf(model);
    if (model.uncertain || own === 'unknown') continue;
    if (own === table) {
      if (!found || found.manyToMany || (found.removed && !model.deleted)) found = { model, removed: model.deleted === true, manyToMany: false };
    } else if (table.startsWith(`${own}_`) && (!found || (found.manyToMany && tableOf(found.model).length < own.length))) {
      found = { model, removed: model.deleted === true, manyToMany: true };
    }
  }
  return found;
}

/** Whether a field of `model` in the state has the column `column`. */
export function hasColumn(model: ModelState, column: string): boolean {
  let found = false;
  model.fields.forEach((field, name) => {
    if (field.info?.hasColumn !== false && columnOf(name, field.info) === column) found = true;
  });
  return found;
}
