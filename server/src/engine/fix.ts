// Applying fixes to a whole file: ruff's loop of apply-what-fits, re-lint, repeat.
import { applyNonOverlapping } from '../fixes/apply';
import type { Applicability, FileEdits, Fix, NewFile } from '../fixes/types';
import type { Violation } from '../rules/types';
import { lintSource, type LintInput, type LintResult } from './lint';

const MAX_ROUNDS = 10;

/** The fix a bulk "fix all" would take for a violation: the first one of the allowed applicability. */
export function chooseFix(violation: Violation, unsafe: boolean): Fix | undefined {
  return violation.fixes.find((fix) => fix.applicability === 'safe' || unsafe);
}

export interface FixResult {
  text: string;
  applied: number;
  /** The lint result of the final text. */
  result: LintResult;
  /**
   * The applied fixes' edits to other files (MG201: models.py), per file, against the text they were computed
   * on: the caller writes them with the file, or writes nothing.
   */
  otherFiles: FileEdits[];
  /** The files the applied fixes create (MG101: the index's migration of its own): the caller writes them, never over a file. */
  newFiles: NewFile[];
}

export function fixSource(input: LintInput, options: { unsafe?: boolean; only?: (violation: Violation) => boolean } = {}): FixResult {
  let text = input.text;
  let applied = 0;
  let result = lintSource({ ...input, previousTree: undefined });
  const otherFiles = new Map<string, FileEdits>();
  const newFiles = new Map<string, NewFile>();
  for (let round = 0; round < MAX_ROUNDS; round++) {
    const fixes = result.violations
      .filter((violation) => !options.only || options.only(violation))
      .map((violation) => chooseFix(violation, options.unsafe ?? false))
      .filter((fix): fix is Fix => !!fix);
    if (fixes.length === 0) break;
    const next = applyNonOverlapping(text, fixes);
    if (next.applied === 0 || next.text === text) break;
    text = next.text;
    applied += next.applied;
    for (const other of next.fixes.flatMap((fix) => fix.otherFiles ?? [])) {
      const known = otherFiles.get(other.path);
      if (known) known.edits.push(...other.edits);
      else otherFiles.set(other.path, { ...other, edits: [...other.edits] });
    }
    for (const file of next.fixes.flatMap((fix) => fix.newFiles ?? [])) if (!newFiles.has(file.path)) newFiles.set(file.path, file);
    result.tree.delete();
    result = lintSource({ ...input, text, previousTree: undefined });
  }
  return { text, applied, result, otherFiles: [...otherFiles.values()], newFiles: [...newFiles.values()] };
}

export type { Applicability };
