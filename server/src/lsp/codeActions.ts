// Code actions, stateless: the fixes come from the diagnostic's `data`, valid only for the version they were
// computed on. Plus "ignore on this line", "ignore in this file", "show documentation" and
// `source.fixAll.migrationGuard` (safe fixes only).
import {
  CodeActionKind, TextDocumentEdit, type CodeAction, type CodeActionParams, type CreateFile, type Diagnostic, type TextEdit, type WorkspaceEdit,
} from 'vscode-languageserver/node';
import type { Config } from '../config/defaults';
import type { Tree } from '../base/parser';
import type { Workspace } from '../engine/workspace';
import { planRewrite, REWRITE_CODES, REWRITE_TITLE } from '../rewrite';
import { lintablePath, pathToUri } from './uri';
import { LineIndex } from '../base/text';
import { ignoreFileEdit, noqaEdit } from '../fixes/noqa';
import { textHash, type Edit, type FileEdits, type NewFile } from '../fixes/types';
import { ALL_RULES } from '../rules';
import { ruleUrl } from '../rules/types';
import { SOURCE } from './configuration';
import { isDiagnosticData, toTextEdit, type DiagnosticFix } from './diagnostics';
import type { StoredDocument } from './documents';

export const FIX_ALL_KIND = 'source.fixAll.migrationGuard';
/** Server-side command: opens a rule's documentation (`window/showDocument`, external). */
export const SHOW_DOCUMENTATION_COMMAND = 'migrationGuard.showDocumentation';

/** The documentation page of a rule code given to SHOW_DOCUMENTATION_COMMAND; undefined for anything else. */
export function documentationUrl(argument: unknown): string | undefined {
  const rule = typeof argument === 'string' ? ALL_RULES.find((candidate) => candidate.code === argument) : undefined;
  return rule ? ruleUrl(rule) : undefined;
}

/**
 * Server-side command a rewrite's action carries: opens the first migration the rewrite created
 * (`window/showDocument`, focused): VS Code 1.100 creates and saves the files of a WorkspaceEdit without opening them
 * (seen in the code-server e2e), and the next step to read is there.
 */
export const OPEN_CREATED_COMMAND = 'migrationGuard.openCreatedMigration';

/** The `file:` URI of a Python file given to OPEN_CREATED_COMMAND; undefined for anything else. */
export function createdMigrationUri(argument: unknown): string | undefined {
  return typeof argument === 'string' && lintablePath(argument) !== undefined ? argument : undefined;
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

/** The fix's menu title: an unsafe fix says so, and what it may change. */
export function fixTitle(codes: readonly string[], fix: DiagnosticFix): string {
  const unsafe = fix.applicability === 'safe' ? '' : ` (unsafe: ${fix.unsafeBecause ?? 'it may change what the code does'})`;
  return `Migration Guard (${codes.join(', ')}): ${fix.title}${unsafe}`;
}

/** How a fix that also edits other files (MG201: models.py) finds them and sends its edit. */
export interface OtherFiles {
  /** The file's text now (the open document's, else the disk's) and the open document's version. */
  read(path: string): { text: string; version?: number } | undefined;
  /** The client applies `documentChanges` (workspace.workspaceEdit.documentChanges). */
  documentChanges: boolean;
  /** It also creates files through them (resourceOperations `create`): a fix that adds a file is offered only then. */
  createFiles?: boolean;
}

/**
 * One edit of the document and the other files, or undefined when one of them changed since the fix was
 * computed (its text hash differs) or cannot be read: the action is then not offered rather than misapplied.
 */
function multiFileEdit(stored: StoredDocument, edits: TextEdit[], otherFiles: FileEdits[], newFiles: NewFile[], others: OtherFiles | undefined): WorkspaceEdit | undefined {
  if (!others || (newFiles.length > 0 && !(others.documentChanges && others.createFiles))) return undefined;
  const files: { uri: string; version: number | null; edits: TextEdit[] }[] = [{ uri: stored.uri, version: stored.version, edits }];
  for (const other of otherFiles) {
    const current = others.read(other.path);
    if (!current || textHash(current.text) !== other.textHash) return undefined;
    const lines = new LineIndex(current.text);
    files.push({ uri: pathToUri(other.path), version: current.version ?? null, edits: other.edits.map((edit) => toTextEdit(lines, edit)) });
  }
  if (others.documentChanges) {
    const documentChanges: (TextDocumentEdit | CreateFile)[] = files.map((file) => TextDocumentEdit.create({ uri: file.uri, version: file.version }, file.edits));
    // A new file is created, never over an existing one (the client fails the whole edit then), and filled.
    for (const file of newFiles) {
      const uri = pathToUri(file.path);
      documentChanges.push(
        { kind: 'create', uri, options: { overwrite: false, ignoreIfExists: false } },
        TextDocumentEdit.create({ uri, version: null }, [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: file.text }]),
      );
    }
    return { documentChanges };
  }
  return { changes: Object.fromEntries(files.map((file) => [file.uri, file.edits])) };
}

/**
 * Quick fixes and "ignore on this line" for the request's diagnostics that still match the text. One entry per
 * distinct edit: diagnostics whose fixes make the same edit (MG601 and MG602 add both timeouts) share one
 * action, and the codes reported on one line share one "ignore" action.
 */
export function quickFixes(params: CodeActionParams, stored: StoredDocument, others?: OtherFiles): CodeAction[] {
  const uri = stored.uri;
  const fixes = new Map<string, { codes: string[]; fix: DiagnosticFix; diagnostics: Diagnostic[]; preferred: boolean }>();
  const lineCodes = new Map<number, { codes: string[]; diagnostics: Diagnostic[] }>();
  const fileIgnores: CodeAction[] = [];
  const docs: CodeAction[] = [];
  const perCode = new Set<string>();
  const text = stored.document.getText();
  let lines: LineIndex | undefined;
  for (const diagnostic of params.context.diagnostics) {
    if (!isOurs(diagnostic) || !isDiagnosticData(diagnostic.data) || diagnostic.data.version !== stored.version) continue;
    const code = diagnostic.code as string;
    diagnostic.data.fixes.forEach((fix, index) => {
      if (!Array.isArray(fix.edits) || fix.edits.length === 0) return;
      const key = JSON.stringify([fix.applicability, fix.edits, fix.otherFiles ?? [], fix.newFiles ?? []]);
      const same = fixes.get(key);
      if (!same) {
        fixes.set(key, { codes: [code], fix, diagnostics: [diagnostic], preferred: index === 0 && fix.applicability === 'safe' });
        return;
      }
      if (!same.codes.includes(code)) same.codes.push(code);
      same.diagnostics.push(diagnostic);
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
    const onLine = lineCodes.get(line) ?? { codes: [], diagnostics: [] };
    lineCodes.set(line, onLine);
    if (!onLine.codes.includes(code)) onLine.codes.push(code);
    onLine.diagnostics.push(diagnostic);
  }
  const ignores: CodeAction[] = [];
  for (const [line, { codes, diagnostics }] of lineCodes) {
    const edit = noqaEdit(text, line, codes);
    if (!edit) continue;
    lines ??= new LineIndex(text);
    ignores.push({
      title: `Migration Guard: Ignore ${codes.join(', ')} on this line`,
      kind: CodeActionKind.QuickFix,
      diagnostics,
      edit: { changes: { [uri]: [toTextEdit(lines, edit)] } },
    });
  }
  const fixActions: CodeAction[] = [];
  for (const { codes, fix, diagnostics, preferred } of fixes.values()) {
    const edit = fix.otherFiles?.length || fix.newFiles?.length
      ? multiFileEdit(stored, fix.edits, fix.otherFiles ?? [], fix.newFiles ?? [], others)
      : { changes: { [uri]: fix.edits } };
    if (edit) fixActions.push({ title: fixTitle(codes, fix), kind: CodeActionKind.QuickFix, diagnostics, isPreferred: preferred, edit });
  }
  return [...fixActions, ...ignores, ...fileIgnores, ...docs];
}

/** "2 safe fixes; 1 unsafe fix left (MG301): use the lightbulb": what Fix All did and did not do, and why. */
export function fixAllSummary(applied: number, unsafeLeft: readonly string[]): string {
  const done = `${applied} safe fix${applied === 1 ? '' : 'es'}`;
  if (unsafeLeft.length === 0) return done;
  const codes = [...new Set(unsafeLeft)].sort().join(', ');
  return `${done}; ${unsafeLeft.length} unsafe fix${unsafeLeft.length === 1 ? '' : 'es'} left (${codes}): they may change behaviour, use the lightbulb`;
}

/** The fix-all action for `before` → `after` (the text after every safe fix); none when nothing changes. */
export function fixAllAction(uri: string, before: string, after: string, applied = 0, unsafeLeft: readonly string[] = []): CodeAction | undefined {
  if (after === before) return undefined;
  const edit: TextEdit = toTextEdit(new LineIndex(before), minimalEdit(before, after));
  return {
    title: `Migration Guard: Fix all safe problems (${fixAllSummary(applied, unsafeLeft)})`,
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
export function rewriteActions(params: CodeActionParams, input: RewriteInput, support: RewriteSupport, read: OtherFiles['read']): CodeAction[] {
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
    // models.py and earlier migrations as the editor has them: an unsaved models.py gets edits made on its own text.
    const outcome = planRewrite({ path: stored.path, text, config: input.config, workspace: input.workspace, code, offset, tree: input.tree, readFile: (path) => read(path)?.text });
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
      const version = read(other.path)?.version ?? null; // an open document's: the client refuses the edit if it changed since
      documentChanges.push({ textDocument: { uri: pathToUri(other.path), version }, edits: other.edits.map((edit) => toTextEdit(otherLines, edit)) });
    }
    for (const file of outcome.rewrite.files) {
      const uri = pathToUri(file.path);
      documentChanges.push(
        { kind: 'create', uri, options: { overwrite: false, ignoreIfExists: false } },
        { textDocument: { uri, version: null }, edits: [{ range: { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, newText: file.text }] },
      );
    }
    const [first] = outcome.rewrite.files;
    const command = first ? { title: 'Open the next step', command: OPEN_CREATED_COMMAND, arguments: [pathToUri(first.path)] } : undefined;
    actions.push({ title, kind: CodeActionKind.RefactorRewrite, diagnostics: [diagnostic], isPreferred: false, edit: { documentChanges }, ...(command ? { command } : {}) });
  }
  return actions;
}
