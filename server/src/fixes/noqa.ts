// The "ignore on this line" edit: add `# noqa: MG101`, or add the code to the line's existing noqa comment.
import { LineIndex } from '../engine/text';
import type { Edit } from './types';

const NOQA = /#\s*noqa\s*:\s*(MG\d{3}(?:\s*,\s*MG\d{3})*)/i;

/**
 * `line` is zero-based. Works on the text alone (no tree) so the LSP can compute it statelessly.
 * A `#` inside a string on that line is not mistaken for a comment only in the common cases; the noqa
 * is then added at the end of the line, which Python still parses.
 */
export function noqaEdit(text: string, line: number, code: string): Edit | undefined {
  const lines = new LineIndex(text);
  const start = lines.lineStart(line);
  const end = lines.lineEnd(line);
  const content = text.slice(start, end);
  const existing = NOQA.exec(content);
  if (existing) {
    const codes = existing[1].split(',').map((c) => c.trim().toUpperCase());
    if (codes.includes(code)) return undefined;
    const listEnd = start + existing.index + existing[0].length;
    return { start: listEnd, end: listEnd, text: `, ${code}` };
  }
  const trimmedEnd = start + content.replace(/\s+$/, '').length;
  return { start: trimmedEnd, end: end, text: `  # noqa: ${code}` };
}

/** The file-level suppression line, inserted at the top of the file (after a shebang or encoding line). */
export function ignoreFileEdit(text: string, code: string): Edit {
  const lines = new LineIndex(text);
  let line = 0;
  while (line < lines.lineCount && /^#(!|.*coding[:=])/.test(text.slice(lines.lineStart(line), lines.lineEnd(line)))) line++;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  const at = lines.lineStart(line);
  return { start: at, end: at, text: `# migration-guard: ignore-file[${code}]${eol}` };
}
