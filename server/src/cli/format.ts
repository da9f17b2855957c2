// Output formats of `check`: text for people, JSON (ruff's shape) for tools, GitHub workflow annotations.
import { relative } from 'node:path';
import type { Severity } from '../config/defaults';
import type { Finding } from './findings';

export const FORMATS = ['text', 'json', 'sarif', 'github'] as const;
export type Format = (typeof FORMATS)[number];

/** A path as shown to people: relative to the working directory when below it. */
export function displayPath(path: string, cwd: string): string {
  const rel = relative(cwd, path);
  return rel === '' ? path : rel;
}

/**
 * Terminal control characters (ESC sequences that recolour, move the cursor, rewrite the title or fake a link)
 * from the user's files, shown as `\x1b`-style escapes instead: a message quotes names and SQL from the files.
 */
export function printable(text: string): string {
  return text.replace(/[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029]/g, (char) => {
    const code = char.charCodeAt(0);
    return code > 0xff ? `\\u${code.toString(16)}` : `\\x${code.toString(16).padStart(2, '0')}`;
  });
}

export function formatText(findings: readonly Finding[], cwd: string): string {
  let out = '';
  for (const finding of findings) {
    out += `${printable(displayPath(finding.path, cwd))}:${finding.location.row}:${finding.location.column}: ${finding.code} ${printable(finding.message)}\n`;
    if (finding.help) out += `  help: ${printable(finding.help)}\n`;
    for (const related of finding.related) {
      out += `  ${printable(displayPath(related.path, cwd))}:${related.location.row}:${related.location.column}: note: ${printable(related.message)}\n`;
    }
  }
  return out;
}

/** A finding in ruff's JSON shape: `filename` is absolute, rows and columns are 1-based. */
function jsonItem(finding: Finding) {
  return {
    code: finding.code,
    name: finding.name,
    severity: finding.severity,
    message: finding.message,
    help: finding.help ?? null,
    filename: finding.path,
    location: finding.location,
    end_location: finding.endLocation,
    fix: finding.fix,
    url: finding.url,
    related: finding.related.map((related) => ({
      filename: related.path,
      location: related.location,
      end_location: related.endLocation,
      message: related.message,
    })),
  };
}

/**
 * The JSON array (as `JSON.stringify(items, null, 2)` writes it) in pieces of about `batch` findings, so a
 * large output is never one huge string in memory.
 */
export function* formatJsonChunks(findings: readonly Finding[], batch = 200): Generator<string> {
  if (findings.length === 0) {
    yield '[]\n';
    return;
  }
  for (let start = 0; start < findings.length; start += batch) {
    // A batch as an array of its own, without its brackets: its items are indented as in the whole array.
    const array = JSON.stringify(findings.slice(start, start + batch).map(jsonItem), null, 2);
    const items = array.slice(2, -2);
    const last = start + batch >= findings.length;
    yield `${start === 0 ? '[\n' : ''}${items}${last ? '\n]\n' : ',\n'}`;
  }
}

const GITHUB_LEVEL: Record<Severity, string> = { error: 'error', warning: 'warning', info: 'notice' };

function escapeData(value: string): string {
  return printable(value.replace(/%/g, '%25').replace(/\r/g, '%0D').replace(/\n/g, '%0A'));
}

function escapeProperty(value: string): string {
  return escapeData(value).replace(/:/g, '%3A').replace(/,/g, '%2C');
}

/** `::warning file=…,line=…,col=…::message` lines that GitHub Actions shows on the pull request. */
export function formatGithub(findings: readonly Finding[], cwd: string): string {
  let out = '';
  for (const finding of findings) {
    const properties = [
      `file=${escapeProperty(displayPath(finding.path, cwd))}`,
      `line=${finding.location.row}`,
      `col=${finding.location.column}`,
      `endLine=${finding.endLocation.row}`,
      `endColumn=${finding.endLocation.column}`,
      `title=${escapeProperty(`${finding.code} ${finding.name}`)}`,
    ].join(',');
    const message = finding.help ? `${finding.message}\n${finding.help}` : finding.message;
    out += `::${GITHUB_LEVEL[finding.severity]} ${properties}::${escapeData(`${finding.code} ${message}`)}\n`;
  }
  return out;
}

function plural(count: number, word: string, pluralWord = `${word}s`): string {
  return `${count} ${count === 1 ? word : pluralWord}`;
}

export interface SummaryInput {
  findings: readonly Finding[];
  filesChecked: number;
  /** Files that could not be read or decoded. */
  filesNotLinted: number;
  /** Findings `--fix` would fix, and those that also need `--unsafe-fixes`. */
  fixable: number;
  unsafeFixable: number;
  /** Fixes applied by `--fix`, and in how many files. */
  fixed: number;
  filesFixed: number;
}

/** `Found 3 problems (2 warnings, 1 error) in 2 files; 1 fixable with --fix.` or `All checks passed (N files).` */
export function formatSummary(input: SummaryInput): string {
  let out = '';
  if (input.fixed > 0) out += `Fixed ${plural(input.fixed, 'problem')} in ${plural(input.filesFixed, 'file')}.\n`;
  const { findings } = input;
  const notLinted = input.filesNotLinted > 0 ? `${plural(input.filesNotLinted, 'file')} not linted` : '';
  if (findings.length === 0) return `${out}All checks passed (${plural(input.filesChecked, 'file')}${notLinted ? `; ${notLinted}` : ''}).\n`;
  const count = (severity: Severity) => findings.filter((finding) => finding.severity === severity).length;
  const parts = [
    count('warning') ? plural(count('warning'), 'warning') : '',
    count('error') ? plural(count('error'), 'error') : '',
    count('info') ? `${count('info')} info` : '',
  ].filter(Boolean);
  const files = new Set(findings.map((finding) => finding.path)).size;
  let line = `Found ${plural(findings.length, 'problem')} (${parts.join(', ')}) in ${plural(files, 'file')}`;
  if (input.fixable > 0) line += `; ${input.fixable} fixable with --fix`;
  if (input.unsafeFixable > 0) {
    line += input.fixable > 0
      ? ` (${input.unsafeFixable} more with --fix --unsafe-fixes)`
      : `; ${input.unsafeFixable} fixable with --fix --unsafe-fixes`;
  }
  if (notLinted) line += `; ${notLinted}`;
  return `${out}${line}.\n`;
}
