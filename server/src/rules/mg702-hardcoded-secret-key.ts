import { findingsIn, lookupSetting, productionContext, productionEntryPoints, type DeployFinding } from '../analysis/production';
import { BASE_SETTINGS, productionExample } from './docs';
import { defineRule } from './types';

/** What Django's own check (security.W009) looks at: length, variety, the `startproject` prefix. */
function weakByDjango(key: string): boolean {
  return key.length < 50 || new Set(key).size < 5 || key.startsWith('django-insecure');
}

export const hardcodedSecretKey = defineRule({
  code: 'MG702',
  name: 'hardcoded-secret-key',
  fileKinds: ['settings'],
  defaultSeverity: 'warning',
  fix: 'never',
  docs: {
    summary: 'A string literal `SECRET_KEY` in production settings lets anyone with the source forge signed data.',
    why: '`SECRET_KEY` signs sessions (with the signed-cookie backend, the whole session), password-reset and e-mail confirmation links, `signing.dumps` tokens and messages. A key written in the settings file is in the repository, its history, every clone, CI logs and container images: whoever reads it can forge those and log in as any user. Django\'s `check --deploy` **security.W009** only judges the key\'s strength (at least 50 characters, 5 distinct ones, not the `django-insecure-` key of `startproject`), so a long random key committed to git passes it. This rule reports any literal key in a production entry point\'s effective settings; a key read from the environment or a file (`os.environ[...]`, `env(...)`, `open(...).read()`) is fine.',
    example: productionExample({ SECRET_KEY: 'SECRET_KEY = "k3#v9!q2x@w7^b1$m4%n8&z6*p0(r5)t-y+u=i[o]a{s}d|f;g:h,j.l/c<e>"' }),
    useInstead: productionExample(),
    history: BASE_SETTINGS,
    fixSafety: 'No automatic fix: the environment variable or secrets file is a deployment choice, and the committed key must be rotated (which logs every user out and invalidates outstanding reset links).',
    references: ['Django: `manage.py check --deploy` security.W009 (strength only)'],
  },
  check(ctx) {
    const settings = ctx.settings;
    if (!settings) return;
    const findings: DeployFinding<string>[] = [];
    for (const entry of productionEntryPoints(settings.entryPoints, ctx.config.productionSettings)) {
      const found = lookupSetting(entry, settings.index, 'SECRET_KEY');
      // An empty key makes Django refuse to start: not a leak.
      if (found.state !== 'set' || found.conditional || found.value.kind !== 'str' || found.value.value.length === 0) continue;
      findings.push({ location: found.statement, entryPoint: entry.entryPoint, key: 'SECRET_KEY', data: found.value.value });
    }
    for (const group of findingsIn(ctx.path, findings)) {
      const djangoSays = weakByDjango(group.data)
        ? 'check --deploy reports it as weak, security.W009'
        : 'check --deploy security.W009 only checks its strength and passes it';
      ctx.report({
        range: group.location.range,
        message: `\`SECRET_KEY\` is a string literal ${productionContext(ctx.path, group.entryPoints)}: anyone with the source can forge sessions, password-reset links and signed cookies (${djangoSays}).`,
        help: 'Instead, read it from the environment or a secrets file (`SECRET_KEY = os.environ["DJANGO_SECRET_KEY"]`) and rotate the key that was committed.',
      });
    }
  },
});
