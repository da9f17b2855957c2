// Edit builders shared by the rules' fixes. Each keeps the file's indentation, quotes and line endings.
import type { Node } from '../base/parser';
import { detectEol, hasLineBreak, indentationAt } from '../base/text';
import type { Migration } from '../analysis/migration';
import type { Edit } from './types';

export function replaceNode(node: Node, text: string): Edit {
  return { start: node.startIndex, end: node.endIndex, text };
}

/** Sorts and drops exact duplicates (two rules asking for the same import). */
export function normalizeEdits(edits: Edit[]): Edit[] {
  const sorted = [...edits].sort((a, b) => a.start - b.start || a.end - b.end);
  return sorted.filter((edit, i) => i === 0 || edit.start !== sorted[i - 1].start || edit.end !== sorted[i - 1].end || edit.text !== sorted[i - 1].text);
}

/**
 * Adds `name=value` to a call's argument list. Multi-line calls get a new line with the arguments' own
 * indentation and a trailing comma if the call uses them; one-line calls get `, name=value`.
 */
export function insertKeywordArgument(text: string, call: Node, name: string, value: string): Edit | undefined {
  const list = call.childForFieldName('arguments');
  if (!list || list.type !== 'argument_list') return undefined;
  const args = list.namedChildren.filter((child): child is Node => !!child && child.type !== 'comment');
  const closing = list.lastChild;
  if (!closing || closing.type !== ')') return undefined;
  const argument = `${name}=${value}`;
  const last = args[args.length - 1];
  if (!last) return { start: closing.startIndex, end: closing.startIndex, text: argument };
  const afterLast = text.slice(last.endIndex, closing.startIndex);
  const hasTrailingComma = /^\s*,/.test(afterLast);
  const multiline = hasLineBreak(text.slice(list.startIndex, closing.startIndex)) && last.startPosition.row > list.startPosition.row;
  if (multiline) {
    const eol = detectEol(text);
    const indent = indentationAt(text, last.startIndex);
    const commaEnd = hasTrailingComma ? last.endIndex + afterLast.indexOf(',') + 1 : last.endIndex;
    return { start: commaEnd, end: commaEnd, text: `${hasTrailingComma ? '' : ','}${eol}${indent}${argument}${hasTrailingComma ? ',' : ''}` };
  }
  if (hasTrailingComma) {
    const commaEnd = last.endIndex + afterLast.indexOf(',') + 1;
    return { start: commaEnd, end: commaEnd, text: ` ${argument},` };
  }
  return { start: last.endIndex, end: last.endIndex, text: `, ${argument}` };
}

/** Replaces the value of an existing `name=value` keyword argument. */
export function replaceKeywordValue(keywordArgument: Node, value: string): Edit | undefined {
  const current = keywordArgument.childForFieldName('value');
  return current ? replaceNode(current, value) : undefined;
}

/**
 * Makes `name` importable from `module`: nothing when it already is, a name appended to an existing
 * `from module import …`, or a new import line after the last top-level import.
 */
export function insertImport(text: string, root: Node, module: string, name: string): Edit | undefined {
  let lastImport: Node | undefined;
  for (const statement of root.namedChildren) {
    if (!statement) continue;
    if (statement.type === 'import_statement' || statement.type === 'import_from_statement' || statement.type === 'future_import_statement') lastImport = statement;
    if (statement.type !== 'import_from_statement' || statement.childForFieldName('module_name')?.text !== module) continue;
    const names = statement.childrenForFieldName('name').filter((n): n is Node => !!n);
    if (names.some((n) => n.text === name)) return undefined;
    const lastName = names[names.length - 1];
    if (lastName) return { start: lastName.endIndex, end: lastName.endIndex, text: `, ${name}` };
  }
  const line = `from ${module} import ${name}`;
  const eol = detectEol(text);
  // Keep isort's order when the file has a plain run of `from … import …` lines.
  const after = root.namedChildren.find((statement) => statement?.type === 'import_from_statement'
    && (statement.childForFieldName('module_name')?.text ?? '') > module && !statement.childForFieldName('module_name')?.text.startsWith('.'));
  if (after && after.startPosition.column === 0) return { start: after.startIndex, end: after.startIndex, text: `${line}${eol}` };
  if (lastImport) return { start: lastImport.endIndex, end: lastImport.endIndex, text: `${eol}${line}` };
  return { start: 0, end: 0, text: `${line}${eol}` };
}

/** Sets a class attribute of the `Migration` class: replaces an existing value or inserts the first line. */
export function setMigrationAttribute(text: string, migration: Migration, name: string, value: string): Edit | undefined {
  for (const statement of migration.body.namedChildren) {
    const assignment = statement?.type === 'expression_statement' ? statement.namedChild(0) : undefined;
    if (assignment?.type === 'assignment' && assignment.childForFieldName('left')?.text === name) {
      const current = assignment.childForFieldName('right');
      if (!current || current.text === value) return undefined;
      return replaceNode(current, value);
    }
  }
  const statements = migration.body.namedChildren.filter((child): child is Node => !!child && child.type !== 'comment');
  const first = statements[0];
  if (!first) return undefined;
  const eol = detectEol(text);
  const indent = indentationAt(text, first.startIndex);
  // After a docstring, so it stays the class's docstring.
  const isDocstring = first.type === 'expression_statement' && first.namedChild(0)?.type === 'string';
  if (isDocstring) return { start: first.endIndex, end: first.endIndex, text: `${eol}${eol}${indent}${name} = ${value}` };
  return { start: first.startIndex, end: first.startIndex, text: `${name} = ${value}${eol}${eol}${indent}` };
}
