// Parsed field definitions: `models.CharField(max_length=10, null=True)` → what the rules need to know.
import type { Node } from '../base/parser';
import { callArguments, dottedName, literal, qualify, type Literal } from './syntax';

export interface FieldDefinition {
  node: Node;
  /** Last segment of the class name: `CharField`, `ForeignKey`, `ArrayField`, or a custom class. */
  type: string;
  qualifiedType: string;
  /** Keyword arguments as written. */
  keywords: Map<string, Node>;
  keywordNodes: Map<string, Node>;
  argumentList: Node | null;
  /** Known values: true/false, or undefined when the argument is absent, `unknown` when not a literal. */
  null: boolean | 'unknown';
  primaryKey: boolean | 'unknown';
  unique: boolean | 'unknown';
  dbIndex: boolean | 'unknown';
  /** `ForeignKey` and `OneToOneField` always get an index unless `db_index=False`. */
  hasDefault: boolean;
  /** A database default other than NULL: `db_default=None` (or `Value(None)`) gives the column none. */
  hasDbDefault: boolean;
  /** `db_default=None` written out: a NOT NULL column whose database default is NULL. */
  dbDefaultIsNull: boolean;
  dbColumn?: Literal;
  maxLength?: Literal;
  /** Related model for relation fields, as written (`"shop.Customer"`, `settings.AUTH_USER_MODEL`). */
  to?: Node;
  dbConstraint: boolean | 'unknown';
  isRelation: boolean;
  hasSplat: boolean;
}

const FIELD_CLASS = /^[A-Z]\w*(Field|ForeignKey|ForeignObject)$/;
const RELATIONS = new Set(['ForeignKey', 'OneToOneField']);
/** Fields whose column is NOT NULL-free by construction (no column on the model's table). */
const NO_COLUMN = new Set(['ManyToManyField', 'GenericRelation', 'GenericForeignKey']);

function flag(node: Node | undefined, fallback: boolean): boolean | 'unknown' {
  if (!node) return fallback;
  const value = literal(node);
  return value.kind === 'bool' ? value.value : 'unknown';
}

/** `None`, or `Value(None)` (django.db.models.Value): SQL NULL. */
function isNullExpression(node: Node | undefined, imports: Map<string, string>): boolean {
  if (!node) return false;
  if (literal(node).kind === 'none') return true;
  if (node.type !== 'call') return false;
  const callee = qualify(dottedName(node.childForFieldName('function')) ?? '', imports);
  const args = callArguments(node);
  return /(^|\.)Value$/.test(callee) && args.positional.length === 1 && literal(args.positional[0]).kind === 'none';
}

/** Returns undefined when `node` is not a call (a variable, a function result…): nothing can be known. */
export function parseField(node: Node | null | undefined, imports: Map<string, string>): FieldDefinition | undefined {
  if (!node || node.type !== 'call') return undefined;
  const name = dottedName(node.childForFieldName('function'));
  if (!name) return undefined;
  const qualifiedType = qualify(name, imports);
  const type = qualifiedType.split('.').pop()!;
  // `make_field()` is a function call, not a field class: nothing is known about what it returns.
  if (!FIELD_CLASS.test(type) && !qualifiedType.startsWith('django.')) return undefined;
  const args = callArguments(node);
  const kw = args.keywords;
  const isRelation = RELATIONS.has(type);
  return {
    node,
    type,
    qualifiedType,
    keywords: kw,
    keywordNodes: args.keywordNodes,
    argumentList: args.list,
    null: flag(kw.get('null'), false),
    primaryKey: flag(kw.get('primary_key'), false),
    unique: flag(kw.get('unique'), type === 'OneToOneField'),
    dbIndex: flag(kw.get('db_index'), isRelation),
    hasDefault: kw.has('default'),
    hasDbDefault: kw.has('db_default') && !isNullExpression(kw.get('db_default'), imports),
    dbDefaultIsNull: kw.has('db_default') && isNullExpression(kw.get('db_default'), imports),
    dbColumn: kw.has('db_column') ? literal(kw.get('db_column')) : undefined,
    maxLength: kw.has('max_length') ? literal(kw.get('max_length')) : undefined,
    to: isRelation ? kw.get('to') ?? args.positional[0] : undefined,
    dbConstraint: flag(kw.get('db_constraint'), true),
    isRelation,
    hasSplat: args.hasSplat,
  };
}

/** True when the field adds a column to its model's table (a ManyToManyField adds a table instead). */
export function hasColumn(field: FieldDefinition): boolean {
  // Subclasses of ManyToManyField (modelcluster's ParentalManyToManyField) make a join table too.
  return !NO_COLUMN.has(field.type) && !field.type.endsWith('ManyToManyField');
}
