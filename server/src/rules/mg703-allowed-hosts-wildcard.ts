import { findingsIn, lookupSetting, productionContext, productionEntryPoints, type DeployFinding } from '../analysis/production';
import { BASE_SETTINGS, productionExample } from './docs';
import { defineRule } from './types';

export const allowedHostsWildcard = defineRule({
  code: 'MG703',
  name: 'allowed-hosts-wildcard',
  fileKinds: ['settings'],
  defaultSeverity: 'warning',
  fix: 'never',
  docs: {
    summary: '`"*"` in a production `ALLOWED_HOSTS` accepts any `Host` header, which Django\'s own deploy check does not catch.',
    why: 'Django builds absolute URLs from the request\'s `Host` header: password-reset e-mails, `request.build_absolute_uri()`, redirects, cache keys. `ALLOWED_HOSTS` is the only defence against forged host headers; with `"*"` an attacker who requests a password reset for a victim with `Host: evil.example` gets a reset link to their own domain mailed to the victim (host header poisoning), and poisons caches keyed on the host. `check --deploy` does **not** flag `"*"`: it only warns about an empty list (**security.W020**), and `"*"` silences that warning. (A leading dot, `".example.com"`, is a safe way to allow subdomains.)',
    example: productionExample({ ALLOWED_HOSTS: 'ALLOWED_HOSTS = ["*"]' }),
    useInstead: productionExample({ ALLOWED_HOSTS: 'ALLOWED_HOSTS = ["shop.example.com", ".shop.example.com"]' }),
    history: BASE_SETTINGS,
    fixSafety: 'No automatic fix: only you know the domains the site serves.',
    references: ['Django: not caught by `manage.py check --deploy` (security.W020 covers only an empty list)'],
  },
  check(ctx) {
    const settings = ctx.settings;
    if (!settings) return;
    const findings: DeployFinding<null>[] = [];
    for (const entry of productionEntryPoints(settings.entryPoints, ctx.config.productionSettings)) {
      const found = lookupSetting(entry, settings.index, 'ALLOWED_HOSTS');
      if (found.state !== 'set' || found.conditional || found.value.kind !== 'list') continue;
      if (!found.value.items.some((item) => item.kind === 'str' && item.value.trim() === '*')) continue;
      findings.push({ location: found.statement, entryPoint: entry.entryPoint, key: 'ALLOWED_HOSTS', data: null });
    }
    for (const group of findingsIn(ctx.path, findings)) {
      ctx.report({
        range: group.location.range,
        message: `\`ALLOWED_HOSTS\` contains "*" ${productionContext(ctx.path, group.entryPoints)}: any Host header is accepted, so password-reset links and absolute URLs can point at an attacker's domain (check --deploy does not catch this; security.W020 covers only an empty list).`,
        help: 'Instead, list the domains the site serves (`ALLOWED_HOSTS = ["shop.example.com"]`, a leading dot for subdomains), or read them from the environment.',
      });
    }
  },
});
