// The model's field in the app's models.py, for fixes that change a field in a migration (MG201's `db_default=`
// and `null=True`): the same keyword must go into the model, or `makemigrations` writes an AlterField that
// undoes the fix. Found statically: `<app>/models.py` next to `<app>/migrations/`, one top-level class of the
// model's name, one `name = <call>(…)` assignment in its body. Anything else (a models/ package, a field built
// by a helper, an abstract base) is not found, and the fix is not offered.
import { dirname, join } from 'node:path';
import { parsePython, type Node, type Tree } from '../base/parser';
import { insertKeywordArgument, replaceKeywordValue } from './edits';
import { textHash, type FileEdits } from './types';

export interface ModelField {
  /** `…/shop/models.py`. */
  path: string;
  text: string;
  /** The keyword arguments the field's call already has. */
  keywords: ReadonlySet<string>;
  /** Sets `keyword=value` (one of the keywordNames asked for) on the field's call, replacing an existing value. */
  setKeyword(keyword: string, value: string): FileEdits | undefined;
}

/** `…/shop/migrations/0002_x.py` → `…/shop/models.py`. */
export function modelsPathOf(migrationPath: string): string {
  return join(dirname(dirname(migrationPath)), 'models.py');
}

/**
 * The parse of a models.py, kept for the next lint while its text is unchanged: MG201 looks up its fields once per
 * finding, and the editor lints on every keystroke. A few files (apps linted together) are enough.
 */
const parsedModels = new Map<string, { text: string; tree: Tree }>();
const PARSED_MODELS_KEPT = 8;

function parsedModelsFile(path: string, text: string): Tree {
  const kept = parsedModels.get(path);
  if (kept?.text === text) return kept.tree;
  const tree = parsePython(text);
  parsedModels.delete(path);
  parsedModels.set(path, { text, tree });
  if (parsedModels.size > PARSED_MODELS_KEPT) parsedModels.delete(parsedModels.keys().next().value!);
  return tree;
}

/** The field `fieldName` of model `modelName` (case-insensitive, as migrations lower-case it) in the app's models.py. */
export function findModelField(migrationPath: string, modelName: string, fieldName: string, keywordNames: string[], readFile: ((path: string) => string | undefined) | undefined): ModelField | undefined {
  const path = modelsPathOf(migrationPath);
  const text = readFile?.(path);
  if (text === undefined) return undefined;
  const tree = parsedModelsFile(path, text);
  const classes = tree.rootNode.namedChildren.filter((node): node is Node => node?.type === 'class_definition'
    && node.childForFieldName('name')?.text.toLowerCase() === modelName.toLowerCase());
  if (classes.length !== 1) return undefined;
  const calls: Node[] = [];
  for (const statement of classes[0].childForFieldName('body')?.namedChildren ?? []) {
    const assignment = statement?.type === 'expression_statement' ? statement.namedChild(0) : undefined;
    if (assignment?.type !== 'assignment' || assignment.childForFieldName('left')?.text !== fieldName) continue;
    const right = assignment.childForFieldName('right');
    if (right?.type === 'call') calls.push(right);
  }
  if (calls.length !== 1) return undefined;
  const call = calls[0];
  const keywords = new Map<string, Node>();
  for (const argument of call.childForFieldName('arguments')?.namedChildren ?? []) {
    const name = argument?.type === 'keyword_argument' ? argument.childForFieldName('name')?.text : undefined;
    if (argument && name) keywords.set(name, argument);
  }
  const hash = textHash(text);
  // The edits are made now, with a placeholder for the value setKeyword fills in.
  const pending = new Map<string, { start: number; end: number; prefix: string; suffix: string }>();
  for (const keyword of keywordNames) {
    const edit = (keywords.get(keyword) ? replaceKeywordValue(keywords.get(keyword)!, '\u0000') : insertKeywordArgument(text, call, keyword, '\u0000'));
    if (!edit) continue;
    const [prefix, suffix] = edit.text.split('\u0000');
    pending.set(keyword, { start: edit.start, end: edit.end, prefix, suffix });
  }
  return {
    path,
    text,
    keywords: new Set(keywords.keys()),
    setKeyword(keyword, value) {
      const edit = pending.get(keyword);
      return edit ? { path, edits: [{ start: edit.start, end: edit.end, text: `${edit.prefix}${value}${edit.suffix}` }], textHash: hash } : undefined;
    },
  };
}
