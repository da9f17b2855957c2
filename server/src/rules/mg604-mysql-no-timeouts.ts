import { databaseEntries, entryName, findingLocation, mysqlAssignments, mysqlTimeouts, mysqlTimeoutsFix, reportFindings, type EntryFinding } from '../fixes/settings';
import { defineRule } from './types';

const MYSQL_ENTRY = ['        "ENGINE": "django.db.backends.mysql",', '        "NAME": "shop",'];

export const mysqlNoTimeouts = defineRule({
  code: 'MG604',
  name: 'mysql-no-timeouts',
  fileKinds: ['settings'],
  defaultSeverity: 'warning',
  fix: 'sometimes',
  docs: {
    summary: 'A MySQL database entry whose `init_command` sets no `max_execution_time` or `innodb_lock_wait_timeout`.',
    why: [
      'MySQL runs a `SELECT` for as long as it takes unless `max_execution_time` (milliseconds) bounds it, and a',
      'statement waiting for a row lock waits `innodb_lock_wait_timeout` seconds (50 by default) while the requests',
      'behind it pile up. Django runs `OPTIONS["init_command"]` on every new connection: setting both there bounds',
      'every query of the application.',
    ].join('\n'),
    example: ['# config/settings.py', 'DATABASES = {', '    "default": {', ...MYSQL_ENTRY,
      '        "OPTIONS": {"init_command": "SET sql_mode=\'STRICT_TRANS_TABLES\'"},', '    },', '}', ''].join('\n'),
    useInstead: ['# config/settings.py', 'DATABASES = {', '    "default": {', ...MYSQL_ENTRY,
      '        "OPTIONS": {"init_command": "SET sql_mode=\'STRICT_TRANS_TABLES\', max_execution_time=30000, innodb_lock_wait_timeout=4"},',
      '    },', '}', ''].join('\n'),
    fixSafety: [
      'Unsafe: queries and lock waits longer than the timeouts (`statement-timeout-ms`, `lock-timeout-ms` rounded up',
      'to whole seconds) now fail. The fix adds `"init_command": "SET SESSION max_execution_time=30000,',
      'innodb_lock_wait_timeout=4"` (only what is missing) to `OPTIONS`, or appends the missing assignments to an',
      'existing single-statement `SET …` `init_command`; it offers nothing for other `init_command`s. On MariaDB',
      '(same Django backend) use `max_statement_time` (seconds) instead: MariaDB has no `max_execution_time` and',
      'refuses the connection\'s `init_command` with it; the rule accepts `max_statement_time`.',
    ].join('\n'),
    references: [
      'MySQL: max_execution_time, innodb_lock_wait_timeout',
      'Django: MySQL notes, init_command (https://docs.djangoproject.com/en/stable/ref/databases/#mysql-notes)',
    ],
  },
  check(ctx) {
    const findings: EntryFinding[] = [];
    for (const found of databaseEntries(ctx)) {
      if (found.facts.engine !== 'mysql') continue;
      const timeouts = mysqlTimeouts(found.facts);
      const missing = [
        timeouts.statement.state === 'missing' ? '`max_execution_time`' : undefined,
        timeouts.lock.state === 'missing' ? '`innodb_lock_wait_timeout`' : undefined,
      ].filter((name): name is string => !!name);
      if (missing.length === 0) continue;
      const at = findingLocation(ctx, found, ['OPTIONS', 'init_command']);
      const what = timeouts.statement.state === 'missing' && timeouts.lock.state === 'missing'
        ? 'a runaway query runs for as long as it takes, and a statement waiting for a lock queues the requests behind it'
        : timeouts.statement.state === 'missing' ? 'a runaway query runs for as long as it takes' : 'a statement waiting for a row lock waits 50 s by default while the requests behind it pile up';
      findings.push({
        found, at,
        message: (note) => `${entryName(found.alias)}${note} (MySQL) sets no ${missing.join(' and no ')} in \`init_command\`: ${what}.`,
        help: `Instead, set \`${mysqlAssignments(ctx.config, timeouts)}\` in \`OPTIONS["init_command"]\`.`,
        fix: mysqlTimeoutsFix(ctx, found, at, timeouts),
      });
    }
    reportFindings(ctx, findings);
  },
});
