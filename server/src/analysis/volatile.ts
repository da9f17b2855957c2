// Which `db_default=` expressions compile to a VOLATILE PostgreSQL function (computed per row: a table rewrite).
import type { Node } from '../base/parser';
import { callArguments, dottedName, literal, qualify, walk } from './syntax';

/**
 * Expression classes whose SQL function is VOLATILE: evaluated once per row, so PostgreSQL cannot store one
 * value in the catalog ("fast default", PostgreSQL 11+) and rewrites the table. `Now()` is not among them:
 * `now()`/`CURRENT_TIMESTAMP` is STABLE (one value per transaction).
 */
const VOLATILE_CLASSES = new Set(['RandomUUID', 'Random', 'UUID4', 'UUID7']);

/** VOLATILE PostgreSQL functions named in `Func(function=…)`, `RawSQL(…)` or a `template`. */
const VOLATILE_FUNCTIONS = /\b(random|gen_random_uuid|uuid_generate_v1|uuid_generate_v1mc|uuid_generate_v4|uuidv4|uuidv7|clock_timestamp|timeofday|nextval|setseed)\b/i;

/** The volatile part of a `db_default=` expression, as written (`RandomUUID()`), or undefined. */
export function volatileExpression(node: Node, imports: Map<string, string>): Node | undefined {
  let found: Node | undefined;
  walk(node, (child) => {
    if (found) return false;
    if (child.type !== 'call') return true;
    const name = qualify(dottedName(child.childForFieldName('function')) ?? '', imports).split('.').pop() ?? '';
    if (VOLATILE_CLASSES.has(name)) {
      found = child;
      return false;
    }
    const args = callArguments(child);
    const sqlTexts = [args.keywords.get('function'), args.keywords.get('template'), name === 'RawSQL' ? args.positional[0] ?? args.keywords.get('sql') : undefined];
    for (const text of sqlTexts) {
      const value = literal(text);
      if (value.kind === 'string' && VOLATILE_FUNCTIONS.test(value.value)) {
        found = child;
        return false;
      }
    }
    return true;
  });
  return found;
}
