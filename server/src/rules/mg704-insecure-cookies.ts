import { findingsIn, knownWithout, lookupSetting, onlyProductionUses, productionContext, productionEntryPoints, truthy, type DeployFinding } from '../analysis/production';
import type { Value } from '../analysis/settings';
import { detectEol } from '../base/text';
import type { Fix } from '../fixes/types';
import type { SourceLocation } from '../analysis/summary';
import { BASE_SETTINGS, productionExample } from './docs';
import { defineRule } from './types';

const COOKIES = [
  { name: 'SESSION_COOKIE_SECURE', cookie: 'session', check: 'security.W012' },
  { name: 'CSRF_COOKIE_SECURE', cookie: 'CSRF', check: 'security.W016' },
] as const;

type CookieSetting = (typeof COOKIES)[number]['name'];

interface Bad {
  name: CookieSetting;
  /** undefined: the setting is missing altogether (reported on the entry point's first line). */
  value?: Value;
}

function listNames(names: readonly string[]): string {
  const quoted = names.map((name) => `\`${name}\``);
  return quoted.length > 1 ? `${quoted.slice(0, -1).join(', ')} and ${quoted[quoted.length - 1]}` : quoted[0];
}

export const insecureCookies = defineRule({
  code: 'MG704',
  name: 'insecure-cookies',
  fileKinds: ['settings'],
  defaultSeverity: 'warning',
  fix: 'sometimes',
  docs: {
    summary: 'Without `SESSION_COOKIE_SECURE = True` and `CSRF_COOKIE_SECURE = True` browsers send those cookies over plain HTTP.',
    why: 'Both settings default to `False`. A browser then sends the session cookie with any `http://` request to the domain: one link or redirect over plain HTTP (a captive portal, an old bookmark, an injected image) shows the session id to anyone on the network, who can then act as the user. The CSRF cookie leaks the same way. Django\'s `check --deploy` reports them as **security.W010/W011/W012** (session cookie, when sessions are installed) and **security.W016** (CSRF cookie, when `CsrfViewMiddleware` is on and `CSRF_USE_SESSIONS` is off); this rule follows the same conditions, reading the settings statically. A setting missing altogether is reported on the first line of the production entry point.',
    example: productionExample({ SESSION_COOKIE_SECURE: null, CSRF_COOKIE_SECURE: 'CSRF_COOKIE_SECURE = False' }),
    useInstead: productionExample(),
    history: BASE_SETTINGS,
    fixSafety: 'Unsafe: secure cookies are not sent over plain HTTP, so a site (or a health check, or a local copy of the production settings) served over `http://` loses its sessions and CSRF tokens. The fix sets `False` values to `True` where only production entry points use them, and appends missing settings at the end of the production module.',
    references: ['Django: `manage.py check --deploy` security.W010, security.W011, security.W012 (session cookie), security.W016 (CSRF cookie)'],
  },
  check(ctx) {
    const settings = ctx.settings;
    if (!settings) return;
    const { index } = settings;
    const findings: DeployFinding<Bad>[] = [];
    for (const entry of productionEntryPoints(settings.entryPoints, ctx.config.productionSettings)) {
      const csrfUseSessions = lookupSetting(entry, index, 'CSRF_USE_SESSIONS');
      const csrfTokenInCookie = csrfUseSessions.state === 'missing'
        || csrfUseSessions.state === 'set' && !csrfUseSessions.conditional && truthy(csrfUseSessions.value) === false;
      const applies: Record<CookieSetting, boolean> = {
        // Django checks the session cookie when sessions are installed (app or middleware)…
        SESSION_COOKIE_SECURE: !(knownWithout(entry, index, 'INSTALLED_APPS', ['django.contrib.sessions'])
          && knownWithout(entry, index, 'MIDDLEWARE', ['django.contrib.sessions.middleware.SessionMiddleware'])),
        // …and the CSRF cookie when CsrfViewMiddleware is on and the token is not kept in the session.
        CSRF_COOKIE_SECURE: csrfTokenInCookie && !knownWithout(entry, index, 'MIDDLEWARE', ['django.middleware.csrf.CsrfViewMiddleware']),
      };
      const firstLine = index.module(entry.entryPoint)?.firstLine;
      for (const { name } of COOKIES) {
        if (!applies[name]) continue;
        const found = lookupSetting(entry, index, name);
        if (found.state === 'missing' && firstLine) findings.push({ location: firstLine, entryPoint: entry.entryPoint, key: name, data: { name } });
        // Django's check wants `is True`; a value set only in one branch depends on the environment.
        else if (found.state === 'set' && !found.conditional && !(found.value.kind === 'bool' && found.value.value)) {
          findings.push({ location: found.statement, entryPoint: entry.entryPoint, key: name, data: { name, value: found.value } });
        }
      }
    }
    // One diagnostic per place: `A = B = False`, or both missing from the same entry point.
    const places = new Map<number, { location: SourceLocation; entryPoints: Set<string>; bad: Bad[] }>();
    for (const group of findingsIn(ctx.path, findings)) {
      const place = places.get(group.location.range.start) ?? { location: group.location, entryPoints: new Set<string>(), bad: [] };
      group.entryPoints.forEach((entry) => place.entryPoints.add(entry));
      if (!place.bad.some((bad) => bad.name === group.data.name)) place.bad.push(group.data);
      places.set(group.location.range.start, place);
    }
    const eol = detectEol(ctx.text);
    for (const place of places.values()) {
      const names = COOKIES.filter((cookie) => place.bad.some((bad) => bad.name === cookie.name));
      const missing = place.bad.every((bad) => !bad.value);
      const fixes: Fix[] = [];
      const value = place.bad[0].value;
      if (missing && place.location.path === ctx.path && settings.entryPoints.some((entry) => entry.entryPoint === ctx.path)) {
        const lead = ctx.text.length === 0 || ctx.text.endsWith('\n') ? '' : eol;
        const lines = names.map((cookie) => `${cookie.name} = True${eol}`).join('');
        fixes.push({ title: `Set ${names.map((cookie) => `${cookie.name} = True`).join(', ')}`, applicability: 'unsafe', unsafeBecause: 'cookies are no longer sent over plain HTTP', edits: [{ start: ctx.text.length, end: ctx.text.length, text: `${lead}${lines}` }] });
      } else if (value && value.kind !== 'list' && value.kind !== 'dict' && value.location.path === ctx.path
        && value.location.range.start >= place.location.range.start && value.location.range.end <= place.location.range.end
        && onlyProductionUses(settings.entryPoints, ctx.config.productionSettings)) {
        fixes.push({ title: `Set ${names.map((cookie) => cookie.name).join(' and ')} to True`, applicability: 'unsafe', unsafeBecause: 'cookies are no longer sent over plain HTTP', edits: [{ start: value.location.range.start, end: value.location.range.end, text: 'True' }] });
      }
      const what = missing ? `${listNames(names.map((cookie) => cookie.name))} ${names.length > 1 ? 'are' : 'is'} not set (Django's default is False)` : `${listNames(names.map((cookie) => cookie.name))} ${names.length > 1 ? 'are' : 'is'} not True`;
      const cookies = names.map((cookie) => cookie.cookie).join(' and ');
      ctx.report({
        range: place.location.range,
        message: `${what} ${productionContext(ctx.path, [...place.entryPoints])}: browsers send the ${cookies} ${names.length > 1 ? 'cookies' : 'cookie'} over plain HTTP, where anyone on the network can read ${names.length > 1 ? 'them' : 'it'} (check --deploy: ${names.map((cookie) => cookie.check).join(', ')}).`,
        help: `Instead, set ${names.map((cookie) => `\`${cookie.name} = True\``).join(' and ')} in the production settings (serve the whole site over HTTPS).`,
        fixes,
      });
    }
  },
});
