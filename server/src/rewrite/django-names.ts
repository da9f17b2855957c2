// The names Django's schema editor gives the constraints it creates (django/db/backends/base/schema.py
// `_create_index_name` and `_fk_constraint_name`, the same in Django 3.2 and 5.2), so a constraint a rewrite creates
// with raw SQL has the name Django would have given it: the schema is the one `migrate` of the original gives.
import { createHash } from 'node:crypto';

/** PostgreSQL's `max_name_length()`. */
export const MAX_NAME_LENGTH = 63;

/** Django's `names_digest(*args, length=8)`: the md5 of the names concatenated, hex, first 8 characters. */
function namesDigest(names: string[]): string {
  const hash = createHash('md5');
  for (const name of names) hash.update(name, 'utf8');
  return hash.digest('hex').slice(0, 8);
}

/** Django's `_create_index_name(table, columns, suffix)` for PostgreSQL. */
export function djangoIndexName(table: string, columns: string[], suffix: string): string {
  let hashSuffix = `${namesDigest([table, ...columns])}${suffix}`;
  const full = `${table}_${columns.join('_')}_${hashSuffix}`;
  if (full.length <= MAX_NAME_LENGTH) return full;
  if (hashSuffix.length > MAX_NAME_LENGTH / 3) hashSuffix = hashSuffix.slice(0, Math.floor(MAX_NAME_LENGTH / 3));
  const other = Math.floor((MAX_NAME_LENGTH - hashSuffix.length) / 2) - 1;
  const name = `${table.slice(0, other)}_${columns.join('_').slice(0, other)}_${hashSuffix}`;
  return name.startsWith('_') || /^\d/.test(name) ? `D${name.slice(0, -1)}` : name;
}

/** The name of the foreign key constraint Django adds for `table.column` → `toTable.toColumn`. */
export function djangoForeignKeyName(table: string, column: string, toTable: string, toColumn: string): string {
  return djangoIndexName(table, [column], `_fk_${toTable}_${toColumn}`);
}
