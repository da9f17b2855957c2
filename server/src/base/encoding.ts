// Python source encodings (PEP 263), decoded as Python decodes them: UTF-8 by default, a UTF-8 byte order mark,
// or a coding cookie (`# -*- coding: latin-1 -*-`) on line 1, or on line 2 when line 1 is blank or a comment.
// A fixed file is written back in its own encoding, byte for byte the same outside the fixed parts.

/** How a file was decoded: `name` is a WHATWG label TextDecoder knows, or `latin1` / `ascii`. */
export interface SourceEncoding {
  name: string;
  /** The file started with a UTF-8 byte order mark (not part of the text; written back). */
  bom: boolean;
}

export type Decoded = { ok: true; text: string; encoding: SourceEncoding } | { ok: false; reason: string };

// CPython's tokenize: cookie_re and blank_re (re.ASCII).
const COOKIE = /^[ \t\f]*#.*?coding[:=][ \t]*([-\w.]+)/;
const BLANK_OR_COMMENT = /^[ \t\f]*(?:[#\r\n]|$)/;
const UTF8_BOM = [0xef, 0xbb, 0xbf];

/** Python codec names (as CPython normalizes them) of the encodings TextDecoder spells otherwise. */
const PYTHON_ALIASES: ReadonlyMap<string, string> = new Map([
  ...['utf-8', 'utf8', 'u8', 'utf', 'utf-8-sig', 'cp65001'].map((name) => [name, 'utf-8'] as const),
  ...['latin-1', 'latin1', 'l1', 'iso-8859-1', 'iso8859-1', '8859', 'cp819', 'iso-latin-1', 'iso-ir-100'].map((name) => [name, 'latin1'] as const),
  ...['ascii', 'us-ascii', '646', 'us'].map((name) => [name, 'ascii'] as const),
  ['cp932', 'shift_jis'], ['ms932', 'shift_jis'], ['mskanji', 'shift_jis'], ['sjis', 'shift_jis'], ['shift-jis', 'shift_jis'],
  ['cp936', 'gbk'], ['ms936', 'gbk'], ['cp949', 'euc-kr'], ['cp950', 'big5'], ['cp866', 'ibm866'],
  ['mac-roman', 'macintosh'], ['macroman', 'macintosh'], ['koi8-r', 'koi8-r'], ['koi8-u', 'koi8-u'],
]);

/** The label TextDecoder takes for a Python codec name, or undefined when we cannot decode it as Python would. */
function decoderName(pythonName: string): string | undefined {
  const name = pythonName.toLowerCase().replace(/_/g, '-');
  const alias = PYTHON_ALIASES.get(name) ?? PYTHON_ALIASES.get(name.replace(/-(?:unix|mac|dos)$/, ''));
  if (alias) return alias;
  const windows = /^(?:cp|windows-)(125\d)$/.exec(name);
  if (windows) return `windows-${windows[1]}`;
  const iso = /^iso-?8859-(\d{1,2})$/.exec(name);
  if (iso) return `iso-8859-${iso[1]}`;
  if (/^(?:euc-jp|euc-kr|gbk|gb2312|gb18030|big5|koi8-r|koi8-u|shift_jis)$/.test(name)) return name === 'gb2312' ? 'gbk' : name;
  return undefined;
}

/** The text of a line of bytes (ASCII only matters here: cookies are ASCII). */
function asciiLine(bytes: Uint8Array, start: number): { text: string; next: number } {
  let end = start;
  while (end < bytes.length && bytes[end] !== 0x0a && bytes[end] !== 0x0d) end++;
  let next = end;
  if (bytes[next] === 0x0d) next++;
  if (bytes[next] === 0x0a) next++;
  return { text: Buffer.from(bytes.subarray(start, Math.min(end, start + 1024))).toString('latin1'), next };
}

/** The coding cookie's encoding name, if line 1 (or line 2, after a blank or comment line 1) declares one. */
function cookie(bytes: Uint8Array, start: number): string | undefined {
  const first = asciiLine(bytes, start);
  const onFirst = COOKIE.exec(first.text);
  if (onFirst) return onFirst[1];
  if (!BLANK_OR_COMMENT.test(first.text) || first.next >= bytes.length) return undefined;
  return COOKIE.exec(asciiLine(bytes, first.next).text)?.[1];
}

export function decodePython(bytes: Uint8Array): Decoded {
  const bom = UTF8_BOM.every((byte, index) => bytes[index] === byte);
  const body = bom ? bytes.subarray(3) : bytes;
  const declared = cookie(body, 0);
  let name = 'utf-8';
  if (declared !== undefined) {
    const decoder = decoderName(declared);
    if (!decoder) return { ok: false, reason: `unknown or unsupported source encoding \`${declared}\` (coding cookie); not linted` };
    if (bom && decoder !== 'utf-8') return { ok: false, reason: `the file starts with a UTF-8 byte order mark but declares \`${declared}\` (Python rejects it); not linted` };
    name = decoder;
  }
  const text = decode(body, name);
  if (text === undefined) {
    return {
      ok: false,
      reason: declared === undefined
        ? 'file is not valid UTF-8; not linted (Python source files must be UTF-8 unless they declare another encoding)'
        : `file is not valid ${declared} (its coding cookie); not linted`,
    };
  }
  return { ok: true, text, encoding: { name, bom } };
}

/**
 * Bytes 0x80–0x9F of cp1252 (U+0000: undefined in Python's codec). Written out because Node's TextDecoder decodes
 * `windows-1252` as Latin-1 (0x80 → U+0080, not €).
 */
const CP1252_HIGH = '\u20ac\u0000\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u0000\u017d\u0000\u0000\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u0000\u017e\u0178';

function decodeCp1252(bytes: Uint8Array): string | undefined {
  let text = '';
  for (const byte of bytes) {
    const char = byte >= 0x80 && byte < 0xa0 ? CP1252_HIGH[byte - 0x80] : String.fromCharCode(byte);
    if (char === '\u0000' && byte !== 0) return undefined;
    text += char;
  }
  return text;
}

function encodeCp1252(text: string): Buffer | undefined {
  const bytes: number[] = [];
  for (const char of text) {
    const code = char.codePointAt(0)!;
    const high = code > 0 ? CP1252_HIGH.indexOf(char) : -1;
    if (high >= 0) bytes.push(0x80 + high);
    else if (code < 0x80 || (code >= 0xa0 && code <= 0xff)) bytes.push(code);
    else return undefined;
  }
  return Buffer.from(bytes);
}

function decode(bytes: Uint8Array, name: string): string | undefined {
  if (name === 'windows-1252') return decodeCp1252(bytes);
  if (name === 'latin1') return Buffer.from(bytes).toString('latin1');
  if (name === 'ascii') return bytes.every((byte) => byte < 0x80) ? Buffer.from(bytes).toString('latin1') : undefined;
  try {
    return new TextDecoder(name, { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined;
  }
}

/**
 * The bytes of `text` in `encoding`, or undefined when a character has no encoding there. UTF-8, Latin-1 and
 * ASCII encode anything they can hold; other encodings (TextDecoder only decodes) encode the characters that
 * `original` (the file's bytes on disk) contains, learned from it, and ASCII. The result is checked by decoding
 * it again: a file is never written with bytes that would not read back as `text`.
 */
export function encodePython(text: string, encoding: SourceEncoding, original: Uint8Array): Buffer | undefined {
  const bom = encoding.bom ? Buffer.from(UTF8_BOM) : Buffer.alloc(0);
  let body: Buffer | undefined;
  if (encoding.name === 'utf-8') body = Buffer.from(text, 'utf8');
  else if (encoding.name === 'latin1' || encoding.name === 'ascii') {
    const limit = encoding.name === 'latin1' ? 0xff : 0x7f;
    body = [...text].every((char) => char.codePointAt(0)! <= limit) ? Buffer.from(text, 'latin1') : undefined;
  } else if (encoding.name === 'windows-1252') body = encodeCp1252(text);
  else body = encodeLearned(text, encoding.name, original);
  if (!body || decode(body, encoding.name) !== text) return undefined;
  return Buffer.concat([bom, body]);
}

/** Encodes with the byte sequences each character has in `original` (decoded one byte at a time). */
function encodeLearned(text: string, name: string, original: Uint8Array): Buffer | undefined {
  if (!/[^\x00-\x7f]/.test(text)) return Buffer.from(text, 'latin1');
  const table = new Map<string, Uint8Array>();
  const decoder = new TextDecoder(name, { ignoreBOM: true });
  let start = 0;
  for (let i = 0; i < original.length; i++) {
    const chars = decoder.decode(original.subarray(i, i + 1), { stream: true });
    if (!chars) continue;
    // One character came out of the bytes since `start` (more than one: a sequence we cannot attribute).
    if ([...chars].length === 1 && !table.has(chars)) table.set(chars, original.slice(start, i + 1));
    start = i + 1;
  }
  const parts: Uint8Array[] = [];
  for (const char of text) {
    const code = char.codePointAt(0)!;
    const bytes = code < 0x80 ? Uint8Array.of(code) : table.get(char);
    if (!bytes) return undefined;
    parts.push(bytes);
  }
  return Buffer.concat(parts);
}

/** A name to show: `latin-1` rather than `latin1`. */
export function encodingLabel(encoding: SourceEncoding): string {
  return encoding.name === 'latin1' ? 'latin-1' : encoding.name;
}
