// Applying fixes to a whole file: ruff's loop of apply-what-fits, re-lint, repeat.
import { applyNonOverlapping } from '../fixes/apply';
import type { Applicability, Fix } from '../fixes/types';
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
}

export function fixSource(input: LintInput, options: { unsafe?: boolean; only?: (violation: Violation) => boolean } = {}): FixResult {
  let text = input.text;
  let applied = 0;
  let result = lintSource({ ...input, previousTree: undefined });
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
    result.tree.delete();
    result = lintSource({ ...input, text, previousTree: undefined });
  }
  return { text, applied, result };
}

export type { Applicability };
