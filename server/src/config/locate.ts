// Where a configuration problem is in a pyproject.toml: the line of its key, for MG000 in the CLI and the editor.
import { parse as parseToml } from 'smol-toml';

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * The 0-based line of `key` (`select`, `severity.MG101`, `start-after.shop`) in a pyproject.toml: the entry
 * inside its own table (`[tool.migration-guard.start-after]`) when there is one, else the first assignment of
 * the most specific segment below `[tool.migration-guard]`, else that header. The key `''` (the file does not
 * parse) is the line of the TOML error.
 */
export function locateProblem(text: string, key: string): number {
  const lines = text.split('\n');
  if (key === '') {
    try {
      parseToml(text);
    } catch (error) {
      const line = (error as { line?: unknown }).line;
      if (typeof line === 'number' && line >= 1) {
        // An unfinished value is reported at the end of the file: point at the last line with text instead.
        let index = Math.min(line - 1, lines.length - 1);
        while (index > 0 && !lines[index].trim()) index--;
        return index;
      }
    }
    return 0;
  }
  const header = lines.findIndex((line) => /^\s*\[\s*tool\.migration-guard\s*[\].]/.test(line));
  if (header < 0) return 0;
  const segments = key.replace(/^tool\.migration-guard\.?/, '').split('.').filter(Boolean);
  const assignment = (segment: string) => new RegExp(`^\\s*["']?${escape(segment)}["']?\\s*=`, 'i');
  if (segments.length > 1) {
    const table = new RegExp(`^\\s*\\[\\s*tool\\.migration-guard\\.${segments.slice(0, -1).map(escape).join('\\.')}\\s*\\]`);
    const start = lines.findIndex((line) => table.test(line));
    if (start >= 0) {
      const entry = assignment(segments[segments.length - 1]);
      for (let index = start + 1; index < lines.length && !/^\s*\[/.test(lines[index]); index++) {
        if (entry.test(lines[index])) return index;
      }
    }
  }
  for (const segment of [...segments].reverse()) {
    const pattern = assignment(segment);
    const found = lines.findIndex((line, index) => index > header && pattern.test(line));
    if (found >= 0) return found;
  }
  return header;
}
