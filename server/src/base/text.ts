// Offsets are JS string indices (UTF-16 code units), the same units web-tree-sitter reports. Lines break at
// `\r\n`, `\n` and a lone `\r`, as Python (universal newlines) and LSP count them.

export interface Range {
  start: number;
  end: number;
}

/** Zero-based line and UTF-16 character, as LSP wants it. */
export interface Position {
  line: number;
  character: number;
}

export class LineIndex {
  private readonly starts: number[] = [0];

  constructor(private readonly text: string) {
    // Most files have no `\r`: then `indexOf` finds the breaks (≈ 5× faster than a loop over every character).
    if (text.indexOf('\r') < 0) {
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) this.starts.push(i + 1);
      return;
    }
    for (let i = 0; i < text.length; i++) {
      const char = text.charCodeAt(i);
      if (char === 10 || (char === 13 && text.charCodeAt(i + 1) !== 10)) this.starts.push(i + 1);
    }
  }

  get lineCount(): number {
    return this.starts.length;
  }

  lineStart(line: number): number {
    return this.starts[Math.max(0, Math.min(line, this.starts.length - 1))];
  }

  /** End of the line's content, before `\r\n`, `\n` or `\r`. */
  lineEnd(line: number): number {
    if (line + 1 >= this.starts.length) return this.text.length;
    const next = this.starts[line + 1] - 1;
    return this.text.charCodeAt(next) === 10 && next > this.lineStart(line) && this.text.charCodeAt(next - 1) === 13 ? next - 1 : next;
  }

  lineOf(offset: number): number {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.starts[mid] <= offset) low = mid;
      else high = mid - 1;
    }
    return low;
  }

  position(offset: number): Position {
    const line = this.lineOf(offset);
    return { line, character: offset - this.starts[line] };
  }

  offset(position: Position): number {
    if (position.line >= this.starts.length) return this.text.length;
    return Math.min(this.lineStart(position.line) + position.character, this.lineEnd(position.line));
  }

  /** 1-based row and column counted in Unicode code points, for the CLI. */
  rowColumn(offset: number): { row: number; column: number } {
    const line = this.lineOf(offset);
    return { row: line + 1, column: offset - this.starts[line] - this.pairsBefore(line, offset) + 1 };
  }

  /** Per line, where its surrogate pairs end (ascending), filled on demand; null: the text has none. */
  private pairEnds?: Map<number, number[]> | null;

  /**
   * Surrogate pairs (one code point, two UTF-16 units) of the line that end before `offset`. Indexed per line, so
   * many findings on one long line cost a binary search each, not a walk of the line each.
   */
  private pairsBefore(line: number, offset: number): number {
    if (this.pairEnds === undefined) this.pairEnds = /[\ud800-\udbff][\udc00-\udfff]/.test(this.text) ? new Map() : null;
    if (!this.pairEnds) return 0;
    let ends = this.pairEnds.get(line);
    if (!ends) {
      ends = [];
      const end = line + 1 < this.starts.length ? this.starts[line + 1] : this.text.length;
      for (let i = this.starts[line]; i + 1 < end; i++) {
        const high = this.text.charCodeAt(i);
        const low = this.text.charCodeAt(i + 1);
        if (high >= 0xd800 && high <= 0xdbff && low >= 0xdc00 && low <= 0xdfff) ends.push(++i);
      }
      this.pairEnds.set(line, ends);
    }
    let low = 0;
    let high = ends.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (ends[mid] < offset) low = mid + 1;
      else high = mid;
    }
    return low;
  }
}

export function detectEol(text: string): string {
  const first = /\r\n?|\n/.exec(text);
  return first ? first[0] : '\n';
}

/** True when `text` breaks a line anywhere. */
export function hasLineBreak(text: string): boolean {
  return text.includes('\n') || text.includes('\r');
}

/** Start of the line containing `offset`. */
export function lineStartAt(text: string, offset: number): number {
  return Math.max(text.lastIndexOf('\n', offset - 1), text.lastIndexOf('\r', offset - 1)) + 1;
}

/** End of the content of the line containing `offset`: before its `\r\n`, `\n` or `\r` (or the end of the text). */
export function lineEndAt(text: string, offset: number): number {
  const lf = text.indexOf('\n', offset);
  const cr = text.indexOf('\r', offset);
  if (cr !== -1 && (lf === -1 || cr < lf)) return cr;
  return lf === -1 ? text.length : lf;
}

/** Where the line after the one containing `offset` starts (the text's length on the last line). */
export function nextLineStart(text: string, offset: number): number {
  const end = lineEndAt(text, offset);
  return end + (text.startsWith('\r\n', end) ? 2 : end < text.length ? 1 : 0);
}

/**
 * The text tree-sitter parses: a lone `\r` (old Mac line endings) becomes `\n`, which tree-sitter-python breaks
 * lines at and Python reads the same way. Same length, so offsets into either text are the same.
 */
export function withPythonLineBreaks(text: string): string {
  return text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text;
}

/** The whitespace that starts the line containing `offset`. */
export function indentationAt(text: string, offset: number): string {
  return /^[ \t]*/.exec(text.slice(lineStartAt(text, offset), lineEndAt(text, offset)))![0];
}
