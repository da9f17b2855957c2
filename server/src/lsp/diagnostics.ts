// Violation → LSP Diagnostic. Fixes travel on `data` (stateless code actions), tagged with the version of
// the text their offsets were computed on.
import {
  DiagnosticSeverity, DiagnosticTag, type Diagnostic, type DiagnosticRelatedInformation, type Range, type TextEdit,
} from 'vscode-languageserver/node';
import type { Severity } from '../config/defaults';
import { readSource } from '../base/files';
import { LineIndex, type Range as OffsetRange } from '../base/text';
import type { Applicability, Edit, FileEdits, NewFile } from '../fixes/types';
import type { Violation } from '../rules/types';
import { SOURCE } from './configuration';
import { docsUri } from './rule-docs';
import { pathToUri } from './uri';

export interface DiagnosticFix {
  title: string;
  applicability: Applicability;
  edits: TextEdit[];
  unsafeBecause?: string;
  /** Edits to other files (offsets into the text whose textHash is given): converted when the action is asked for. */
  otherFiles?: FileEdits[];
  /** Files the fix creates (offered only to clients that can create files). */
  newFiles?: NewFile[];
}

export interface DiagnosticData {
  /** Document version the ranges and edits belong to. */
  version: number;
  fixes: DiagnosticFix[];
  /** The whole range the engine reported (the CLI's), when the squiggle covers only the operation's name. */
  fullRange?: Range;
}

/** Set at `initialize` when the client shows rule docs itself (see rule-docs.ts): the code links there. */
let docsScheme: string | undefined;

export function linkDocsTo(scheme: string | undefined): void {
  docsScheme = scheme;
}

const SEVERITIES: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  info: DiagnosticSeverity.Information,
};

/** A call's name at the start of a range: `migrations.AddIndex` in `migrations.AddIndex(\n model_name=…)`. */
const CALLEE = /^[A-Za-z_][\w.]*(?=\s*\()/;

/**
 * The squiggle: an operation reported on its whole call (4–9 lines) is underlined on its name only; anything
 * else (a settings key, a statement inside RunSQL, a dependency tuple) keeps its range.
 */
export function squiggleRange(text: string, range: OffsetRange): OffsetRange {
  const callee = CALLEE.exec(text.slice(range.start, Math.min(range.end, range.start + 200)));
  return callee && range.start + callee[0].length < range.end ? { start: range.start, end: range.start + callee[0].length } : range;
}

export function toRange(lines: LineIndex, range: OffsetRange) {
  return { start: lines.position(range.start), end: lines.position(Math.max(range.start, range.end)) };
}

export function toTextEdit(lines: LineIndex, edit: Edit): TextEdit {
  return { range: toRange(lines, edit), newText: edit.text };
}

export function isDiagnosticData(value: unknown): value is DiagnosticData {
  const data = value as DiagnosticData | undefined;
  return typeof data === 'object' && data !== null && typeof data.version === 'number' && Array.isArray(data.fixes);
}

/**
 * The line index of another file, as the editor has it (an open document's live text), or undefined to read it
 * from disk.
 */
export type LinesProvider = (path: string) => LineIndex | undefined;

/** Line indexes of the other files named by `related`, read once per lint. */
class RelatedFiles {
  private readonly indexes = new Map<string, LineIndex | undefined>();

  constructor(private readonly path: string, private readonly lines: LineIndex, private readonly linesOf?: LinesProvider) {}

  index(path: string, text: string | undefined): LineIndex | undefined {
    if (text !== undefined) return new LineIndex(text);
    if (path === this.path) return this.lines;
    if (!this.indexes.has(path)) {
      // An open document's offsets come from its live text (the index records it), not from the disk.
      const provided = this.linesOf?.(path);
      if (provided) this.indexes.set(path, provided);
      else {
        const read = readSource(path);
        this.indexes.set(path, read.ok ? new LineIndex(read.text) : undefined);
      }
    }
    return this.indexes.get(path);
  }
}

/**
 * @param linesOf other files named by related locations: their line index as the editor has them (an open
 *   document's live text, on which their ranges were computed), or a cached one; undefined: read from disk.
 * @param lines the line index of `text`, when the lint made one already.
 */
export function toDiagnostics(violations: readonly Violation[], path: string, text: string, version: number, linesOf?: LinesProvider, lines = new LineIndex(text)): Diagnostic[] {
  const related = new RelatedFiles(path, lines, linesOf);
  return violations.map((violation) => {
    const data: DiagnosticData = {
      version,
      fixes: violation.fixes.map((fix) => ({
        title: fix.title,
        applicability: fix.applicability,
        ...(fix.unsafeBecause ? { unsafeBecause: fix.unsafeBecause } : {}),
        edits: fix.edits.map((edit) => toTextEdit(lines, edit)),
        ...(fix.otherFiles?.length ? { otherFiles: fix.otherFiles } : {}),
        ...(fix.newFiles?.length ? { newFiles: fix.newFiles } : {}),
      })),
    };
    const squiggle = squiggleRange(text, violation.range);
    if (squiggle !== violation.range) data.fullRange = toRange(lines, violation.range);
    const diagnostic: Diagnostic = {
      range: toRange(lines, squiggle),
      severity: SEVERITIES[violation.severity] ?? DiagnosticSeverity.Warning,
      code: violation.code,
      codeDescription: { href: docsScheme ? docsUri(docsScheme, violation.code) : violation.url },
      source: SOURCE,
      message: violation.help ? `${violation.message}\n${violation.help}` : violation.message,
      data,
    };
    if (violation.code === 'MG900') diagnostic.tags = [DiagnosticTag.Unnecessary];
    if (violation.related?.length) {
      diagnostic.relatedInformation = violation.related.map((location): DiagnosticRelatedInformation => {
        const index = related.index(location.path, location.text);
        const zero = { line: 0, character: 0 };
        return {
          location: { uri: pathToUri(location.path), range: index ? toRange(index, location.range) : { start: zero, end: zero } },
          message: location.message,
        };
      });
    }
    return diagnostic;
  });
}
