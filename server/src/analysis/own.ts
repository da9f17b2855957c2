// Lookups in constant tables by text from the user's files: `migrations.constructor(…)` or
// `models.toString()` must find nothing, not Object's own methods.

/** `table[key]` when `key` is the table's own entry, else undefined. */
export function own<T>(table: Readonly<Record<string, T>>, key: string): T | undefined {
  return Object.hasOwn(table, key) ? table[key] : undefined;
}
