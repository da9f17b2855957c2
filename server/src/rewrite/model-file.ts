// The files a rename's rewrite reads and edits besides the migration: the earlier migration that last defined the
// field (its definition is copied, with `db_column=`), and the app's `models.py` (its field gets the same
// `db_column=`, so `makemigrations` finds nothing to change). Read from disk; found statically or not at all.
import type { SourceLocation } from '../analysis/summary';
import { parsePython, type Node } from '../base/parser';
import { detectEol, indentationAt } from '../base/text';
import { insertKeywordArgument } from '../fixes/edits';
import { findModelField, modelsPathOf } from '../fixes/model-field';
import type { Edit } from '../fixes/types';
import { editedSource, importsUsedBy, nodeSpanning, type ImportName, type NotOffered } from './planner';

/** An edit of a file other than the migration. */
export interface FileEdit {
  path: string;
  /** The text the edits apply to (as read). */
  text: string;
  edits: Edit[];
}

/** The `models.X(...)` call of a field state's location: a CreateModel `("name", field)` pair, or an AddField/AlterField call. */
function definitionCall(node: Node): Node | undefined {
  if (node.type === 'tuple') return node.namedChildren[1] ?? undefined;
  if (node.type !== 'call') return undefined;
  const args = node.childForFieldName('arguments')?.namedChildren.filter((child): child is Node => !!child) ?? [];
  const keyword = args.find((arg) => arg.type === 'keyword_argument' && arg.childForFieldName('name')?.text === 'field');
  return keyword ? keyword.childForFieldName('value') ?? undefined : args.filter((arg) => arg.type !== 'keyword_argument')[2];
}

/**
 * The field's definition where it was last defined, with `db_column=<column>` added (lines dedented), and the
 * names it uses from that file's imports.
 */
export function definitionWithColumn(location: SourceLocation, column: string, readFile: (path: string) => string | undefined): { source: string; imports: ImportName[] } | NotOffered {
  const text = readFile(location.path);
  if (text === undefined) return { reason: 'the migration that defines the field cannot be read' };
  const source = { text };
  const tree = parsePython(source.text);
  try {
    const found = nodeSpanning(tree.rootNode, location.range.start, location.range.end);
    const call = found && definitionCall(found);
    if (!call || call.type !== 'call') return { reason: 'the field\'s definition is not a call that can be copied' };
    if (/\bdb_column\s*=/.test(call.text)) return { reason: 'the field\'s definition already sets `db_column`' };
    const edit = insertKeywordArgument(source.text, call, 'db_column', column);
    if (!edit) return { reason: 'the field\'s definition cannot take `db_column=`' };
    const used = importsUsedBy(tree.rootNode, call);
    if (used.statements.length) return { reason: `the field's definition uses \`${used.statements[0]}\`, which the rewrite does not copy` };
    return { source: editedSource(source.text, edit, call.startIndex, call.endIndex), imports: used.names };
  } finally {
    tree.delete();
  }
}

/** `models.py` of the migration's app: the edit that adds `db_column=<column>` to `field` of class `model`. */
export function modelFieldEdit(migrationPath: string, model: string, field: string, column: string, readFile: (path: string) => string | undefined): FileEdit | NotOffered {
  const path = modelsPathOf(migrationPath);
  const found = findModelField(migrationPath, model, field, ['db_column'], readFile);
  if (!found) return { reason: `\`${field} = …(…)\` of class \`${model}\` is not found once in ${path}: the model must get \`db_column\` too` };
  if (found.keywords.has('db_column')) return { reason: `\`${field}\` in models.py already sets \`db_column\`` };
  const edit = found.setKeyword('db_column', column);
  if (!edit) return { reason: `\`${field}\` in ${path}: \`db_column\` cannot be added to its call` };
  return { path, text: found.text, edits: edit.edits };
}

/**
 * `models.py` of the migration's app: the edit that sets `db_table = <table>` in the Meta of class `model` (a line
 * added to its `class Meta:`, or a `class Meta:` added at the end of the class body).
 */
export function modelMetaEdit(migrationPath: string, model: string, table: string, readFile: (path: string) => string | undefined): FileEdit | NotOffered {
  const path = modelsPathOf(migrationPath);
  const text = readFile(path);
  if (text === undefined) return { reason: `${path} cannot be read: the model must get \`db_table\` too` };
  const tree = parsePython(text);
  try {
    const classes = tree.rootNode.namedChildren.filter((node): node is Node => node?.type === 'class_definition'
      && node.childForFieldName('name')?.text.toLowerCase() === model.toLowerCase());
    const body = classes.length === 1 ? classes[0].childForFieldName('body') : undefined;
    if (!body || body.startPosition.row === classes[0].startPosition.row) return { reason: `class \`${model}\` is not found once in ${path} (with its body on lines of its own): the model must get \`db_table\` too` };
    const eol = detectEol(text);
    const metas = body.namedChildren.filter((node): node is Node => node?.type === 'class_definition' && node.childForFieldName('name')?.text === 'Meta');
    if (metas.length > 1) return { reason: `class \`${model}\` in ${path} has more than one \`class Meta\`` };
    const meta = metas[0];
    if (meta) {
      const metaBody = meta.childForFieldName('body');
      if (!metaBody || metaBody.startPosition.row === meta.startPosition.row) return { reason: `the \`class Meta\` of \`${model}\` in ${path} is written on one line` };
      if (/\bdb_table\b/.test(metaBody.text)) return { reason: `the \`class Meta\` of \`${model}\` in ${path} already sets \`db_table\`` };
      const indent = indentationAt(text, metaBody.startIndex);
      return { path, text, edits: [{ start: metaBody.endIndex, end: metaBody.endIndex, text: `${eol}${indent}db_table = ${table}` }] };
    }
    const indent = indentationAt(text, body.startIndex);
    return { path, text, edits: [{ start: body.endIndex, end: body.endIndex, text: `${eol}${eol}${indent}class Meta:${eol}${indent}    db_table = ${table}` }] };
  } finally {
    tree.delete();
  }
}
