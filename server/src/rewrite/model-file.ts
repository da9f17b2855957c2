// The files a rename's rewrite reads and edits besides the migration: the earlier migration that last defined the
// field (its definition is copied, with `db_column=`), and the app's `models.py` (its field gets the same
// `db_column=`, so `makemigrations` finds nothing to change). Read from disk; found statically or not at all.
import { dirname, join } from 'node:path';
import type { SourceLocation } from '../analysis/summary';
import { readSource } from '../engine/files';
import { parsePython, type Node } from '../engine/parser';
import { applyEdits } from '../fixes/apply';
import { insertKeywordArgument } from '../fixes/edits';
import type { Edit } from '../fixes/types';
import { dedentedSource, importsUsedBy, type ImportName, type NotOffered } from './planner';

/** An edit of a file other than the migration. */
export interface FileEdit {
  path: string;
  /** The text the edits apply to (as read). */
  text: string;
  edits: Edit[];
}

function nodeAt(root: Node, start: number, end: number): Node | undefined {
  for (let node: Node | null = root.descendantForIndex(start, end); node; node = node.parent) {
    if (node.startIndex === start && node.endIndex === end) return node;
    if (node.startIndex < start || node.endIndex > end) return undefined;
  }
  return undefined;
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
export function definitionWithColumn(location: SourceLocation, column: string): { source: string; imports: ImportName[] } | NotOffered {
  const source = readSource(location.path);
  if (!source.ok) return { reason: `the migration that defines the field cannot be read (${source.reason})` };
  const tree = parsePython(source.text);
  try {
    const found = nodeAt(tree.rootNode, location.range.start, location.range.end);
    const call = found && definitionCall(found);
    if (!call || call.type !== 'call') return { reason: 'the field\'s definition is not a call that can be copied' };
    if (/\bdb_column\s*=/.test(call.text)) return { reason: 'the field\'s definition already sets `db_column`' };
    const edit = insertKeywordArgument(source.text, call, 'db_column', column);
    if (!edit) return { reason: 'the field\'s definition cannot take `db_column=`' };
    const used = importsUsedBy(tree.rootNode, call);
    if (used.statements.length) return { reason: `the field's definition uses \`${used.statements[0]}\`, which the rewrite does not copy` };
    const edited = applyEdits(source.text, [edit]);
    return { source: dedentedSource(edited, call.startIndex, call.endIndex + edit.text.length - (edit.end - edit.start)), imports: used.names };
  } finally {
    tree.delete();
  }
}

/** `models.py` of the migration's app: the edit that adds `db_column=<column>` to `field` of class `model`. */
export function modelFieldEdit(migrationPath: string, model: string, field: string, column: string): FileEdit | NotOffered {
  const path = join(dirname(dirname(migrationPath)), 'models.py');
  const source = readSource(path);
  if (!source.ok) return { reason: `the app's models.py cannot be read (${source.reason}): the model must get \`db_column\` too` };
  const tree = parsePython(source.text);
  try {
    const classes = tree.rootNode.namedChildren.filter((node): node is Node => node?.type === 'class_definition'
      && node.childForFieldName('name')?.text.toLowerCase() === model);
    if (classes.length !== 1) return { reason: `class \`${model}\` is not found once in ${path}` };
    for (const statement of classes[0].childForFieldName('body')?.namedChildren ?? []) {
      const assignment = statement?.type === 'expression_statement' ? statement.namedChild(0) : undefined;
      if (assignment?.type !== 'assignment' || assignment.childForFieldName('left')?.text !== field) continue;
      const call = assignment.childForFieldName('right');
      if (call?.type !== 'call') break;
      if (/\bdb_column\s*=/.test(call.text)) return { reason: `\`${field}\` in models.py already sets \`db_column\`` };
      const edit = insertKeywordArgument(source.text, call, 'db_column', column);
      if (!edit) break;
      return { path, text: source.text, edits: [edit] };
    }
    return { reason: `\`${field} = …(…)\` is not found in class \`${model}\` of ${path}` };
  } finally {
    tree.delete();
  }
}
