// Writes `[tool.migration-guard.start-after]` into a pyproject.toml's text ("Start From Here"), touching only the
// lines of that table: the rest of the file keeps its bytes (comments, order, quotes, line endings).

/** A TOML bare key (app labels are Python identifiers, so always); anything else is quoted. */
function tomlKey(key: string): string {
  return /^[A-Za-z0-9_-]+$/.test(key) ? key : JSON.stringify(key);
}

function tomlString(value: string): string {
  return JSON.stringify(value);
}

const HEADER = /^\s*\[\s*tool\s*\.\s*(?:"migration-guard"|migration-guard)\s*\.\s*(?:"start-after"|start-after|start_after)\s*\]\s*(#.*)?$/;
const ANY_HEADER = /^\s*\[/;

/** The key a `key = value` line sets, unquoted; undefined for other lines. */
function keyOf(line: string): string | undefined {
  const match = /^\s*("(?:[^"\\]|\\.)*"|'[^']*'|[A-Za-z0-9_-]+)\s*=/.exec(line);
  if (!match) return undefined;
  const key = match[1];
  if (key.startsWith('"')) return JSON.parse(key) as string;
  return key.startsWith("'") ? key.slice(1, -1) : key;
}

/** The line of an inline `start-after = { … }` inside `[tool.migration-guard]`, or -1. */
function inlineLine(lines: readonly string[]): number {
  let inTable = false;
  for (let index = 0; index < lines.length; index++) {
    if (ANY_HEADER.test(lines[index])) inTable = /^\s*\[\s*tool\s*\.\s*(?:"migration-guard"|migration-guard)\s*\]/.test(lines[index]);
    else if (inTable && /^\s*(?:start-after|start_after|"start-after")\s*=\s*\{.*\}\s*(#.*)?$/.test(lines[index])) return index;
  }
  return -1;
}

/**
 * `text` (a pyproject.toml, or undefined for none) with `start-after` set to `entries` (app → migration name):
 * existing keys of the table get the new value in place, new ones go at the end of the table; without the table,
 * it is appended at the end of the file.
 */
export function writeStartAfter(text: string | undefined, entries: Readonly<Record<string, string>>): string {
  const apps = Object.keys(entries).sort();
  const source = text ?? '';
  const eol = source.includes('\r\n') ? '\r\n' : '\n';
  const lines = source.split(/\r?\n/);
  const line = (app: string) => `${tomlKey(app)} = ${tomlString(entries[app])}`;
  const header = lines.findIndex((candidate) => HEADER.test(candidate));
  // `start-after = { … }` on one line of `[tool.migration-guard]`: that line becomes the new inline table.
  const inline = header < 0 ? inlineLine(lines) : -1;
  if (inline >= 0) {
    const indent = /^\s*/.exec(lines[inline])![0];
    lines[inline] = `${indent}start-after = { ${apps.map(line).join(', ')} }`;
    return lines.join(eol);
  }
  if (header < 0) {
    const table = ['[tool.migration-guard.start-after]', ...apps.map(line)].join(eol);
    if (source.trim() === '') return `${table}${eol}`;
    const body = source.replace(/(\r?\n)*$/, '');
    return `${body}${eol}${eol}${table}${eol}`;
  }
  let end = header + 1;
  while (end < lines.length && !ANY_HEADER.test(lines[end])) end++;
  const remaining = new Set(apps);
  for (let index = header + 1; index < end; index++) {
    const key = keyOf(lines[index]);
    if (key === undefined || !remaining.has(key)) continue;
    const indent = /^\s*/.exec(lines[index])![0];
    const comment = /\s+#[^"']*$/.exec(lines[index])?.[0] ?? '';
    lines[index] = `${indent}${line(key)}${comment}`;
    remaining.delete(key);
  }
  // New keys after the table's last non-blank line, before the blank lines that separate it from the next table.
  let last = end - 1;
  while (last > header && lines[last].trim() === '') last--;
  lines.splice(last + 1, 0, ...apps.filter((app) => remaining.has(app)).map(line));
  return lines.join(eol);
}
