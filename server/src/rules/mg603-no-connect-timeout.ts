import { CONNECT_TIMEOUT_SECONDS, connectTimeoutFix, databaseEntries, entryName, findingLocation, reportFindings, type EntryFinding } from '../fixes/settings';
import { defineRule } from './types';

const PG_ENTRY = ['        "ENGINE": "django.db.backends.postgresql",', '        "NAME": "shop",'];

export const noConnectTimeout = defineRule({
  code: 'MG603',
  name: 'no-connect-timeout',
  fileKinds: ['settings'],
  defaultSeverity: 'info',
  fix: 'sometimes',
  docs: {
    summary: 'A PostgreSQL database entry without `connect_timeout`: workers hang when the database is unreachable.',
    why: [
      'Without `connect_timeout` libpq waits for a connection as long as the operating system lets it (minutes for a',
      'host that drops packets). During a failover or a network problem every worker that opens a connection hangs,',
      'requests pile up and health checks time out, instead of failing fast and recovering when the database is back.',
      `\`"connect_timeout": ${CONNECT_TIMEOUT_SECONDS}\` in \`OPTIONS\` bounds the wait to ${CONNECT_TIMEOUT_SECONDS} seconds.`,
    ].join('\n'),
    example: ['# config/settings.py', 'DATABASES = {', '    "default": {', ...PG_ENTRY,
      '        "OPTIONS": {"options": "-c statement_timeout=30000 -c lock_timeout=4000"},', '    },', '}', ''].join('\n'),
    useInstead: ['# config/settings.py', 'DATABASES = {', '    "default": {', ...PG_ENTRY,
      '        "OPTIONS": {"connect_timeout": 10, "options": "-c statement_timeout=30000 -c lock_timeout=4000"},', '    },', '}', ''].join('\n'),
    fixSafety: [
      `Unsafe: a connection attempt that takes longer than ${CONNECT_TIMEOUT_SECONDS} s now fails instead of waiting.`,
      `The fix adds \`"connect_timeout": ${CONNECT_TIMEOUT_SECONDS}\` to a literal \`OPTIONS\` (or an \`OPTIONS\` dict to a`,
      'literal entry), or inserts `DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = 10` after a',
      '`dj_database_url`/`env.db` assignment.',
    ].join('\n'),
    references: ['libpq: connect_timeout (https://www.postgresql.org/docs/current/libpq-connect.html)'],
  },
  check(ctx) {
    const findings: EntryFinding[] = [];
    for (const found of databaseEntries(ctx)) {
      if (found.facts.engine !== 'postgresql' || found.facts.connectTimeout !== 'absent') continue;
      const at = findingLocation(ctx, found, ['OPTIONS', 'connect_timeout']);
      findings.push({
        found, at,
        message: (note) => `${entryName(found.alias)}${note} sets no \`connect_timeout\`: when the database is unreachable, every worker hangs on connect for minutes instead of failing fast.`,
        help: `Instead, add \`"connect_timeout": ${CONNECT_TIMEOUT_SECONDS}\` to \`OPTIONS\`.`,
        fix: connectTimeoutFix(ctx, found, at),
      });
    }
    reportFindings(ctx, findings);
  },
});
