// One file of `migration-guard check`: index it, or lint it (and fix it) into findings. Shared by the main
// thread and the worker threads of a parallel check (cli/parallel.ts), so both produce the same report.
import type { Config } from '../config/defaults';
import { mayBeSettings } from '../analysis/fileKind';
import { isMigrationPath } from '../analysis/migration';
import type { SourceEncoding } from '../base/encoding';
import { readSource, writeSourceAtomically, type SourceRead } from '../base/files';
import { chooseFix, fixSource } from '../engine/fix';
import { applyEdits } from '../fixes/apply';
import { textHash, type FileEdits } from '../fixes/types';
import { TOO_DEEP, isStackOverflow, lintSource, workBoundNote, type LintInput, type LintResult, type ParsedMigration } from '../engine/lint';
import { parsePython } from '../base/parser';
import { loadSqlParser } from '../base/sql-parser';
import { hasRunSql } from '../analysis/summary';
import { LineIndex } from '../base/text';
import type { Workspace } from '../engine/workspace';
import { unifiedDiff } from './diff';
import { toFinding, type Finding } from './findings';
import { displayPath, printable } from './format';
import { createNewFiles, removeCreated } from './new-files';

/** File texts read once, and the line indexes related locations point into (what was linted or fixed, else disk). */
export class Sources {
  private readonly texts = new Map<string, SourceRead>();
  private readonly lines = new Map<string, LineIndex | undefined>();
  /** Files seen to be neither a migration nor possibly a settings module: never parsed, their text not kept. */
  private readonly others = new Set<string>();
  /** Other files the rules read (MG201: each app's models.py, once per finding otherwise). */
  private readonly readByRules = new Map<string, string | undefined>();

  read(path: string): SourceRead {
    return this.texts.get(path) ?? readSource(path);
  }

  keep(path: string, source: SourceRead): void {
    this.texts.set(path, source);
  }

  markOther(path: string): void {
    this.others.add(path);
  }

  isOther(path: string): boolean {
    return this.others.has(path);
  }

  /** Another file's text for a rule: a kept or fixed text, else the disk's, read once. */
  readForRule(path: string): string | undefined {
    const kept = this.texts.get(path);
    if (kept) return kept.ok ? kept.text : undefined;
    if (!this.readByRules.has(path)) {
      const read = readSource(path);
      this.readByRules.set(path, read.ok ? read.text : undefined);
    }
    return this.readByRules.get(path);
  }

  /** A file was fixed: its new text is what related locations into it point at. */
  replace(path: string, text: string, encoding: SourceEncoding): void {
    this.texts.set(path, { ok: true, text, encoding });
    this.lines.delete(path);
  }

  readonly linesOf = (path: string, text: string | undefined): LineIndex | undefined => {
    if (text !== undefined) return new LineIndex(text);
    if (!this.lines.has(path)) {
      const source = this.read(path);
      this.lines.set(path, source.ok ? new LineIndex(source.text) : undefined);
    }
    return this.lines.get(path);
  };
}

/** Whether a file can produce a finding: a migration, or a module that may be a settings module (see mayBeSettings). */
export function mayHaveFindings(file: string, text: string, settingsModules: ReadonlySet<string>): boolean {
  return isMigrationPath(file) || mayBeSettings(file, text, settingsModules);
}

/**
 * Indexes one file of a project into `workspace`. A migration's pass (tree, Migration model, summary) may be
 * handed over (`keep`) for its lint, which then neither parses nor extracts it again; returns it when kept.
 */
export function indexFile(workspace: Workspace, file: string, source: SourceRead, settingsModules: ReadonlySet<string>, keep = false): ParsedMigration | undefined {
  if (!source.ok) return undefined;
  if (!isMigrationPath(file)) {
    workspace.indexText(file, source.text, settingsModules);
    return undefined;
  }
  const tree = parsePython(source.text);
  try {
    const { migration, summary } = workspace.extractTree(file, tree);
    workspace.setMigration(file, summary);
    if (keep) {
      tree.forgetChildLists();
      return { tree, migration, summary };
    }
  } catch {
    workspace.setMigration(file, undefined); // linting it reports the problem
  }
  tree.delete();
  return undefined;
}

/**
 * Source bytes of migrations whose pass of the index (tree, Migration model, summary) is kept for their lint,
 * which then neither parses nor extracts them again; beyond the budget, files are parsed again when linted. Trees
 * are plain-JS copies (base/tree.ts, ~20 bytes per node in typed arrays): a kept pass costs ~20 bytes of memory per
 * source byte, half of what a kept wasm tree did. Measured (npm run bench -- --floor --quick, CLI/floor ratio and
 * peak RSS, same run): saleor 4.16× / 199 MB at 1 MiB, 2.61× / 208 MB keeping all of it; the bench's realistic
 * project 4.23× / 292 MB at 1 MiB, 2.36× / 294 MB keeping all. Keeping everything wins on time for ~10 MB: 8 MiB
 * keeps both projects whole and bounds a larger one. The budget is per thread.
 */
export const KEPT_TREES_BYTES = 8 * 1024 * 1024;

/**
 * What a thread's index keeps for its own lint of the same files: their texts (read once), and their migrations'
 * passes within KEPT_TREES_BYTES. Used by the one-thread check and by each thread of a parallel one.
 */
export class KeptForLint {
  private readonly passes = new Map<string, ParsedMigration>();
  private bytes = 0;

  constructor(readonly sources: Sources) {}

  /**
   * Indexes a project's files into its workspace; `lint`: the files this thread lints later, whose texts and passes
   * are kept. The first migration to lint that runs raw SQL starts loading PostgreSQL's parser (the condition the
   * lint awaits it on). The load reads and compiles its wasm asynchronously, so the index lets it take its next step
   * every few files until it is done, instead of leaving all of it for after (saleor: 33-86 ms then, 6-10 ms now).
   */
  async indexProject(workspace: Workspace, files: Iterable<string>, settingsModules: ReadonlySet<string>, lint: ReadonlySet<string>): Promise<void> {
    workspace.indexing = true;
    for (const file of files) {
      this.indexOne(workspace, file, settingsModules, lint.has(file));
      if (!this.sqlLoad && lint.has(file) && hasRunSql(workspace.summary(file))) {
        this.sqlLoad = loadSqlParser();
        void this.sqlLoad.then(() => (this.sqlLoaded = true));
      }
      if (this.sqlLoad && !this.sqlLoaded && ++this.sinceYield >= 16) {
        this.sinceYield = 0;
        await new Promise(setImmediate);
      }
    }
    workspace.indexing = false;
  }

  private sqlLoad?: Promise<boolean>;
  private sqlLoaded = false;
  private sinceYield = 0;

  private indexOne(workspace: Workspace, file: string, settingsModules: ReadonlySet<string>, lint: boolean): void {
    const source = this.sources.read(file);
    if (lint) {
      if (!source.ok || mayHaveFindings(file, source.text, settingsModules)) this.sources.keep(file, source);
      else this.sources.markOther(file);
    }
    const keep = source.ok && lint && !this.passes.has(file) && this.bytes + source.text.length <= KEPT_TREES_BYTES;
    const parsed = indexFile(workspace, file, source, settingsModules, keep);
    if (parsed && source.ok) {
      this.passes.set(file, parsed);
      this.bytes += source.text.length;
    }
  }

  /** The kept pass of `file`, handed over to its lint (which frees its tree). */
  take(file: string): ParsedMigration | undefined {
    const parsed = this.passes.get(file);
    this.passes.delete(file);
    return parsed;
  }

  /** The summaries of the kept passes, by path: the lint's workspace records these very objects. */
  summary(file: string): ParsedMigration['summary'] {
    return this.passes.get(file)?.summary;
  }

  /** Frees the trees of passes no lint took. */
  release(): void {
    for (const parsed of this.passes.values()) parsed.tree.delete();
    this.passes.clear();
  }
}

export interface FixOptions {
  unsafe: boolean;
  /** Collect a unified diff instead of writing the file. */
  diff: boolean;
  /** Diff paths are relative to it. */
  repoRoot: string;
}

export interface CheckFileContext {
  cwd: string;
  config(file: string): Config;
  settingsModules: ReadonlySet<string>;
  workspace(file: string): Workspace | undefined;
  sources: Sources;
  fix?: FixOptions;
}

/** What checking one file gave: plain data, so a worker thread can send it to the main thread. */
export interface FileOutcome {
  linted: boolean;
  /** False for a file that cannot produce a finding (neither a migration nor possibly settings): not parsed, not counted. */
  checked: boolean;
  findings: Finding[];
  /** Lines for standard error, in order. */
  messages: string[];
  safeFixable: number;
  unsafeOnlyFixable: number;
  /** Fixes applied (or, with --diff, that would be). */
  fixed: number;
  /** Fixes could not be written to the file (a write error: the check exits 2). */
  writeFailed: boolean;
  diff: string;
  /** Files the fixes created (MG101: a migration of its own), to be indexed and linted with the rest. */
  created: string[];
}

export function checkFile(file: string, context: CheckFileContext, parsed?: ParsedMigration): FileOutcome {
  const outcome: FileOutcome = { linted: false, checked: true, findings: [], messages: [], safeFixable: 0, unsafeOnlyFixable: 0, fixed: 0, writeFailed: false, diff: '', created: [] };
  if (context.sources.isOther(file)) return { ...outcome, checked: false };
  const shown = printable(displayPath(file, context.cwd));
  const source = context.sources.read(file);
  if (!source.ok) {
    parsed?.tree.delete();
    outcome.messages.push(`${shown}: not linted: ${source.reason.replace('; not linted', '')}\n`);
    return outcome;
  }
  if (!mayHaveFindings(file, source.text, context.settingsModules)) return { ...outcome, checked: false };
  const workspace = context.workspace(file);
  const input: LintInput = {
    path: file,
    text: source.text,
    parsed,
    config: context.config(file),
    settingsModules: context.settingsModules,
    workspace,
    settingsIndex: workspace?.settings,
    readFile: (path) => context.sources.readForRule(path),
    onRuleError: (rule, error) => {
      const detail = error instanceof Error ? error.stack ?? error.message : String(error);
      outcome.messages.push(`${shown}: rule ${rule.code} failed; its findings are missing (please report this bug):\n${detail}\n`);
    },
  };
  let text = source.text;
  let result: LintResult;
  try {
    try {
      result = lintSource(input);
    } catch (error) {
      parsed?.tree.delete();
      throw error;
    }
    const { fix } = context;
    if (fix && result.violations.some((violation) => chooseFix(violation, fix.unsafe))) {
      if (result.tree.rootNode.hasError) {
        outcome.messages.push(`${shown}: not fixed: the file has Python syntax errors\n`);
      } else {
        result.tree.delete();
        const fixed = fixSource({ ...input, parsed: undefined }, { unsafe: fix.unsafe });
        result = fixed.result;
        if (fixed.applied > 0 && fixed.text !== text) {
          // New files first (MG101's migration of its own), then other files (MG201's models.py): the migration is
          // only written once they are, and the new files are taken back if it cannot be.
          const created = fix.diff ? { ok: true as const, paths: [] } : createNewFiles(fixed.newFiles, context.cwd, 'the fix');
          const others = created.ok ? fixOtherFiles(context, fixed.otherFiles, fix.diff) : { ok: false as const, changed: false, reason: created.reason };
          const written = others.ok ? (fix.diff ? undefined : writeSourceAtomically(file, fixed.text, source)) : { written: false as const, changed: others.changed, reason: others.reason };
          if (created.ok && (!others.ok || (written && !written.written))) removeCreated(created.paths);
          else if (created.ok) {
            for (const path of created.paths) outcome.messages.push(`${printable(displayPath(path, context.cwd))}: created by the fix of ${shown}\n`);
            outcome.created.push(...created.paths);
          }
          if (written && !written.written) {
            // Not written: the file keeps its text, so its findings are those of that text (linted again, which
            // also puts its summary back in the index).
            outcome.messages.push(`${shown}: not fixed: ${written.reason}${written.changed ? '; run again to fix it' : ''}\n`);
            if (!written.changed) outcome.writeFailed = true;
            result.tree.delete();
            result = lintSource({ ...input, parsed: undefined });
          } else {
            if (fix.diff) {
              outcome.diff = unifiedDiff(displayPath(file, fix.repoRoot), text, fixed.text) + (others.ok ? others.diff(fix.repoRoot) : '')
                + fixed.newFiles.map((created) => unifiedDiff(displayPath(created.path, fix.repoRoot), '', created.text).replace(/^--- a\/.*\n/, '--- /dev/null\n')).join('');
            }
            text = fixed.text;
            context.sources.replace(file, text, source.encoding);
            outcome.fixed = fixed.applied;
          }
        }
      }
    }
  } catch (error) {
    const reason = isStackOverflow(error) ? TOO_DEEP : `internal error: ${error instanceof Error ? error.message : String(error)}`;
    outcome.messages.push(`${shown}: not linted: ${reason}\n`);
    return outcome;
  }
  outcome.linted = true;
  const note = workBoundNote(result);
  if (note) outcome.messages.push(`${shown}: ${note}\n`);
  if (result.violations.length > 0) {
    const lines = result.lines();
    for (const violation of result.violations) {
      outcome.findings.push(toFinding(file, lines, violation, context.sources.linesOf));
      if (violation.fixes.some((candidate) => candidate.applicability === 'safe')) outcome.safeFixable++;
      else if (violation.fixes.length > 0) outcome.unsafeOnlyFixable++;
    }
  }
  result.tree.delete();
  return outcome;
}

type OtherFilesOutcome = { ok: true; diff: (repoRoot: string) => string } | { ok: false; changed: boolean; reason: string };

/**
 * Applies a fix's edits to the other files it changes (MG201: the model's field in models.py) and writes them
 * (not with --diff). Nothing is written when one of them changed since the fix was computed.
 */
function fixOtherFiles(context: CheckFileContext, otherFiles: FileEdits[], diffOnly: boolean): OtherFilesOutcome {
  const planned: { path: string; before: string; after: string; source: Extract<SourceRead, { ok: true }> }[] = [];
  for (const other of otherFiles) {
    const source = context.sources.read(other.path);
    if (!source.ok || textHash(source.text) !== other.textHash) return { ok: false, changed: true, reason: `${printable(displayPath(other.path, context.cwd))}, which the fix also changes, changed since it was read` };
    planned.push({ path: other.path, before: source.text, after: applyEdits(source.text, other.edits), source });
  }
  for (const { path, after, source } of diffOnly ? [] : planned) {
    const written = writeSourceAtomically(path, after, source);
    if (!written.written) return { ok: false, changed: written.changed, reason: `${printable(displayPath(path, context.cwd))}: ${written.reason}` };
    context.sources.replace(path, after, source.encoding);
  }
  return { ok: true, diff: (repoRoot) => planned.map(({ path, before, after }) => unifiedDiff(displayPath(path, repoRoot ?? context.cwd), before, after)).join('') };
}
