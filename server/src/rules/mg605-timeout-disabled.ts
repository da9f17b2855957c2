import type { SourceLocation } from '../analysis/summary';
import { databaseEntries, entryName, findingLocation, mysqlTimeouts, postgresTimeouts, reportFindings, type EntryFinding, type TimeoutState } from '../fixes/settings';
import { defineRule } from './types';

/** `10 s`, `5 min`, `1500 ms`. */
export function formatMs(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000} min`;
  if (ms >= 1000 && ms % 1000 === 0) return `${ms / 1000} s`;
  return `${ms} ms`;
}

const PG_ENTRY = ['        "ENGINE": "django.db.backends.postgresql",', '        "NAME": "shop",'];

export const timeoutDisabled = defineRule({
  code: 'MG605',
  name: 'timeout-disabled',
  fileKinds: ['settings'],
  defaultSeverity: 'warning',
  fix: 'never',
  docs: {
    summary: 'A database timeout set to `0` (disabled) or above the configured ceiling.',
    why: [
      '`statement_timeout=0` or `lock_timeout=0` in `OPTIONS["options"]` switches the timeout off explicitly (often',
      'left over from debugging, or copied from a migration that needed it): a runaway query holds its locks until it',
      'ends, and a blocked statement queues its table behind it indefinitely. A very long timeout is little better. The',
      'ceilings are `max-lock-timeout-ms` (10 s) for `lock_timeout` and `max-statement-timeout-ms` (5 min) for',
      '`statement_timeout` (`max-timeout-ms` sets both); `connect_timeout: 0` (wait for ever) and MySQL\'s',
      '`max_execution_time=0` are reported too.',
    ].join('\n'),
    example: ['# config/settings.py', 'DATABASES = {', '    "default": {', ...PG_ENTRY,
      '        "OPTIONS": {"connect_timeout": 10, "options": "-c statement_timeout=0 -c lock_timeout=4000"},', '    },', '}', ''].join('\n'),
    useInstead: ['# config/settings.py', 'DATABASES = {', '    "default": {', ...PG_ENTRY,
      '        "OPTIONS": {"connect_timeout": 10, "options": "-c statement_timeout=30000 -c lock_timeout=4000"},', '    },', '}', ''].join('\n'),
    fixSafety: 'No fix: the right value depends on the workload. Use a bounded timeout, and let a migration that needs longer `SET statement_timeout` for itself.',
    references: ['PostgreSQL: statement_timeout, lock_timeout (https://www.postgresql.org/docs/current/runtime-config-client.html)'],
  },
  check(ctx) {
    const { maxLockTimeoutMs, maxStatementTimeoutMs } = ctx.config;
    const findings: EntryFinding[] = [];
    for (const found of databaseEntries(ctx)) {
      const problems = new Map<number, { at: SourceLocation; parts: string[] }>();
      const add = (keys: string[], part: string) => {
        const at = findingLocation(ctx, found, keys);
        const group = problems.get(at.range.start) ?? { at, parts: [] };
        group.parts.push(part);
        problems.set(at.range.start, group);
      };
      const judge = (keys: string[], name: string, state: TimeoutState, ceiling: number, consequence: string) => {
        if (state.state !== 'set') return;
        const written = `\`${state.name ?? name}=${state.raw}\``;
        if (state.ms === 0) add(keys, `${written} disables the timeout (${consequence})`);
        else if (state.ms > ceiling) add(keys, `${written} is above the ${formatMs(ceiling)} ceiling (${consequence})`);
      };
      if (found.facts.engine === 'postgresql') {
        const timeouts = postgresTimeouts(found.facts);
        const options = ['OPTIONS', 'options'];
        judge(options, 'statement_timeout', timeouts.statement, maxStatementTimeoutMs, 'a runaway query keeps its locks until it ends');
        judge(options, 'lock_timeout', timeouts.lock, maxLockTimeoutMs, 'a blocked statement makes every query on its table queue behind it');
        const connect = found.facts.connectTimeout;
        const seconds = connect === 'absent' || connect === 'unknown' ? undefined
          : connect.kind === 'num' ? connect.value : connect.kind === 'str' && /^\s*-?\d+\s*$/.test(connect.value) ? Number(connect.value) : undefined;
        if (seconds !== undefined && seconds <= 0) add(['OPTIONS', 'connect_timeout'], `\`connect_timeout\` ${seconds} waits for ever (workers hang while the database is unreachable)`);
      } else if (found.facts.engine === 'mysql') {
        const timeouts = mysqlTimeouts(found.facts);
        const command = ['OPTIONS', 'init_command'];
        judge(command, 'max_execution_time', timeouts.statement, maxStatementTimeoutMs, 'a runaway query runs until it ends');
        if (timeouts.lock.state === 'set' && timeouts.lock.ms > maxLockTimeoutMs) {
          add(command, `\`innodb_lock_wait_timeout=${timeouts.lock.raw}\` is above the ${formatMs(maxLockTimeoutMs)} ceiling (a blocked statement holds its request that long)`);
        }
      }
      for (const { at, parts } of problems.values()) {
        findings.push({
          found, at,
          message: (note) => `${entryName(found.alias)}${note}: ${parts.join('; ')}.`,
          help: `Instead, use bounded timeouts, e.g. \`statement_timeout=${ctx.config.statementTimeoutMs}\` and \`lock_timeout=${ctx.config.lockTimeoutMs}\`, and let a migration that needs longer \`SET statement_timeout\` for itself.`,
        });
      }
    }
    reportFindings(ctx, findings);
  },
});
