// Timeouts inside connection option strings: libpq's `options` (`-c statement_timeout=30000 -c lock_timeout=4s`,
// `--statement-timeout=…`) and MySQL's `init_command` (`SET SESSION max_execution_time=…`).

export interface TimeoutSetting {
  /** Milliseconds; 0 means disabled. */
  ms: number;
  /** As written, e.g. `4s`. */
  raw: string;
  /** Offsets of the whole `-c name=value` inside the string, for edits. */
  start: number;
  end: number;
}

/** Stands for a part of a string that cannot be known statically (see `template` values). */
export const HOLE = '\u0000';

/**
 * Whether a part that cannot be known lies outside the values of `found` (a hole in a setting's value leaves
 * the others readable; a hole elsewhere may hold any setting). Settings not found are then unknown, not missing.
 */
export function holeOutsideValues(text: string, found: ReadonlyMap<string, TimeoutSetting>): boolean {
  let rest = text;
  for (const setting of [...found.values()].sort((a, b) => b.start - a.start)) rest = rest.slice(0, setting.start) + rest.slice(setting.end);
  return rest.includes(HOLE);
}

const UNITS_MS: Record<string, number> = { us: 0.001, ms: 1, s: 1000, min: 60_000, h: 3_600_000, d: 86_400_000 };

/** PostgreSQL's time units (`30000`, `30s`, `5min`, `'1h'`); undefined when not a duration. */
export function parseDuration(value: string, defaultUnit: 'ms' | 's' = 'ms'): number | undefined {
  const match = /^\s*['"]?\s*(\d+(?:\.\d+)?)\s*(us|ms|s|min|h|d)?\s*['"]?\s*$/i.exec(value);
  if (!match) return undefined;
  return Number(match[1]) * UNITS_MS[(match[2] ?? defaultUnit).toLowerCase()];
}

/**
 * Parses `-c name=value`, `-cname=value` and `--name=value` (dashes read as underscores) from libpq's
 * `options`. The last setting of a name wins, as in PostgreSQL.
 */
export function parseLibpqOptions(options: string): Map<string, TimeoutSetting> {
  const settings = new Map<string, TimeoutSetting>();
  const pattern = /(?:^|\s)(?:-c\s*([A-Za-z_.]+)\s*=\s*(\S+)|--([A-Za-z_.-]+)=(\S+))/g;
  for (const match of options.matchAll(pattern)) {
    const name = (match[1] ?? match[3]).replace(/-/g, '_').toLowerCase();
    const raw = match[2] ?? match[4];
    const start = match.index + (match[0].length - match[0].trimStart().length);
    const ms = parseDuration(raw);
    if (ms !== undefined) settings.set(name, { ms, raw, start, end: match.index + match[0].length });
    else settings.set(name, { ms: Number.NaN, raw, start, end: match.index + match[0].length });
  }
  return settings;
}

/** `SET SESSION max_execution_time = 30000; SET innodb_lock_wait_timeout = 5` → ms values. */
export function parseMysqlInitCommand(command: string): Map<string, TimeoutSetting> {
  const settings = new Map<string, TimeoutSetting>();
  // `SET a=1, SESSION b=2`: each assignment of a SET may carry its own scope (SESSION, LOCAL, @@session.).
  const scope = '(?:(?:SESSION|LOCAL)\\s+|@@(?:session\\.|local\\.)?)?';
  const pattern = new RegExp(`(?:@@(?:session\\.|local\\.)?|\\bSET\\s+${scope}|,\\s*${scope})(max_execution_time|innodb_lock_wait_timeout|lock_wait_timeout)\\s*=\\s*(\\d+|${HOLE}+)`, 'gi');
  for (const match of command.matchAll(pattern)) {
    const name = match[1].toLowerCase();
    // max_execution_time is in milliseconds; the lock wait timeouts are in seconds. A hole: set, value unknown.
    const ms = match[2].startsWith(HOLE) ? Number.NaN : Number(match[2]) * (name === 'max_execution_time' ? 1 : 1000);
    settings.set(name, { ms, raw: match[2], start: match.index, end: match.index + match[0].length });
  }
  return settings;
}

/** `-c statement_timeout=30000 -c lock_timeout=4000`: the text our fixes insert. */
export function libpqTimeouts(timeouts: { statementTimeoutMs?: number; lockTimeoutMs?: number }): string {
  const parts: string[] = [];
  if (timeouts.statementTimeoutMs !== undefined) parts.push(`-c statement_timeout=${timeouts.statementTimeoutMs}`);
  if (timeouts.lockTimeoutMs !== undefined) parts.push(`-c lock_timeout=${timeouts.lockTimeoutMs}`);
  return parts.join(' ');
}
