// The "ignore on this line" edit: add `# noqa: MG101`, or add the code to the line's existing noqa comment.
import { detectEol, LineIndex } from '../base/text';
import type { Edit } from './types';

const NOQA = /#\s*noqa\s*:\s*(MG\d{3}(?:\s*,\s*MG\d{3})*)/i;

/**
 * `line` is zero-based. Works on the text alone (no tree) so the LSP can compute it statelessly.
 * A `#` inside a string on that line is not mistaken for a comment only in the common cases; the noqa
 * is then added at the end of the line, which Python still parses.
 */
export function noqaEdit(text: string, line: number, code: string | readonly string[]): Edit | undefined {
  const lines = new LineIndex(text);
  const start = lines.lineStart(line);
  const end = lines.lineEnd(line);
  const content = text.slice(start, end);
  const existing = NOQA.exec(content);
  const present = existing ? existing[1].split(',').map((c) => c.trim().toUpperCase()) : [];
  const added = [...new Set(typeof code === 'string' ? [code] : code)].filter((candidate) => !present.includes(candidate));
  if (added.length === 0) return undefined;
  if (existing) {
    const listEnd = start + existing.index + existing[0].length;
    return { start: listEnd, end: listEnd, text: `, ${added.join(', ')}` };
  }
  const trimmedEnd = start + content.replace(/\s+$/, '').length;
  return { start: trimmedEnd, end: end, text: `  # noqa: ${added.join(', ')}` };
}

const IGNORE_FILE = /#\s*migration-guard\s*:\s*ignore-file(?:\[([^\]]*)\])?/i;

/**
 * The file-level suppression: a code added to an existing `# migration-guard: ignore-file[...]` comment, or
 * a new line at the top of the file (after a shebang or encoding line). Undefined when the file already
 * ignores the code (or everything).
 */
export function ignoreFileEdit(text: string, code: string): Edit | undefined {
  const existing = IGNORE_FILE.exec(text);
  if (existing) {
    if (existing[1] === undefined) return undefined;
    const codes = existing[1].split(',').map((c) => c.trim().toUpperCase()).filter(Boolean);
    if (codes.includes(code)) return undefined;
    const listEnd = existing.index + existing[0].length - 1;
    return { start: listEnd, end: listEnd, text: codes.length ? `, ${code}` : code };
  }
  const lines = new LineIndex(text);
  let line = 0;
  while (line < lines.lineCount && /^#(!|.*coding[:=])/.test(text.slice(lines.lineStart(line), lines.lineEnd(line)))) line++;
  const eol = detectEol(text);
  const at = lines.lineStart(line);
  return { start: at, end: at, text: `# migration-guard: ignore-file[${code}]${eol}` };
}
