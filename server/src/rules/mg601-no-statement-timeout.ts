import { missingTimeoutFindings, reportFindings } from '../fixes/settings';
import { defineRule } from './types';

export const noStatementTimeout = defineRule({
  code: 'MG601',
  name: 'no-statement-timeout',
  fileKinds: ['settings'],
  defaultSeverity: 'warning',
  fix: 'sometimes',
  docs: {
    summary: 'A PostgreSQL database entry without `statement_timeout`: nothing stops a runaway query.',
    why: [
      'PostgreSQL lets a statement run for as long as it takes unless `statement_timeout` says otherwise. A query that',
      'goes wrong (a missing index, a cartesian join, a migration backfilling a huge table) keeps running, and keeps',
      'the locks it took, for hours: every other query that needs those rows or tables waits behind it, connections',
      'pile up and the site goes down. Setting the timeout in `OPTIONS["options"]` (`-c statement_timeout=30000`) makes',
      'libpq send it when each connection opens, so every query Django runs is bounded.',
      '',
      'The effective settings are judged per settings entry point: an entry defined in `base.py` and completed by',
      '`production.py` is fine; an entry no entry point completes is reported where it is defined.',
    ].join('\n'),
    example: [
      '# config/settings.py',
      'DATABASES = {',
      '    "default": {',
      '        "ENGINE": "django.db.backends.postgresql",',
      '        "NAME": "shop",',
      '        "OPTIONS": {"connect_timeout": 10},',
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
      'Unsafe: it changes what the application does at run time. Queries that run longer than the timeout',
      '(`statement-timeout-ms`, 30 s by default) are now cancelled, and a long migration or report may need',
      '`SET statement_timeout` of its own. The fix adds both timeouts when both are missing (MG601 and MG602 carry the',
      'same fix): it inserts `"OPTIONS": {"options": "-c statement_timeout=30000 -c lock_timeout=4000"}` into a literal',
      'entry, adds an `"options"` key to a literal `OPTIONS`, appends the missing `-c …` to a literal `options` string,',
      'and for entries built by `dj_database_url`/`env.db` (or defined elsewhere) inserts one statement after the',
      'assignment: `DATABASES["default"].setdefault("OPTIONS", {})["options"] = "…"`.',
    ].join('\n'),
    references: [
      'PostgreSQL: statement_timeout (https://www.postgresql.org/docs/current/runtime-config-client.html)',
      'squawk: require-statement-timeout (per SQL migration)',
      'strong_migrations: StrongMigrations.statement_timeout (for migrations)',
    ],
  },
  check(ctx) {
    reportFindings(ctx, missingTimeoutFindings(ctx, 'statement'));
  },
});
