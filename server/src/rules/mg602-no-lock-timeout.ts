import { reportFindings } from '../fixes/settings';
import { missingTimeoutFindings } from '../fixes/settings';
import { defineRule } from './types';

export const noLockTimeout = defineRule({
  code: 'MG602',
  name: 'no-lock-timeout',
  fileKinds: ['settings'],
  defaultSeverity: 'warning',
  fix: 'sometimes',
  docs: {
    summary: 'A PostgreSQL database entry without `lock_timeout`: a blocked statement stalls its whole table.',
    why: [
      'A statement that needs a lock waits for it, for ever by default. Worse, while it waits, every later query that',
      'needs a conflicting lock on the same table queues behind it: a migration\'s `ALTER TABLE` stuck behind one long',
      'transaction stops all reads and writes of the table. With `-c lock_timeout=4000` in `OPTIONS["options"]` the',
      'waiting statement gives up after 4 s, the queue drains, and the deploy can retry.',
      '',
      '`ZERO_DOWNTIME_MIGRATIONS_LOCK_TIMEOUT` does not count here: it covers migrations (MG110), not the',
      'application\'s own connections.',
    ].join('\n'),
    example: [
      '# config/settings.py',
      'DATABASES = {',
      '    "default": {',
      '        "ENGINE": "django.db.backends.postgresql",',
      '        "NAME": "shop",',
      '        "OPTIONS": {"connect_timeout": 10, "options": "-c statement_timeout=30000"},',
      '    },',
      '}',
      '',
    ].join('\n'),
    useInstead: [
      '# config/settings.py',
      'DATABASES = {',
      '    "default": {',
      '        "ENGINE": "django.db.backends.postgresql",',
      '        "NAME": "shop",',
      '        "OPTIONS": {"connect_timeout": 10, "options": "-c statement_timeout=30000 -c lock_timeout=4000"},',
      '    },',
      '}',
      '',
    ].join('\n'),
    fixSafety: [
      'Unsafe: statements that wait longer than the timeout (`lock-timeout-ms`, 4 s by default) for a lock now fail',
      'with `canceling statement due to lock timeout` instead of waiting; code that relied on waiting must retry. The',
      'fix is the same as MG601\'s (both timeouts in one edit when both are missing): `-c lock_timeout=4000` appended',
      'to a literal `options` string, an `"options"` key or an `OPTIONS` dict added to the literal entry, or one',
      '`DATABASES["default"].setdefault("OPTIONS", {})["options"] = "…"` statement after a `dj_database_url`/`env.db`',
      'assignment.',
    ].join('\n'),
    references: [
      'PostgreSQL: lock_timeout (https://www.postgresql.org/docs/current/runtime-config-client.html)',
      'squawk: require-lock-timeout (per SQL migration)',
      'strong_migrations: StrongMigrations.lock_timeout (for migrations)',
      'django-pg-zero-downtime-migrations: ZERO_DOWNTIME_MIGRATIONS_LOCK_TIMEOUT (migrations only)',
    ],
  },
  check(ctx) {
    reportFindings(ctx, missingTimeoutFindings(ctx, 'lock'));
  },
});
