// Settings rules (MG6xx): which DATABASES entries a settings module answers for, where their findings go
// (SPEC §3: the alias key, or the statement that set the value; entries inherited through `from .base import *`
// are judged per entry point and reported where they are defined), and the fixes that edit them.
//
// Fixes keep the file's quote style (the entry's own keys' quotes), indentation (a multi-line dict gets a new
// line at its keys' indentation, with a trailing comma when the dict uses them; a one-line dict stays one line),
// trailing comments and line endings. They edit the literal where there is one in this file (the `OPTIONS`
// dict, the entry dict, the `options` string) and otherwise insert one statement after the one that assigned
// the entry (`dj_database_url.config(...)`, `env.db(...)`, an entry defined in another module).
import { basename, dirname, relative } from 'node:path';
import type { Config } from '../config/defaults';
import type { SettingsStatement, Value } from '../analysis/settings';
import { entryFacts, type DatabaseTrace, type EffectiveSettings, type EntryFacts } from '../analysis/settings-eval';
import { holeOutsideValues, libpqTimeouts, parseLibpqOptions, parseMysqlInitCommand } from '../analysis/db-options';
import type { SourceLocation } from '../analysis/summary';
import type { Node } from '../base/parser';
import { detectEol, indentationAt, lineEndAt, lineStartAt, type Range } from '../base/text';
import type { RuleContext } from '../rules/types';
import { insertKeywordArgument, replaceNode } from './edits';
import type { Edit, Fix } from './types';

// ---------------------------------------------------------------------------------------------------------
// Entries and where their findings go

/** One DATABASES entry as one entry point sees it. */
export interface DatabaseEntry {
  settings: EffectiveSettings;
  alias: string;
  entry: Value;
  trace: DatabaseTrace;
  facts: EntryFacts;
}

/**
 * Every entry of every entry point that includes the linted module, in each value `DATABASES` may have (branches
 * that each assign a whole `DATABASES` are judged one by one).
 */
export function databaseEntries(ctx: RuleContext): DatabaseEntry[] {
  const found: DatabaseEntry[] = [];
  for (const settings of ctx.settings?.entryPoints ?? []) {
    for (const { value: databases, traces } of settings.databaseAlternatives) {
      if (databases.kind !== 'dict') continue;
      for (const [alias, trace] of traces) {
        const entry = databases.items.get(alias);
        if (entry?.kind !== 'dict') continue;
        found.push({ settings, alias, entry, trace, facts: entryFacts(entry, ctx.config) });
      }
    }
  }
  return found;
}

function sameLocation(a: SourceLocation, b: SourceLocation): boolean {
  return a.path === b.path && a.range.start === b.range.start && a.range.end === b.range.end;
}

function statementAt(ctx: RuleContext, location: SourceLocation): Exclude<SettingsStatement, { kind: 'star-import' | 'opaque' }> | undefined {
  const module = ctx.settings?.index.module(location.path);
  for (const statement of module?.statements ?? []) {
    if (statement.kind === 'star-import' || statement.kind === 'opaque' || statement.name !== 'DATABASES') continue;
    if (sameLocation(statement.location, location)) return statement;
  }
  return undefined;
}

/** Whether a statement `DATABASES[alias]…` (re)sets the value at `keys` inside the entry (or a dict holding it). */
function setsPath(statement: NonNullable<ReturnType<typeof statementAt>>, alias: string, keys: string[]): boolean {
  const [first, ...rest] = statement.path;
  if (first?.key !== alias) return false;
  const written = rest.map((step) => step.key);
  const prefix = (path: string[]) => path.length <= keys.length && path.every((key, i) => key === keys[i]);
  if (statement.kind === 'update') {
    if (statement.value.kind !== 'dict') return prefix(written);
    return [...statement.value.items.keys()].some((key) => prefix([...written, key])) || statement.value.open && prefix(written);
  }
  return prefix(written);
}

/**
 * Where a finding about the value at `keys` of an entry goes (SPEC §3): the last statement that set it (or a
 * dict holding it), else the alias key of the entry (or the statement that defined the entry).
 */
export function findingLocation(ctx: RuleContext, found: DatabaseEntry, keys: string[]): SourceLocation {
  for (const location of [...found.trace.changedBy].reverse()) {
    const statement = statementAt(ctx, location);
    if (statement && setsPath(statement, found.alias, keys)) return location;
  }
  return found.trace.definedAt;
}

/** The statement a new statement goes after: the one the finding is at, or the one that assigned the entry. */
export function anchorStatement(found: DatabaseEntry, at: SourceLocation): SourceLocation {
  return found.trace.changedBy.some((location) => sameLocation(location, at)) ? at : found.trace.assignedBy;
}

/** From the start of `location` to the end of its first line, without a trailing comment. */
function firstLineRange(ctx: RuleContext, location: SourceLocation): Range {
  const { text } = ctx;
  const { start } = location.range;
  let end = Math.min(location.range.end, lineEndAt(text, start));
  for (let hash = text.indexOf('#', start); hash !== -1 && hash < end; hash = text.indexOf('#', hash + 1)) {
    if (ctx.tree.rootNode.descendantForIndex(hash)?.type === 'comment') end = hash;
  }
  while (end > start && /\s/.test(text[end - 1])) end--;
  return { start, end: Math.max(start + 1, end) };
}

export interface EntryFinding {
  found: DatabaseEntry;
  at: SourceLocation;
  /** The message; `note` names the entry points when they are not just this module. */
  message: (note: string) => string;
  help: string;
  fix?: Fix;
}

function displayPath(from: string, path: string): string {
  return relative(dirname(from), path).replace(/\\/g, '/') || basename(path);
}

/**
 * Reports findings located in the linted file. The same finding seen by several entry points is one
 * diagnostic naming them; it keeps its fix only when every entry point asks for the same one.
 */
export function reportFindings(ctx: RuleContext, findings: EntryFinding[]): void {
  const groups = new Map<string, EntryFinding[]>();
  for (const finding of findings) {
    if (finding.at.path !== ctx.path) continue;
    const key = `${finding.at.range.start}:${finding.message('')}`;
    const group = groups.get(key);
    if (group) group.push(finding);
    else groups.set(key, [finding]);
  }
  for (const group of groups.values()) {
    const entryPoints = [...new Set(group.map((finding) => finding.found.settings.entryPoint))].sort();
    // This module as an entry point itself needs no name; the others that include it are named.
    const others = entryPoints.filter((path) => path !== ctx.path);
    const names = others.map((path) => `\`${displayPath(ctx.path, path)}\``).join(', ');
    const note = others.length === 0 ? ''
      : others.length < entryPoints.length ? ` (here and in ${others.length > 1 ? 'entry points' : 'entry point'} ${names})`
        : ` (entry point${others.length > 1 ? 's' : ''} ${names})`;
    const [first] = group;
    const fixes = group.map((finding) => JSON.stringify(finding.fix ?? null));
    const fix = first.fix && fixes.every((fix) => fix === fixes[0]) ? first.fix : undefined;
    const related = entryPoints.filter((path) => path !== ctx.path).map((path) => ({
      path, range: { start: 0, end: 0 }, message: `Entry point whose effective settings include this entry: ${displayPath(ctx.path, path)}`,
    }));
    ctx.report({ range: firstLineRange(ctx, first.at), message: first.message(note), help: first.help, fixes: fix ? [fix] : [], related: related.length ? related : undefined });
  }
}

/** `DATABASES["default"]`, for messages. */
export function entryName(alias: string): string {
  return `\`DATABASES[${JSON.stringify(alias)}]\``;
}

// ---------------------------------------------------------------------------------------------------------
// What the entries set

/** `name`: the setting as written when it differs from the one asked for (MariaDB's `max_statement_time`). */
export type TimeoutState = { state: 'missing' } | { state: 'unknown' } | { state: 'set'; ms: number; raw: string; name?: string };

export interface PostgresTimeouts {
  statement: TimeoutState;
  lock: TimeoutState;
}

/** `statement_timeout` and `lock_timeout` in a PostgreSQL entry's `OPTIONS["options"]`. */
export function postgresTimeouts(facts: EntryFacts): PostgresTimeouts {
  if (facts.optionsString === 'unknown') return { statement: { state: 'unknown' }, lock: { state: 'unknown' } };
  if (facts.optionsString === 'absent') return { statement: { state: 'missing' }, lock: { state: 'missing' } };
  const parsed = parseLibpqOptions(facts.optionsString.value);
  // A part of the string that cannot be known, outside the values read, may set what is not found.
  const notFound: TimeoutState = { state: holeOutsideValues(facts.optionsString.value, parsed) ? 'unknown' : 'missing' };
  const read = (name: string): TimeoutState => {
    const setting = parsed.get(name);
    if (!setting) return notFound;
    return Number.isNaN(setting.ms) ? { state: 'unknown' } : { state: 'set', ms: setting.ms, raw: setting.raw };
  };
  return { statement: read('statement_timeout'), lock: read('lock_timeout') };
}

export interface MysqlTimeouts {
  statement: TimeoutState;
  lock: TimeoutState;
}

/** `max_execution_time` and `innodb_lock_wait_timeout` in a MySQL entry's `OPTIONS["init_command"]`. */
export function mysqlTimeouts(facts: EntryFacts): MysqlTimeouts {
  if (facts.initCommand === 'unknown') return { statement: { state: 'unknown' }, lock: { state: 'unknown' } };
  if (facts.initCommand === 'absent') return { statement: { state: 'missing' }, lock: { state: 'missing' } };
  const parsed = parseMysqlInitCommand(facts.initCommand.value);
  const notFound: TimeoutState = { state: holeOutsideValues(facts.initCommand.value, parsed) ? 'unknown' : 'missing' };
  const read = (name: string): TimeoutState => {
    const setting = parsed.get(name);
    if (!setting) return notFound;
    return Number.isNaN(setting.ms) ? { state: 'unknown' } : { state: 'set', ms: setting.ms, raw: setting.raw };
  };
  let statement = read('max_execution_time');
  // MariaDB has no max_execution_time: its max_statement_time (seconds) does the same.
  const mariadb = /\bmax_statement_time\s*=\s*(\d+(?:\.\d+)?)/i.exec(facts.initCommand.value);
  if (statement.state === 'missing' && mariadb) statement = { state: 'set', ms: Number(mariadb[1]) * 1000, raw: mariadb[1], name: 'max_statement_time' };
  return { statement, lock: read('innodb_lock_wait_timeout') };
}

// ---------------------------------------------------------------------------------------------------------
// Finding the syntax behind a value

/** The node of one of `types` spanning exactly `range`, in the linted file. */
function nodeAt(ctx: RuleContext, location: SourceLocation, types: readonly string[]): Node | undefined {
  if (location.path !== ctx.path) return undefined;
  const { start, end } = location.range;
  // The smallest node over the range, then up through the ancestors with the same range (a walk down from the
  // root listed every child on the way: quadratic in a DATABASES of thousands of entries).
  let node: Node | null = ctx.tree.rootNode.descendantForIndex(start, Math.max(start, end - 1));
  while (node && node.startIndex >= start && node.endIndex <= end) {
    if (node.startIndex === start && node.endIndex === end && types.includes(node.type)) return node;
    node = node.parent;
  }
  return undefined;
}

function isDictCall(node: Node): boolean {
  return node.type === 'call' && node.childForFieldName('function')?.text === 'dict' && node.childForFieldName('arguments')?.type === 'argument_list';
}

/** The default of `x.setdefault(key, default)`: editing it changes nothing when the key already exists. */
function isSetdefaultDefault(node: Node): boolean {
  const list = node.parent;
  const call = list?.type === 'argument_list' ? list.parent : undefined;
  const callee = call?.type === 'call' ? call.childForFieldName('function') : undefined;
  return callee?.type === 'attribute' && callee.childForFieldName('attribute')?.text === 'setdefault';
}

/** A dict literal (`{…}` or `dict(…)`) written in this file that holds `value`. */
function editableDict(ctx: RuleContext, value: Value): Node | undefined {
  if (value.kind !== 'dict' || value.from || value.open) return undefined;
  const node = nodeAt(ctx, value.location, ['dictionary', 'call']);
  if (!node || (node.type === 'call' && !isDictCall(node)) || isSetdefaultDefault(node)) return undefined;
  return node;
}

/** A plain string literal (not an f-string, not bytes) written in this file that holds `value`. */
function editableString(ctx: RuleContext, value: Value): Node | undefined {
  if (value.kind !== 'str') return undefined;
  let node = nodeAt(ctx, value.location, ['string', 'concatenated_string']);
  if (node?.type === 'concatenated_string') node = node.namedChildren.filter((c): c is Node => c?.type === 'string').pop();
  if (!node || isSetdefaultDefault(node)) return undefined;
  const start = node.child(0);
  const end = node.lastChild;
  if (start?.type !== 'string_start' || end?.type !== 'string_end' || /[bf]/i.test(start.text)) return undefined;
  return node;
}

function quoteOfString(node: Node): '"' | "'" | undefined {
  const start = node.child(0);
  if (node.type !== 'string' || start?.type !== 'string_start' || /"""|'''/.test(start.text)) return undefined;
  const quote = start.text.slice(-1);
  return quote === '"' || quote === "'" ? quote : undefined;
}

function firstStringQuote(node: Node | undefined): '"' | "'" | undefined {
  if (!node) return undefined;
  const own = quoteOfString(node);
  if (own) return own;
  for (const child of node.namedChildren) {
    const found = child ? firstStringQuote(child) : undefined;
    if (found) return found;
  }
  return undefined;
}

/** The quote the entry's own keys use; else the quote of the first string of the statement; else `"`. */
function quoteFor(ctx: RuleContext, ...nodes: (Node | undefined)[]): '"' | "'" {
  for (const node of nodes) {
    if (node?.type !== 'dictionary') continue;
    for (const pair of node.namedChildren) {
      const key = pair?.type === 'pair' ? pair.childForFieldName('key') : undefined;
      const quote = key ? quoteOfString(key) : undefined;
      if (quote) return quote;
    }
  }
  for (const node of nodes) {
    const quote = firstStringQuote(node);
    if (quote) return quote;
  }
  return '"';
}

// ---------------------------------------------------------------------------------------------------------
// Edits

/** A Python value to write: a string (quoted in the file's style) or code as is. */
export type PyValue = { str: string } | { code: string };

function render(value: PyValue, quote: string): string {
  if ('code' in value) return value.code;
  if (value.str.includes(quote) || value.str.includes('\\')) throw new Error(`cannot quote ${value.str}`);
  return `${quote}${value.str}${quote}`;
}

/** `start..` up to the end of its line (before `\r\n`/`\n`), when only blanks and a comment follow. */
function endOfLineIfComment(text: string, offset: number): number | undefined {
  const end = lineEndAt(text, offset);
  return /^[ \t]*(#.*)?$/.test(text.slice(offset, end)) ? end : undefined;
}

/**
 * Adds `key: value` to a dict literal. Multi-line dicts get a new line at the keys' indentation (after a
 * trailing comment, if any) with a trailing comma when the dict uses them; one-line dicts stay one line.
 */
export function insertDictItem(text: string, dict: Node, item: string): Edit[] | undefined {
  const close = dict.lastChild;
  if (dict.type !== 'dictionary' || close?.type !== '}') return undefined;
  const items = dict.namedChildren.filter((child): child is Node => !!child && child.type !== 'comment');
  const last = items[items.length - 1];
  if (!last) return [{ start: dict.startIndex + 1, end: dict.startIndex + 1, text: item }];
  const afterLast = text.slice(last.endIndex, close.startIndex);
  const comma = /^\s*,/.exec(afterLast);
  const commaEnd = comma ? last.endIndex + comma[0].length : undefined;
  const multiline = last.startPosition.row > dict.startPosition.row;
  if (!multiline) {
    if (commaEnd !== undefined) return [{ start: commaEnd, end: commaEnd, text: ` ${item},` }];
    return [{ start: last.endIndex, end: last.endIndex, text: `, ${item}` }];
  }
  const eol = detectEol(text);
  const indent = indentationAt(text, last.startIndex);
  const after = commaEnd ?? last.endIndex;
  const lineEnd = endOfLineIfComment(text, after);
  const at = lineEnd !== undefined && lineEnd < close.startIndex ? lineEnd : after;
  const line = `${eol}${indent}${item}${commaEnd !== undefined ? ',' : ''}`;
  if (commaEnd !== undefined || at === last.endIndex) return [{ start: at, end: at, text: commaEnd !== undefined ? line : `,${line}` }];
  return [{ start: last.endIndex, end: last.endIndex, text: ',' }, { start: at, end: at, text: line }];
}

/** Adds `key: value` (or `key=value` in `dict(...)`) to a dict literal. */
function addToDict(ctx: RuleContext, dict: Node, key: string, value: PyValue, quote: string): Edit[] | undefined {
  if (dict.type === 'call') {
    const edit = insertKeywordArgument(ctx.text, dict, key, render(value, quote));
    return edit ? [edit] : undefined;
  }
  return insertDictItem(ctx.text, dict, `${quote}${key}${quote}: ${render(value, quote)}`);
}

/** Inserts a statement on the line after `anchor`, at its indentation. */
export function insertStatementAfter(ctx: RuleContext, anchor: SourceLocation, statement: (quote: string) => string, after: SourceLocation[] = []): Edit | undefined {
  let node = nodeAt(ctx, anchor, ['expression_statement']);
  if (!node) return undefined;
  // After the statements right below that also change the entry (earlier fixes among them), in their order.
  for (let next = node.nextNamedSibling; next; next = next.nextNamedSibling) {
    if (next.type === 'comment' && next.startPosition.row === node.endPosition.row) continue;
    const start = next.startIndex;
    if (!after.some((location) => location.path === ctx.path && location.range.start === start)) break;
    node = next;
  }
  const text = ctx.text;
  const indent = indentationAt(text, node.startIndex);
  const lineStart = lineStartAt(text, node.startIndex);
  // `if DEBUG: DATABASES = …` on one line: a new line there would leave the block.
  if (node.startIndex - lineStart !== indent.length) return undefined;
  const at = endOfLineIfComment(text, node.endIndex) ?? node.endIndex;
  return { start: at, end: at, text: `${detectEol(text)}${indent}${statement(quoteFor(ctx, node))}` };
}

/** `DATABASES["default"]` in the file's quotes. */
function subscript(alias: string, quote: string): string {
  return `DATABASES[${quote}${alias}${quote}]`;
}

/**
 * Sets `OPTIONS[key] = value` on an entry whose `OPTIONS` lacks `key`: adds it to the literal `OPTIONS`, adds an
 * `OPTIONS` to the literal entry, or inserts `DATABASES[alias].setdefault("OPTIONS", {})[key] = value` after the
 * statement the finding is at (or the one that assigned the entry).
 */
export function setOptionEdits(ctx: RuleContext, found: DatabaseEntry, at: SourceLocation, key: string, value: PyValue): Edit[] | undefined {
  const { facts, entry } = found;
  if (facts.options === 'unknown') return undefined;
  const entryNode = editableDict(ctx, entry);
  if (facts.options !== 'absent') {
    const options = editableDict(ctx, facts.options);
    if (options) return addToDict(ctx, options, key, value, quoteFor(ctx, options, entryNode));
  } else if (entryNode) {
    const quote = quoteFor(ctx, entryNode);
    const inner = `{${quote}${key}${quote}: ${render(value, quote)}}`;
    return addToDict(ctx, entryNode, 'OPTIONS', { code: inner }, quote);
  }
  const edit = insertStatementAfter(ctx, anchorStatement(found, at), (quote) =>
    `${subscript(found.alias, quote)}.setdefault(${quote}OPTIONS${quote}, {})[${quote}${key}${quote}] = ${render(value, quote)}`, found.trace.changedBy);
  return edit ? [edit] : undefined;
}

/** Appends `addition` to a string literal, before any trailing `;` and blanks, with `separator` before it. */
function appendToString(ctx: RuleContext, value: Value, addition: string, separator: string): Edit[] | undefined {
  const node = editableString(ctx, value);
  if (!node) return undefined;
  const open = node.child(0)!;
  const close = node.lastChild!;
  const raw = ctx.text.slice(open.endIndex, close.startIndex);
  const kept = raw.replace(/[\s;]*$/, '');
  const at = open.endIndex + kept.length;
  return [{ start: at, end: at, text: `${kept.trim() ? separator : ''}${addition}` }];
}

// ---------------------------------------------------------------------------------------------------------
// The fixes

const TIMEOUT_SAFETY = 'unsafe' as const;
/** Why the timeout fixes are unsafe. */
const TIMEOUT_RISK = 'slower queries or connections then fail';

/**
 * MG601/MG602: one fix that adds every missing PostgreSQL timeout (both when both are missing), so applying
 * the fix of either diagnostic clears both.
 */
export function postgresTimeoutsFix(ctx: RuleContext, found: DatabaseEntry, at: SourceLocation, timeouts: PostgresTimeouts): Fix | undefined {
  const addition = libpqTimeouts({
    statementTimeoutMs: timeouts.statement.state === 'missing' ? ctx.config.statementTimeoutMs : undefined,
    lockTimeoutMs: timeouts.lock.state === 'missing' ? ctx.config.lockTimeoutMs : undefined,
  });
  if (!addition) return undefined;
  const { optionsString } = found.facts;
  let edits: Edit[] | undefined;
  if (optionsString === 'absent') edits = setOptionEdits(ctx, found, at, 'options', { str: addition });
  else if (optionsString !== 'unknown') edits = appendToString(ctx, optionsString, addition, ' ');
  return edits ? { title: `Add \`${addition}\` to OPTIONS["options"]`, applicability: TIMEOUT_SAFETY, unsafeBecause: TIMEOUT_RISK, edits } : undefined;
}

export const CONNECT_TIMEOUT_SECONDS = 10;

/** MG603: `"connect_timeout": 10` in OPTIONS. */
export function connectTimeoutFix(ctx: RuleContext, found: DatabaseEntry, at: SourceLocation): Fix | undefined {
  const edits = setOptionEdits(ctx, found, at, 'connect_timeout', { code: String(CONNECT_TIMEOUT_SECONDS) });
  return edits ? { title: `Add "connect_timeout": ${CONNECT_TIMEOUT_SECONDS} to OPTIONS`, applicability: TIMEOUT_SAFETY, unsafeBecause: TIMEOUT_RISK, edits } : undefined;
}

/** `max_execution_time=30000, innodb_lock_wait_timeout=4` for what is missing (the lock wait is in whole seconds). */
export function mysqlAssignments(config: Pick<Config, 'statementTimeoutMs' | 'lockTimeoutMs'>, timeouts: MysqlTimeouts): string {
  const parts: string[] = [];
  if (timeouts.statement.state === 'missing') parts.push(`max_execution_time=${config.statementTimeoutMs}`);
  if (timeouts.lock.state === 'missing') parts.push(`innodb_lock_wait_timeout=${Math.max(1, Math.ceil(config.lockTimeoutMs / 1000))}`);
  return parts.join(', ');
}

/**
 * MG604: an `init_command` with the missing MySQL timeouts, or the missing assignments appended to an existing
 * single `SET …` (one statement: the client runs `init_command` without multi-statement support).
 */
export function mysqlTimeoutsFix(ctx: RuleContext, found: DatabaseEntry, at: SourceLocation, timeouts: MysqlTimeouts): Fix | undefined {
  const assignments = mysqlAssignments(ctx.config, timeouts);
  if (!assignments) return undefined;
  const { initCommand } = found.facts;
  let edits: Edit[] | undefined;
  if (initCommand === 'absent') edits = setOptionEdits(ctx, found, at, 'init_command', { str: `SET SESSION ${assignments}` });
  else if (initCommand !== 'unknown') {
    const command = initCommand.value.replace(/[\s;]*$/, '');
    const singleSet = /^\s*SET\s/i.test(command) && !command.includes(';') && !/\b(GLOBAL|PERSIST|PERSIST_ONLY|TRANSACTION|NAMES|CHARACTER|PASSWORD)\b|@@global/i.test(command);
    if (singleSet) edits = appendToString(ctx, initCommand, assignments, ', ');
  }
  return edits ? { title: `Set ${assignments} in OPTIONS["init_command"]`, applicability: TIMEOUT_SAFETY, unsafeBecause: TIMEOUT_RISK, edits } : undefined;
}

/**
 * MG606: `CONN_HEALTH_CHECKS = True` for the entry: flips a literal `False`, adds the key to the literal entry,
 * or inserts `DATABASES[alias]["CONN_HEALTH_CHECKS"] = True` after the statement the finding is at.
 */
export function healthChecksFix(ctx: RuleContext, found: DatabaseEntry, at: SourceLocation, current: Value | undefined): Fix | undefined {
  const title = 'Set CONN_HEALTH_CHECKS = True';
  if (current?.kind === 'bool' && !current.value) {
    const node = nodeAt(ctx, current.location, ['false']);
    return node ? { title, applicability: 'safe', edits: [replaceNode(node, 'True')] } : undefined;
  }
  const entryNode = found.entry.kind === 'dict' && !found.entry.items.has('CONN_HEALTH_CHECKS') ? editableDict(ctx, found.entry) : undefined;
  if (entryNode) {
    const edits = addToDict(ctx, entryNode, 'CONN_HEALTH_CHECKS', { code: 'True' }, quoteFor(ctx, entryNode));
    return edits ? { title, applicability: 'safe', edits } : undefined;
  }
  const edit = insertStatementAfter(ctx, anchorStatement(found, at), (quote) => `${subscript(found.alias, quote)}[${quote}CONN_HEALTH_CHECKS${quote}] = True`, found.trace.changedBy);
  return edit ? { title, applicability: 'safe', edits: [edit] } : undefined;
}

/** Shared by MG601 and MG602: PostgreSQL entries whose `OPTIONS["options"]` lacks one of the two timeouts. */
export function missingTimeoutFindings(ctx: RuleContext, which: 'statement' | 'lock'): EntryFinding[] {
  const findings: EntryFinding[] = [];
  for (const found of databaseEntries(ctx)) {
    if (found.facts.engine !== 'postgresql') continue;
    const timeouts = postgresTimeouts(found.facts);
    if (timeouts[which].state !== 'missing') continue;
    const at = findingLocation(ctx, found, ['OPTIONS', 'options']);
    const name = entryName(found.alias);
    const { statementTimeoutMs, lockTimeoutMs } = ctx.config;
    findings.push(which === 'statement'
      ? {
        found, at,
        message: (note) => `${name}${note} sets no \`statement_timeout\`: a runaway query can run, and hold its locks, for hours.`,
        help: `Instead, add \`-c statement_timeout=${statementTimeoutMs}\` to \`OPTIONS["options"]\` (a migration that needs longer can \`SET statement_timeout\` for itself).`,
        fix: postgresTimeoutsFix(ctx, found, at, timeouts),
      }
      : {
        found, at,
        message: (note) => `${name}${note} sets no \`lock_timeout\`: a statement waiting for a lock (a migration's \`ALTER TABLE\` behind a long transaction) makes every later query on that table queue behind it.`,
        help: `Instead, add \`-c lock_timeout=${lockTimeoutMs}\` to \`OPTIONS["options"]\`: a blocked statement gives up after ${lockTimeoutMs / 1000} s and can be retried, instead of stalling the table.`,
        fix: postgresTimeoutsFix(ctx, found, at, timeouts),
      });
  }
  return findings;
}
