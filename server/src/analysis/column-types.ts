// The PostgreSQL column type Django gives a field (django/db/backends/postgresql/base.py `data_types`), and
// whether changing one type into another rewrites the table. Only Django's own field classes are mapped:
// anything else (custom fields, relations whose target we would have to resolve) is unknown.
import type { FieldInfo } from './summary';
import { own } from './own';

export interface ColumnType {
  /** `varchar`, `numeric`, `integer`… */
  base: string;
  /** varchar(n); undefined for unbounded varchar. */
  length?: number;
  /** numeric(p, s); both undefined for unbounded numeric. */
  precision?: number;
  scale?: number;
}

/** Field classes whose column type does not depend on their arguments. */
const FIXED: Record<string, string> = {
  AutoField: 'integer',
  BigAutoField: 'bigint',
  SmallAutoField: 'smallint',
  IntegerField: 'integer',
  BigIntegerField: 'bigint',
  SmallIntegerField: 'smallint',
  PositiveIntegerField: 'integer',
  PositiveBigIntegerField: 'bigint',
  PositiveSmallIntegerField: 'smallint',
  FloatField: 'double precision',
  BooleanField: 'boolean',
  NullBooleanField: 'boolean',
  DateField: 'date',
  DateTimeField: 'timestamp with time zone',
  TimeField: 'time',
  DurationField: 'interval',
  UUIDField: 'uuid',
  JSONField: 'jsonb',
  BinaryField: 'bytea',
  TextField: 'text',
  GenericIPAddressField: 'inet',
  IPAddressField: 'inet',
};

/** varchar fields and their default `max_length` (CharField has none: unbounded varchar since Django 4.2). */
const VARCHAR: Record<string, number | undefined> = {
  CharField: undefined,
  EmailField: 254,
  SlugField: 50,
  URLField: 200,
  FileField: 100,
  ImageField: 100,
  FilePathField: 100,
};

/** The column type of a field, or undefined when it cannot be known statically. */
export function columnType(info: FieldInfo): ColumnType | undefined {
  if (info.isRelation || !info.hasColumn) return undefined;
  const fixed = own(FIXED, info.type);
  if (fixed) return { base: fixed };
  if (Object.hasOwn(VARCHAR, info.type)) {
    if (info.maxLength === 'unknown') return undefined;
    const length = info.maxLength ?? VARCHAR[info.type];
    return { base: 'varchar', length };
  }
  if (info.type === 'DecimalField') {
    if (typeof info.maxDigits !== 'number' || typeof info.decimalPlaces !== 'number') return undefined;
    return { base: 'numeric', precision: info.maxDigits, scale: info.decimalPlaces };
  }
  return undefined;
}

export function formatColumnType(type: ColumnType): string {
  if (type.base === 'varchar') return type.length === undefined ? 'varchar' : `varchar(${type.length})`;
  if (type.base === 'numeric') return type.precision === undefined ? 'numeric' : `numeric(${type.precision}, ${type.scale ?? 0})`;
  return type.base;
}

export function sameColumnType(a: ColumnType, b: ColumnType): boolean {
  return formatColumnType(a) === formatColumnType(b);
}

/**
 * How PostgreSQL applies `ALTER COLUMN … TYPE` from `from` to `to`:
 * - `none`: same type, nothing to do;
 * - `metadata`: binary-coercible and not more constrained (longer or unbounded varchar, varchar → text, more
 *   numeric precision at the same scale): only the catalog changes;
 * - `rewrite`: the table and its indexes are rewritten (or at least every row is checked) under ACCESS EXCLUSIVE.
 */
export function typeChange(from: ColumnType, to: ColumnType): 'none' | 'metadata' | 'rewrite' {
  if (sameColumnType(from, to)) return 'none';
  const textual = (t: ColumnType) => t.base === 'varchar' || t.base === 'text';
  if (textual(from) && textual(to)) {
    // Unbounded varchar and text are binary-coercible both ways; a limit may only grow.
    const fromLimit = from.base === 'varchar' ? from.length : undefined;
    const toLimit = to.base === 'varchar' ? to.length : undefined;
    if (toLimit === undefined) return 'metadata';
    return fromLimit !== undefined && toLimit >= fromLimit ? 'metadata' : 'rewrite';
  }
  if (from.base === 'numeric' && to.base === 'numeric') {
    if (to.precision === undefined) return 'metadata';
    if (from.precision === undefined) return 'rewrite';
    return to.scale === from.scale && to.precision >= from.precision ? 'metadata' : 'rewrite';
  }
  return 'rewrite';
}

/**
 * The type an `ALTER COLUMN … TYPE` names, as sql-classify.ts writes it (`varchar(40)`, `text`, `numeric(12,2)`):
 * only the textual and numeric types whose widenings are judged; undefined for the rest.
 */
export function sqlColumnType(text: string): ColumnType | undefined {
  const match = /^(varchar|bpchar|text|numeric)(?:\((\d+)(?:,(\d+))?\))?$/.exec(text);
  if (!match || match[1] === 'bpchar') return undefined;
  const [, base, first, second] = match;
  if (base === 'text') return first === undefined ? { base } : undefined;
  if (base === 'varchar') return { base, length: first === undefined ? undefined : Number(first) };
  return first === undefined ? { base } : { base, precision: Number(first), scale: Number(second ?? 0) };
}

/**
 * The claim (claims.ts) of a change PostgreSQL applies to the catalog only, for the changes a PostgreSQL test
 * verifies (test/postgres/goldens): a longer, or no, varchar limit; varchar(n) → text; text → varchar; more
 * numeric precision at the same scale, or none. Undefined for every other change, which is judged a rewrite.
 */
export function verifiedWidening(from: ColumnType, to: ColumnType): 'AlterField.varcharLonger' | 'AlterField.varcharToText' | 'RunSQL.varcharUnbounded' | 'RunSQL.textToVarchar' | 'AlterField.decimalPrecision' | 'RunSQL.numericUnbounded' | undefined {
  if (typeChange(from, to) !== 'metadata') return undefined;
  if (from.base === 'varchar' && from.length !== undefined) {
    if (to.base === 'varchar') return to.length === undefined ? 'RunSQL.varcharUnbounded' : 'AlterField.varcharLonger';
    if (to.base === 'text') return 'AlterField.varcharToText';
  }
  if (from.base === 'text' && to.base === 'varchar' && to.length === undefined) return 'RunSQL.textToVarchar';
  if (from.base === 'numeric' && from.precision !== undefined && to.base === 'numeric') {
    return to.precision === undefined ? 'RunSQL.numericUnbounded' : 'AlterField.decimalPrecision';
  }
  return undefined;
}
