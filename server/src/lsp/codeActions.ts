// Code actions, stateless: the fixes come from the diagnostic's `data`, valid only for the version they were
// computed on. Plus "ignore on this line", "ignore in this file", "show documentation" and
// `source.fixAll.migrationGuard` (safe fixes only).
import {
  CodeActionKind, TextDocumentEdit, type CodeAction, type CodeActionParams, type Diagnostic, type TextEdit, type WorkspaceEdit,
} from 'vscode-languageserver/node';
import { LineIndex } from '../engine/text';
import { ignoreFileEdit, noqaEdit } from '../fixes/noqa';
import { textHash, type Edit, type FileEdits } from '../fixes/types';
import { ALL_RULES } from '../rules';
import { ruleUrl } from '../rules/types';
import { SOURCE } from './configuration';
import { isDiagnosticData, toTextEdit } from './diagnostics';
import type { StoredDocument } from './documents';
import { pathToUri } from './uri';

export const FIX_ALL_KIND = 'source.fixAll.migrationGuard';
/** Server-side command: opens a rule's documentation (`window/showDocument`, external). */
export const SHOW_DOCUMENTATION_COMMAND = 'migrationGuard.showDocumentation';

/** The documentation page of a rule code given to SHOW_DOCUMENTATION_COMMAND; undefined for anything else. */
export function documentationUrl(argument: unknown): string | undefined {
  const rule = typeof argument === 'string' ? ALL_RULES.find((candidate) => candidate.code === argument) : undefined;
  return rule ? ruleUrl(rule) : undefined;
}

/** Whether a requested `only` filter lets `kind` through (`source` lets `source.fixAll.migrationGuard` through). */
export function kindRequested(only: readonly string[] | undefined, kind: string): boolean {
  if (!only) return kind === CodeActionKind.QuickFix; // fix-all only when asked for (on save, or the command)
  return only.some((wanted) => wanted === '' || kind === wanted || kind.startsWith(`${wanted}.`));
}

/** One edit covering only what differs between the texts (never splitting a `\r\n` or a surrogate pair). */
export function minimalEdit(before: string, after: string): Edit {
  let prefix = 0;
  const shortest = Math.min(before.length, after.length);
  while (prefix < shortest && before.charCodeAt(prefix) === after.charCodeAt(prefix)) prefix++;
  let suffix = 0;
  while (suffix < shortest - prefix && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  const splits = (text: string, at: number) => {
    const previous = text.charCodeAt(at - 1);
    const next = text.charCodeAt(at);
    return (previous === 13 && next === 10) || (previous >= 0xd800 && previous <= 0xdbff && next >= 0xdc00 && next <= 0xdfff);
  };
  while (prefix > 0 && (splits(before, prefix) || splits(after, prefix))) prefix--;
  while (suffix > 0 && (splits(before, before.length - suffix) || splits(after, after.length - suffix))) suffix--;
  return { start: prefix, end: before.length - suffix, text: after.slice(prefix, after.length - suffix) };
}

function isOurs(diagnostic: Diagnostic): boolean {
  return diagnostic.source === SOURCE && typeof diagnostic.code === 'string' && /^MG\d{3}$/.test(diagnostic.code) && diagnostic.code !== 'MG000';
}

/** How a fix that also edits other files (MG201: models.py) finds them and sends its edit. */
export interface OtherFiles {
  /** The file's text now (the open document's, else the disk's) and the open document's version. */
  read(path: string): { text: string; version?: number } | undefined;
  /** The client applies `documentChanges` (workspace.workspaceEdit.documentChanges). */
  documentChanges: boolean;
}

/**
 * One edit of the document and the other files, or undefined when one of them changed since the fix was
 * computed (its text hash differs) or cannot be read: the action is then not offered rather than misapplied.
 */
function multiFileEdit(stored: StoredDocument, edits: TextEdit[], otherFiles: FileEdits[], others: OtherFiles | undefined): WorkspaceEdit | undefined {
  if (!others) return undefined;
  const files: { uri: string; version: number | null; edits: TextEdit[] }[] = [{ uri: stored.uri, version: stored.version, edits }];
  for (const other of otherFiles) {
    const current = others.read(other.path);
    if (!current || textHash(current.text) !== other.textHash) return undefined;
    const lines = new LineIndex(current.text);
    files.push({ uri: pathToUri(other.path), version: current.version ?? null, edits: other.edits.map((edit) => toTextEdit(lines, edit)) });
  }
  if (others.documentChanges) return { documentChanges: files.map((file) => TextDocumentEdit.create({ uri: file.uri, version: file.version }, file.edits)) };
  return { changes: Object.fromEntries(files.map((file) => [file.uri, file.edits])) };
}

/** Quick fixes and "ignore on this line" for the request's diagnostics that still match the text. */
export function quickFixes(params: CodeActionParams, stored: StoredDocument, others?: OtherFiles): CodeAction[] {
  const uri = stored.uri;
  const fixes: CodeAction[] = [];
  const ignores: CodeAction[] = [];
  const fileIgnores: CodeAction[] = [];
  const docs: CodeAction[] = [];
  const ignored = new Set<string>();
  const perCode = new Set<string>();
  const text = stored.document.getText();
  let lines: LineIndex | undefined;
  for (const diagnostic of params.context.diagnostics) {
    if (!isOurs(diagnostic) || !isDiagnosticData(diagnostic.data) || diagnostic.data.version !== stored.version) continue;
    const code = diagnostic.code as string;
    diagnostic.data.fixes.forEach((fix, index) => {
      if (!Array.isArray(fix.edits) || fix.edits.length === 0) return;
      const edit = fix.otherFiles?.length ? multiFileEdit(stored, fix.edits, fix.otherFiles, others) : { changes: { [uri]: fix.edits } };
      if (!edit) return;
      fixes.push({
        title: `Migration Guard (${code}): ${fix.title}`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        isPreferred: index === 0 && fix.applicability === 'safe',
        edit,
      });
    });
    if (!perCode.has(code)) {
      perCode.add(code);
      const fileEdit = ignoreFileEdit(text, code);
      lines ??= new LineIndex(text);
      if (fileEdit) {
        fileIgnores.push({
          title: `Migration Guard: Ignore ${code} in this file`,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          edit: { changes: { [uri]: [toTextEdit(lines, fileEdit)] } },
        });
      }
      if (diagnostic.codeDescription?.href) {
        // The argument is the rule code: the server builds the address from it (see documentationUrl).
        docs.push({
          title: `Migration Guard: Show documentation for ${code}`,
          kind: CodeActionKind.QuickFix,
          diagnostics: [diagnostic],
          command: { title: `Show documentation for ${code}`, command: SHOW_DOCUMENTATION_COMMAND, arguments: [code] },
        });
      }
    }
    const line = diagnostic.range.start.line;
    const key = `${code}:${line}`;
    if (ignored.has(key)) continue;
    ignored.add(key);
    const edit = noqaEdit(text, line, code);
    if (!edit) continue;
    lines ??= new LineIndex(text);
    ignores.push({
      title: `Migration Guard: Ignore ${code} on this line`,
      kind: CodeActionKind.QuickFix,
      diagnostics: [diagnostic],
      edit: { changes: { [uri]: [toTextEdit(lines, edit)] } },
    });
  }
  return [...fixes, ...ignores, ...fileIgnores, ...docs];
}

/** The fix-all action for `before` → `after` (the text after every safe fix); none when nothing changes. */
export function fixAllAction(uri: string, before: string, after: string): CodeAction | undefined {
  if (after === before) return undefined;
  const edit: TextEdit = toTextEdit(new LineIndex(before), minimalEdit(before, after));
  return {
    title: 'Migration Guard: Fix all safe problems',
    kind: FIX_ALL_KIND,
    edit: { changes: { [uri]: [edit] } },
  };
}
