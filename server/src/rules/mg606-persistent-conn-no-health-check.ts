import type { Value } from '../analysis/settings';
import { databaseEntries, entryName, findingLocation, healthChecksFix, reportFindings, type EntryFinding } from '../fixes/settings';
import { defineRule } from './types';

const PG_ENTRY = ['        "ENGINE": "django.db.backends.postgresql",', '        "NAME": "shop",',
  '        "OPTIONS": {"connect_timeout": 10, "options": "-c statement_timeout=30000 -c lock_timeout=4000"},'];

export const persistentConnNoHealthCheck = defineRule({
  code: 'MG606',
  name: 'persistent-conn-no-health-check',
  fileKinds: ['settings'],
  defaultSeverity: 'info',
  fix: 'sometimes',
  docs: {
    summary: 'Persistent connections (`CONN_MAX_AGE` > 0 or `None`) without `CONN_HEALTH_CHECKS = True`.',
    why: [
      'With `CONN_MAX_AGE` Django keeps each worker\'s connection open between requests. When the database restarts,',
      'fails over or a proxy drops idle connections, the next request of every worker runs on a dead connection and',
      'fails with `OperationalError`; Django only discards the connection afterwards. `CONN_HEALTH_CHECKS = True`',
      '(Django 4.1+) makes Django check a reused connection before a request uses it and reconnect if it is gone.',
      'Checked per entry, and for `dj_database_url.config(conn_max_age=…)` without `conn_health_checks=True`;',
      'silent for Django < 4.1 (`django-version`), which has no such setting.',
    ].join('\n'),
    example: ['# config/settings.py', 'DATABASES = {', '    "default": {', ...PG_ENTRY, '        "CONN_MAX_AGE": 600,', '    },', '}', ''].join('\n'),
    useInstead: ['# config/settings.py', 'DATABASES = {', '    "default": {', ...PG_ENTRY, '        "CONN_MAX_AGE": 600,',
      '        "CONN_HEALTH_CHECKS": True,', '    },', '}', ''].join('\n'),
    fixSafety: [
      'Safe: queries and results do not change; Django only checks a reused connection (once per request) and',
      'replaces it when it is dead. The fix adds `"CONN_HEALTH_CHECKS": True` to a literal entry, turns a literal',
      '`False` into `True`, or inserts `DATABASES["default"]["CONN_HEALTH_CHECKS"] = True` after the statement that',
      'set `CONN_MAX_AGE` or assigned the entry (`dj_database_url`/`env.db`).',
    ].join('\n'),
    references: ['Django: CONN_HEALTH_CHECKS (https://docs.djangoproject.com/en/stable/ref/settings/#conn-health-checks)'],
  },
  check(ctx) {
    const [major, minor] = ctx.config.djangoVersion;
    if (major < 4 || (major === 4 && minor < 1)) return;
    const findings: EntryFinding[] = [];
    for (const found of databaseEntries(ctx)) {
      const { entry, facts, settings } = found;
      if (entry.kind !== 'dict' || facts.engine === 'unknown') continue;
      const resolve = (value: Value | undefined) => (value?.kind === 'ref' ? settings.names.get(value.name)?.value : value);
      const maxAge = entry.items.get('CONN_MAX_AGE') ?? resolve(entry.from?.connMaxAge);
      if (!maxAge || !(maxAge.kind === 'none' || (maxAge.kind === 'num' && maxAge.value > 0))) continue;
      const checks = entry.items.get('CONN_HEALTH_CHECKS') ?? resolve(entry.from?.connHealthChecks);
      if (checks ? checks.kind !== 'bool' || checks.value : entry.open) continue;
      const at = findingLocation(ctx, found, ['CONN_MAX_AGE']);
      const age = maxAge.kind === 'none' ? '`CONN_MAX_AGE` None, for ever' : `\`CONN_MAX_AGE\` ${maxAge.value} s`;
      findings.push({
        found, at,
        message: (note) => `${entryName(found.alias)}${note} keeps connections open (${age}) without \`CONN_HEALTH_CHECKS = True\`: after a database restart or failover, each worker's next request fails on its dead connection.`,
        help: 'Instead, set `"CONN_HEALTH_CHECKS": True` in the entry: Django checks a reused connection before a request uses it.',
        fix: healthChecksFix(ctx, found, at, checks),
      });
    }
    reportFindings(ctx, findings);
  },
});
