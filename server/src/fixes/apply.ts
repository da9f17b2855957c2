// Applies fixes to a text. Overlapping fixes are deferred: callers re-lint and apply again (ruff's loop).
import { normalizeEdits } from './edits';
import type { Edit, Fix } from './types';

export function applyEdits(text: string, edits: Edit[]): string {
  let result = '';
  let cursor = 0;
  for (const edit of normalizeEdits(edits)) {
    result += text.slice(cursor, edit.start) + edit.text;
    cursor = edit.end;
  }
  return result + text.slice(cursor);
}

/**
 * Applies as many fixes as fit without overlapping (a zero-length insertion at the same point counts as an
 * overlap). Returns the new text and how many fixes went in.
 */
export function applyNonOverlapping(text: string, fixes: Fix[]): { text: string; applied: number; fixes: Fix[] } {
  const taken: Edit[] = [];
  const appliedFixes: Fix[] = [];
  let applied = 0;
  for (const fix of fixes) {
    const edits = normalizeEdits(fix.edits);
    const clashes = edits.some((edit) => taken.some((other) => (edit.start < other.end && other.start < edit.end) || edit.start === other.start));
    if (clashes || edits.length === 0) continue;
    taken.push(...edits);
    appliedFixes.push(fix);
    applied++;
  }
  return { text: applyEdits(text, taken), applied, fixes: appliedFixes };
}
