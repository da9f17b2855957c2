// Hover on an operation's name: the PostgreSQL lock it takes, on which table, what it blocks, for how long,
// and the safe route (from analysis/locks.ts, the table the rule messages use too); on a code in `# noqa:`, the rule's docs.
import type { Hover } from 'vscode-languageserver/node';
import { MarkupKind } from 'vscode-languageserver/node';
import { isNewTable, parseMigration, tableName, type Migration, type Operation } from '../analysis/migration';
import { OPERATION_LOCKS } from '../analysis/locks';
import type { Database } from '../config/defaults';
import type { Tree } from '../engine/parser';
import { LineIndex } from '../engine/text';
import { findRule } from '../rules';
import { ruleUrl } from '../rules/types';
import { own } from '../analysis/own';

/**
 * Text from the user's files as a markdown code span, whatever it holds: a backtick in a table name must not close
 * the span and turn the rest into markdown (a clickable link). The fence is longer than any run of backticks in it.
 */
export function inlineCode(text: string): string {
  const flat = text.replace(/[\r\n]+/g, ' ');
  let longest = 0;
  for (const run of flat.match(/`+/g) ?? []) longest = Math.max(longest, run.length);
  const fence = '`'.repeat(longest + 1);
  const pad = flat.startsWith('`') || flat.endsWith('`') ? ' ' : '';
  return `${fence}${pad}${flat}${pad}${fence}`;
}

/** The operation whose name (`migrations.AddIndex`) contains `offset`. */
function operationAt(migration: Migration, offset: number): Operation | undefined {
  return migration.operations.find((op) => op.callee.startIndex <= offset && offset <= op.callee.endIndex);
}

export function lockHover(op: Operation, migration: Migration, database: Database): string | undefined {
  const info = own(OPERATION_LOCKS, op.kind);
  if (!info) return undefined;
  const table = op.modelName ? inlineCode(tableName(migration, op.modelName)) : 'the table';
  const lines = [`**\`${op.kind}\`** on ${table}`, ''];
  if (op.scope === 'state') {
    lines.push('Inside `state_operations`: it changes only Django\'s model state, runs no SQL and takes no lock.');
    return lines.join('\n');
  }
  if (info.lock === 'none') lines.push(`PostgreSQL lock: ${info.blocks}, held ${info.duration}.`);
  else lines.push(`PostgreSQL lock: **${info.lock}**. It blocks ${info.blocks}, ${info.duration}.`);
  if (isNewTable(migration, op)) {
    lines.push('', `${table} is created earlier in this migration: the table is new and empty, so the lock blocks no one.`);
  } else if (info.lock !== 'none' && migration.atomic !== false) {
    lines.push('', 'The migration is atomic: the lock is held until the whole migration commits.');
  }
  lines.push('', `Safe route: ${info.safeRoute}.`);
  if (database !== 'postgresql') lines.push('', `_These are PostgreSQL's locks; this project's database is ${database}._`);
  return lines.join('\n');
}

/** The rule's docs, for a code inside a `# noqa: MG101` (or `ignore-file[MG101]`) comment under the cursor. */
export function noqaHover(text: string, tree: Tree, offset: number): Hover | null {
  const comment = tree.rootNode.descendantForIndex(offset, offset);
  if (comment?.type !== 'comment' || !/noqa|migration-guard/i.test(comment.text)) return null;
  for (const match of comment.text.matchAll(/MG\d{3}/g)) {
    const start = comment.startIndex + match.index;
    const end = start + match[0].length;
    if (offset < start || offset > end) continue;
    const rule = findRule(match[0]);
    if (!rule) return null;
    const lines = new LineIndex(text);
    const value = [`**${rule.code} ${rule.name}** (${rule.defaultSeverity})`, '', rule.docs.summary, '', rule.docs.why, '', `[Documentation](${ruleUrl(rule)})`].join('\n');
    return { contents: { kind: MarkupKind.Markdown, value }, range: { start: lines.position(start), end: lines.position(end) } };
  }
  return null;
}

export function hoverAt(path: string, text: string, tree: Tree, offset: number, database: Database): Hover | null {
  const onCode = noqaHover(text, tree, offset);
  if (onCode) return onCode;
  const migration = parseMigration(path, tree.rootNode);
  if (!migration) return null;
  const op = operationAt(migration, offset);
  const value = op && lockHover(op, migration, database);
  if (!op || !value) return null;
  const lines = new LineIndex(text);
  return {
    contents: { kind: MarkupKind.Markdown, value },
    range: { start: lines.position(op.callee.startIndex), end: lines.position(op.callee.endIndex) },
  };
}
