// Code actions, stateless: the fixes come from the diagnostic's `data`, valid only for the version they were
// computed on. Plus "ignore on this line", "ignore in this file", "show documentation" and
// `source.fixAll.migrationGuard` (safe fixes only).
import {
  CodeActionKind, type CodeAction, type CodeActionParams, type CreateFile, type Diagnostic, type TextDocumentEdit, type TextEdit,
} from 'vscode-languageserver/node';
import type { Config } from '../config/defaults';
import type { Tree } from '../engine/parser';
import type { Workspace } from '../engine/workspace';
import { planRewrite, REWRITE_CODES, REWRITE_TITLE } from '../rewrite';
import { pathToUri } from './uri';
import { LineIndex } from '../engine/text';
import { ignoreFileEdit, noqaEdit } from '../fixes/noqa';
import type { Edit } from '../fixes/types';
import { ALL_RULES } from '../rules';
import { ruleUrl } from '../rules/types';
import { SOURCE } from './configuration';
import { isDiagnosticData, toTextEdit } from './diagnostics';
import type { StoredDocument } from './documents';

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
  // Fix-all only when asked for (on save, or the command); quick fixes and rewrites for the lightbulb.
  if (!only) return kind === CodeActionKind.QuickFix || kind === CodeActionKind.RefactorRewrite;
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

/** Quick fixes and "ignore on this line" for the request's diagnostics that still match the text. */
export function quickFixes(params: CodeActionParams, stored: StoredDocument): CodeAction[] {
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
      fixes.push({
        title: `Migration Guard (${code}): ${fix.title}`,
        kind: CodeActionKind.QuickFix,
        diagnostics: [diagnostic],
        isPreferred: index === 0 && fix.applicability === 'safe',
        edit: { changes: { [uri]: fix.edits } },
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

/** What the client can take of a rewrite: a WorkspaceEdit that creates files, and actions shown disabled. */
export interface RewriteSupport {
  createFiles: boolean;
  disabledActions: boolean;
}

/** An open document's config, tree and workspace index (undefined until built), from the linter. */
export interface RewriteInput {
  stored: StoredDocument & { path: string };
  config: Config;
  tree: Tree;
  workspace?: Workspace;
}

/**
 * "Rewrite as safe steps" for the request's diagnostics that have one (refactor.rewrite, never preferred, never
 * in fix-all): one WorkspaceEdit that edits this migration and creates the follow-ups. Only for clients that can
 * create files; a rewrite that cannot be offered is shown disabled with its reason, to clients that show those.
 */
export function rewriteActions(params: CodeActionParams, input: RewriteInput, support: RewriteSupport): CodeAction[] {
  if (!support.createFiles) return [];
  const { stored } = input;
  const text = stored.document.getText();
  const actions: CodeAction[] = [];
  const seen = new Set<string>();
  for (const diagnostic of params.context.diagnostics) {
    if (!isOurs(diagnostic) || !REWRITE_CODES.has(diagnostic.code as string)) continue;
    if (!isDiagnosticData(diagnostic.data) || diagnostic.data.version !== stored.version) continue;
    const code = diagnostic.code as string;
    const offset = stored.document.offsetAt(diagnostic.range.start);
    const key = `${code}:${offset}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const outcome = planRewrite({ path: stored.path, text, config: input.config, workspace: input.workspace, code, offset, tree: input.tree });
    if (!outcome) continue;
    const title = `Migration Guard (${code}): ${REWRITE_TITLE}`;
    if (!outcome.ok) {
      if (support.disabledActions) actions.push({ title, kind: CodeActionKind.RefactorRewrite, diagnostics: [diagnostic], disabled: { reason: outcome.reason } });
      continue;
    }
    const lines = new LineIndex(text);
    const documentChanges: (TextDocumentEdit | CreateFile)[] = [
      { textDocument: { uri: stored.uri, version: stored.version }, edits: outcome.rewrite.edits.map((edit) => toTextEdit(lines, edit)) },
    ];
    for (const other of outcome.rewrite.otherFiles) {
      const otherLines = new LineIndex(other.text);
      documentChanges.push({ textDocument: { uri: pathToUri(other.path), version: null }, edits: other.edits.map((edit) => toTextEdit(otherLines, edit)) });
    }
    for (const file of outcome.rewrite.files) {
      const uri = pathToUri(file.path);
      documentChanges.push(
        { kind: 'create', uri, options: { overwrite: false, ignoreIfExists: false } },
        { textDocument: { uri, version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: file.text }] },
      );
    }
    actions.push({ title, kind: CodeActionKind.RefactorRewrite, diagnostics: [diagnostic], isPreferred: false, edit: { documentChanges } });
  }
  return actions;
}
