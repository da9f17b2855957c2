import { findingsIn, knownWithout, lookupSetting, productionContext, productionEntryPoints, truthy, type DeployFinding, type SettingLookup } from '../analysis/production';
import { BASE_SETTINGS, productionExample } from './docs';
import { defineRule } from './types';

const SECURITY_MIDDLEWARE = 'django.middleware.security.SecurityMiddleware';

/** Good, bad, or cannot tell (unknown, or set only in one branch). */
function judge(found: SettingLookup, good: (found: Extract<SettingLookup, { state: 'set' }>) => boolean | undefined): 'good' | 'bad' | 'unknown' {
  if (found.state === 'missing') return 'bad';
  if (found.state === 'unknown' || found.conditional) return 'unknown';
  const verdict = good(found);
  return verdict === undefined ? 'unknown' : verdict ? 'good' : 'bad';
}

export const noHttpsRedirectOrHsts = defineRule({
  code: 'MG705',
  name: 'no-https-redirect-or-hsts',
  fileKinds: ['settings'],
  defaultSeverity: 'warning',
  fix: 'never',
  docs: {
    summary: 'Production settings with neither `SECURE_SSL_REDIRECT = True` nor `SECURE_HSTS_SECONDS` leave visitors on plain HTTP.',
    why: 'A visitor who types the domain, follows an `http://` link or an old bookmark talks to the site unencrypted: whoever sits on the network (public Wi-Fi, a hostile proxy) can read and change the pages, and strip the upgrade to HTTPS. `SECURE_SSL_REDIRECT = True` makes Django\'s `SecurityMiddleware` redirect every HTTP request to HTTPS; `SECURE_HSTS_SECONDS` (HTTP Strict Transport Security) makes browsers that have seen the site once use HTTPS by themselves, before any request leaves. Either one closes the gap; Django\'s `check --deploy` reports them separately as **security.W008** (no redirect) and **security.W004** (no HSTS), and only when `SecurityMiddleware` is in `MIDDLEWARE`. This rule does the same for settings that are missing (without the middleware a proxy may do HTTPS); settings turned off explicitly (`SECURE_SSL_REDIRECT = False`, `SECURE_HSTS_SECONDS = 0`) are reported in every case, also when they override nothing in a base module. When a proxy or load balancer does the redirect and sends the HSTS header, silence this rule for that file (`# migration-guard: ignore-file[MG705]`).',
    example: productionExample({ SECURE_SSL_REDIRECT: null, SECURE_HSTS_SECONDS: null }),
    useInstead: productionExample({ SECURE_SSL_REDIRECT: null }),
    history: BASE_SETTINGS,
    fixSafety: 'No automatic fix: HSTS is remembered by browsers for `SECURE_HSTS_SECONDS` (start with a small value such as 3600), and behind a proxy the redirect needs `SECURE_PROXY_SSL_HEADER`, or it loops.',
    references: ['Django: `manage.py check --deploy` security.W008 (SECURE_SSL_REDIRECT), security.W004 (SECURE_HSTS_SECONDS)'],
  },
  check(ctx) {
    const settings = ctx.settings;
    if (!settings) return;
    const { index } = settings;
    const findings: DeployFinding<{ noMiddleware: boolean }>[] = [];
    for (const entry of productionEntryPoints(settings.entryPoints, ctx.config.productionSettings)) {
      const redirect = lookupSetting(entry, index, 'SECURE_SSL_REDIRECT');
      const hsts = lookupSetting(entry, index, 'SECURE_HSTS_SECONDS');
      // Without SecurityMiddleware neither setting does anything (Django reports W001 instead): a proxy may do
      // HTTPS, so settings that are merely missing say nothing. Turned off explicitly, they still say no.
      const noMiddleware = knownWithout(entry, index, 'MIDDLEWARE', [SECURITY_MIDDLEWARE]);
      if (noMiddleware && (redirect.state !== 'set' || hsts.state !== 'set')) continue;
      const redirectVerdict = judge(redirect, (found) => found.value.kind === 'bool' ? found.value.value : found.value.kind === 'none' || found.value.kind === 'num' || found.value.kind === 'str' ? false : undefined);
      const hstsVerdict = judge(hsts, (found) => found.value.kind === 'num' ? found.value.value > 0 : truthy(found.value));
      if (redirectVerdict !== 'bad' || hstsVerdict !== 'bad') continue;
      // Where a value was set explicitly (`SECURE_SSL_REDIRECT = False`), else the entry point's first line.
      const explicit = [redirect, hsts].find((found) => found.state === 'set');
      const location = explicit?.state === 'set' ? explicit.statement : index.module(entry.entryPoint)?.firstLine;
      if (location) findings.push({ location, entryPoint: entry.entryPoint, key: 'https', data: { noMiddleware } });
    }
    for (const group of findingsIn(ctx.path, findings)) {
      ctx.report({
        range: group.location.range,
        message: `Neither \`SECURE_SSL_REDIRECT = True\` nor \`SECURE_HSTS_SECONDS\` > 0 ${productionContext(ctx.path, group.entryPoints)}${group.data.noMiddleware ? ' (and `SecurityMiddleware` is not in `MIDDLEWARE`)' : ''}: visitors who arrive over http:// stay on plain HTTP, where pages and cookies can be read and changed (check --deploy: ${group.data.noMiddleware ? 'security.W001' : 'security.W008, security.W004'}).`,
        help: 'Instead, set `SECURE_HSTS_SECONDS` (start with 3600, then 31536000 once every page is served over HTTPS) and/or `SECURE_SSL_REDIRECT = True` (behind a proxy, with `SECURE_PROXY_SSL_HEADER`).',
      });
    }
  },
});
