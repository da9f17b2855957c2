import { findingsIn, lookupSetting, onlyProductionUses, productionContext, productionEntryPoints, truthy, type DeployFinding } from '../analysis/production';
import type { Value } from '../analysis/settings';
import type { Fix } from '../fixes/types';
import { BASE_SETTINGS, productionExample } from './docs';
import { defineRule } from './types';

export const debugTrue = defineRule({
  code: 'MG701',
  name: 'debug-true',
  fileKinds: ['settings'],
  defaultSeverity: 'warning',
  fix: 'sometimes',
  docs: {
    summary: '`DEBUG = True` in production settings shows tracebacks, settings and local variables to any visitor.',
    why: 'With `DEBUG = True` every unhandled error returns Django\'s technical page: the traceback, the local variables of each frame, the request and most settings (Django masks names that look like secrets, not the values inside connection URLs or custom settings). It also keeps every SQL query in memory and serves the URL patterns on 404 pages. Django\'s `check --deploy` reports it as **security.W018**, but only when someone runs the check with the production settings; this rule reads the settings file. Settings inherited through `from .base import *` are judged per production entry point: `DEBUG = True` in `base.py` is fine when `production.py` sets `DEBUG = False`, and is reported in `base.py` when it does not.',
    example: productionExample({ DEBUG: 'DEBUG = True' }),
    useInstead: productionExample(),
    history: BASE_SETTINGS,
    fixSafety: 'Unsafe: `DEBUG = False` changes behaviour (error pages, static files served by `runserver`, `ALLOWED_HOSTS` enforced). Offered only where the value is set in a module that production entry points alone use.',
    references: ['Django: `manage.py check --deploy` security.W018'],
  },
  check(ctx) {
    const settings = ctx.settings;
    if (!settings) return;
    const findings: DeployFinding<Value>[] = [];
    for (const entry of productionEntryPoints(settings.entryPoints, ctx.config.productionSettings)) {
      const found = lookupSetting(entry, settings.index, 'DEBUG');
      // A value set only in one branch (`if os.environ.get(...)`) depends on the environment: silent.
      if (found.state !== 'set' || found.conditional || truthy(found.value) !== true) continue;
      findings.push({ location: found.statement, entryPoint: entry.entryPoint, key: 'DEBUG', data: found.value });
    }
    for (const group of findingsIn(ctx.path, findings)) {
      const value = group.data;
      const fixes: Fix[] = [];
      const inStatement = value.location.path === ctx.path && value.location.range.start >= group.location.range.start && value.location.range.end <= group.location.range.end;
      if (inStatement && value.kind === 'bool' && onlyProductionUses(settings.entryPoints, ctx.config.productionSettings)) {
        fixes.push({ title: 'Set DEBUG = False', applicability: 'unsafe', unsafeBecause: 'error pages and ALLOWED_HOSTS change', edits: [{ start: value.location.range.start, end: value.location.range.end, text: 'False' }] });
      }
      ctx.report({
        range: group.location.range,
        message: `\`DEBUG\` is true ${productionContext(ctx.path, group.entryPoints)}: every error page shows the traceback, local variables and settings to any visitor (check --deploy: security.W018).`,
        help: 'Instead, set `DEBUG = False` in the production settings (or read it from the environment with a default of False).',
        fixes,
      });
    }
  },
});
