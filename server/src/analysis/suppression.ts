// `# noqa: MG101, MG201` on a line, `# migration-guard: ignore-file[MG101]` anywhere in the file.
import type { Tree } from '../base/parser';

export interface NoqaComment {
  line: number;
  /** Offsets of the comment itself. */
  start: number;
  end: number;
  codes: string[];
}

export interface Suppressions {
  /** line → codes silenced on it */
  noqa: Map<number, NoqaComment>;
  /** `true`: the whole file; a set: those codes in the whole file. */
  ignoreFile: true | Set<string> | undefined;
}

const NOQA = /#\s*noqa\s*:\s*((?:MG\d{3})(?:\s*,\s*MG\d{3})*)/i;
const IGNORE_FILE = /#\s*migration-guard\s*:\s*ignore-file(?:\[([^\]]*)\])?/i;

/** Text that may hold a suppression comment: most files hold none, and a regex is cheaper than the tree walk. */
const MAY_SUPPRESS = /noqa|migration-guard/i;

export function findSuppressions(tree: Tree, text: string): Suppressions {
  const result: Suppressions = { noqa: new Map(), ignoreFile: undefined };
  if (!MAY_SUPPRESS.test(text)) return result;
  // Comments can sit anywhere; descendantsOfType walks the tree inside wasm (a JS cursor walk costs ~7× more).
  for (const node of tree.rootNode.descendantsOfType('comment')) {
    if (!node) continue;
    const text = node.text;
    const noqa = NOQA.exec(text);
    if (noqa) {
      const codes = noqa[1].split(',').map((code) => code.trim().toUpperCase());
      // tree-sitter's comment takes the `\r` of a `\r\n` line ending: it is not part of the comment.
      const end = text.endsWith('\r') ? node.endIndex - 1 : node.endIndex;
      result.noqa.set(node.startPosition.row, { line: node.startPosition.row, start: node.startIndex, end, codes });
    }
    const ignore = IGNORE_FILE.exec(text);
    if (ignore) {
      if (ignore[1] === undefined) result.ignoreFile = true;
      else if (result.ignoreFile !== true) {
        const codes: Set<string> = result.ignoreFile ?? new Set<string>();
        for (const code of ignore[1].split(',')) if (code.trim()) codes.add(code.trim().toUpperCase());
        result.ignoreFile = codes;
      }
    }
  }
  return result;
}

export function isSuppressed(suppressions: Suppressions, code: string, line: number): boolean {
  const file = suppressions.ignoreFile;
  if (file === true || file?.has(code)) return true;
  return suppressions.noqa.get(line)?.codes.includes(code) ?? false;
}
