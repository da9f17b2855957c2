// The missing `reverse_code` / `reverse_sql` of RunPython and RunSQL (MG301, MG302): what is missing, and the
// `noop` that makes the migration reversible without undoing anything.
import { argument, type Operation } from '../analysis/migration';
import { literal } from '../analysis/syntax';
import type { RuleContext } from '../rules/types';
import { insertKeywordArgument, replaceNode } from './edits';
import type { Fix } from './types';

/**
 * Adds `<keyword>=<Operation>.noop` spelled the way the file spells the operation
 * (`migrations.RunPython.noop` or `RunPython.noop`), or replaces an explicit positional `None`.
 */
export function addNoopReverse(ctx: RuleContext, op: Operation, keyword: string): Fix[] {
  const noop = `${op.callee.text}.noop`;
  const current = argument(op, keyword);
  const edit = current ? replaceNode(current, noop) : insertKeywordArgument(ctx.text, op.node, keyword, noop);
  // Unsafe: migrating backwards now succeeds without undoing the data change.
  return edit ? [{ title: `Add ${keyword}=${noop}`, applicability: 'unsafe', unsafeBecause: 'a rollback then leaves the data as it is', edits: [edit] }] : [];
}

/** Missing, or written as `None`. */
export function lacksArgument(op: Operation, keyword: string): boolean {
  if (op.args.hasSplat) return false;
  const value = argument(op, keyword);
  return !value || literal(value).kind === 'none';
}
