// The tables a RunSQL statement touches, as the rules name them: the table as PostgreSQL resolved it and, when a
// model of the project state has it as its `db_table` (or Django's `app_model`), that model too.
import type { OperationContext } from './operation-context';
import { forwardStatements, type MigrationStatement } from './sql';
import type { SqlAction, TableRef } from './sql-classify';
import { tableOf } from './state';

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
