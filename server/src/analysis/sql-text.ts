// Text read out of Python string literals, with the way back: every character of the value knows the range
// of the Python source it came from (an escape such as `\n` is one character from two of source; a CRLF in a
// triple-quoted string is one `\n`, as Python reads it).
import type { Node } from '../base/parser';
import type { Range } from '../base/text';

/** A run of the value: `exact` runs map character for character; others (escapes) map as a whole. */
interface Segment {
  at: number;
  length: number;
  source: number;
  sourceEnd: number;
  exact: boolean;
}

export class MappedText {
  constructor(
    readonly text: string,
    private readonly segments: readonly Segment[],
  ) {}

  private segmentIndex(index: number): number {
    const segments = this.segments;
    let low = 0;
    let high = segments.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (segments[mid].at <= index) low = mid;
      else high = mid - 1;
    }
    return low;
  }

  private segmentAt(index: number): Segment | undefined {
    return this.segments[this.segmentIndex(index)];
  }

  /** The segments that overlap `[start, end)`, in order. */
  *segmentsIn(start: number, end: number): Iterable<Segment> {
    for (let i = this.segmentIndex(start); i < this.segments.length && this.segments[i].at < end; i++) {
      if (this.segments[i].at + this.segments[i].length > start) yield this.segments[i];
    }
  }

  /** Source offset of the character at `index` of the value. */
  sourceOf(index: number): number {
    const segment = this.segmentAt(index);
    if (!segment) return 0;
    if (!segment.exact) return segment.source;
    return segment.source + Math.min(index - segment.at, segment.length);
  }

  /** Source offset just after the character before `end`. */
  sourceEndOf(end: number): number {
    if (end <= 0) return this.sourceOf(0);
    const segment = this.segmentAt(end - 1);
    if (!segment) return 0;
    if (!segment.exact) return segment.sourceEnd;
    return segment.source + Math.min(end - segment.at, segment.length);
  }

  /** The source range of `[start, end)` of the value. */
  sourceRange(start: number, end: number): Range {
    const from = this.sourceOf(start);
    return { start: from, end: Math.max(from, this.sourceEndOf(Math.max(start + 1, end))) };
  }

  static concat(parts: readonly MappedText[]): MappedText {
    if (parts.length === 1) return parts[0];
    const builder = new MappedTextBuilder();
    for (const part of parts) builder.appendSlice(part, 0, part.text.length);
    return builder.build();
  }
}

export class MappedTextBuilder {
  private text = '';
  private readonly segments: Segment[] = [];

  /** Characters copied from the source starting at `source`. */
  appendExact(text: string, source: number): void {
    if (!text) return;
    this.segments.push({ at: this.text.length, length: text.length, source, sourceEnd: source + text.length, exact: true });
    this.text += text;
  }

  /** Characters standing for the source range `[source, sourceEnd)` as a whole. */
  appendFrom(text: string, source: number, sourceEnd: number): void {
    if (!text) return;
    this.segments.push({ at: this.text.length, length: text.length, source, sourceEnd, exact: false });
    this.text += text;
  }

  /** `[start, end)` of another mapped text, keeping its mapping. */
  appendSlice(from: MappedText, start: number, end: number): void {
    for (const segment of from.segmentsIn(start, end)) {
      const a = Math.max(start, segment.at);
      const b = Math.min(end, segment.at + segment.length);
      const text = from.text.slice(a, b);
      if (segment.exact) this.appendExact(text, segment.source + (a - segment.at));
      else this.appendFrom(text, segment.source, segment.sourceEnd);
    }
  }

  build(): MappedText {
    return new MappedText(this.text, this.segments);
  }
}

const SIMPLE_ESCAPES: Record<string, string> = {
  '\\': '\\', "'": "'", '"': '"', a: '\x07', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v',
};

/** The value of one escape sequence, as Python reads it; undefined when it is not one we know. */
function decodeEscape(escape: string): string | undefined {
  const body = escape.slice(1);
  if (body.startsWith('\n') || body.startsWith('\r')) return ''; // a backslash-newline continues the line
  if (body in SIMPLE_ESCAPES) return SIMPLE_ESCAPES[body];
  if (/^[0-7]{1,3}$/.test(body)) return String.fromCharCode(parseInt(body, 8));
  if (/^(x[0-9a-f]{2}|u[0-9a-f]{4}|U[0-9a-f]{8})$/i.test(body)) {
    const code = parseInt(body.slice(1), 16);
    return code <= 0x10ffff ? String.fromCodePoint(code) : undefined;
  }
  // `\N{BULLET}`: a character by name. We have no table of names; one replacement character keeps the SQL's shape.
  if (/^N\{[^}]+\}$/.test(body)) return '\ufffd';
  return undefined;
}

/** Plain text of a string literal's content: CRLF and CR read as `\n` (Python's universal newlines). */
function appendContent(builder: MappedTextBuilder, text: string, source: number): void {
  let start = 0;
  for (let i = text.indexOf('\r'); i >= 0; i = text.indexOf('\r', i + 1)) {
    builder.appendExact(text.slice(start, i), source + start);
    const width = text[i + 1] === '\n' ? 2 : 1;
    builder.appendFrom('\n', source + i, source + i + width);
    start = i + width;
    i += width - 1;
  }
  builder.appendExact(text.slice(start), source + start);
}

/**
 * The value of a Python `string` node with its mapping; undefined for what is not a plain text constant: an
 * f-string with an expression, a bytes literal (Django would run its `repr`), a t-string. `source` is the
 * text the tree was parsed from.
 */
export function readStringLiteral(node: Node, source: string, builder = new MappedTextBuilder()): MappedText | undefined {
  if (node.type !== 'string') return undefined;
  const start = node.child(0);
  const prefix = start?.type === 'string_start' ? start.text.replace(/['"]+$/, '').toLowerCase() : '';
  if (/[bt]/.test(prefix)) return undefined;
  const raw = prefix.includes('r');
  for (const child of node.children) {
    if (!child) continue;
    if (child.type === 'interpolation') return undefined;
    if (child.type !== 'string_content') continue;
    let cursor = child.startIndex;
    const flush = (until: number) => {
      if (until > cursor) appendContent(builder, source.slice(cursor, until), cursor);
    };
    for (const part of child.children) {
      if (!part) continue;
      if (part.type === 'escape_interpolation') {
        // `{{` in an f-string is one `{`.
        flush(part.startIndex);
        builder.appendFrom(part.text[0], part.startIndex, part.endIndex);
        cursor = part.endIndex;
      } else if (part.type === 'escape_sequence' && !raw) {
        const value = decodeEscape(part.text);
        if (value === undefined) continue; // kept as written, like Python does with `\d`
        flush(part.startIndex);
        builder.appendFrom(value, part.startIndex, part.endIndex);
        cursor = part.endIndex;
      }
    }
    flush(child.endIndex);
  }
  return builder.build();
}
