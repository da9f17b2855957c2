// Loads web-tree-sitter and the Python grammar once. Parsing is synchronous after `initParser()`.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { Edit, Language, Parser, Tree } from 'web-tree-sitter';
import { withPythonLineBreaks } from './text';

export type { Node, Tree, Point } from 'web-tree-sitter';
/** tree-sitter's edit description (a class in web-tree-sitter ≥ 0.26: construct it with `new TreeEdit({...})`). */
export { Edit as TreeEdit };

const GRAMMAR = 'tree-sitter-python.wasm';
let parser: Parser | undefined;
let loading: Promise<void> | undefined;

/**
 * The folder holding the wasm file `name`. The bundles copy the wasm files next to themselves; tests live a
 * few folders deeper than `out/test`.
 */
export function wasmDir(name = GRAMMAR): string {
  const fromEnv = process.env.MIGRATION_GUARD_WASM_DIR;
  if (fromEnv && existsSync(join(fromEnv, name))) return fromEnv;
  let dir = __dirname;
  for (let i = 0; i < 4; i++) {
    if (existsSync(join(dir, name))) return dir;
    dir = dirname(dir);
  }
  throw new Error(`${name} not found next to ${__dirname}: the build copies it into dist/`);
}

export function initParser(): Promise<void> {
  loading ??= (async () => {
    const dir = wasmDir();
    await Parser.init({ locateFile: (name: string) => join(dir, name) });
    const python = await Language.load(join(dir, GRAMMAR));
    const created = new Parser();
    created.setLanguage(python);
    parser = created;
  })();
  return loading;
}

/** Parses Python source (line breaks as Python reads them: see withPythonLineBreaks); pass the previous tree (already `edit`ed) for an incremental re-parse. */
export function parsePython(text: string, previous?: Tree): Tree {
  if (!parser) throw new Error('initParser() must finish before parsing');
  const tree = parser.parse(withPythonLineBreaks(text), previous ?? null);
  if (!tree) throw new Error('tree-sitter returned no tree');
  return tree;
}

export function pythonLanguage(): Language {
  if (!parser?.language) throw new Error('initParser() must finish first');
  return parser.language;
}
