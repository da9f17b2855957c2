// Production settings (MG7xx) and the timeouts migrations get from the project's settings (MG110/MG111).
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { isProductionSettings, migrationTimeouts } from '../../server/src/analysis/production';
import { summarizeSettings } from '../../server/src/analysis/settings';
import { defaultConfig, type Config } from '../../server/src/config/defaults';
import { lintSource } from '../../server/src/engine/lint';
import { initParser, parsePython } from '../../server/src/base/parser';
import { SettingsIndex } from '../../server/src/analysis/settings-index';
import { Workspace } from '../../server/src/engine/workspace';
import { indexProject, indexSettingsText } from '../helpers/engine';
import { FIXTURES } from '../helpers/paths';

before(() => initParser());

const DEFAULT_GLOBS = defaultConfig().productionSettings;

function settingsIndex(files: Record<string, string>): SettingsIndex {
  const index = new SettingsIndex();
  for (const [path, text] of Object.entries(files)) indexSettingsText(index, path, text);
  return index;
}

function lintSettings(files: Record<string, string>, path: string, config: Config = defaultConfig()) {
  const index = settingsIndex(files);
  const result = lintSource({ path, text: files[path], config, settingsIndex: index, onRuleError: (rule, error) => { throw error; } });
  result.tree.delete();
  return result.violations.filter((v) => /^MG7/.test(v.code));
}

test('production entry points: default globs on the file name, custom globs on any path suffix', () => {
  for (const path of ['/srv/app/config/settings/production.py', '/srv/app/mysite/prod_settings.py', '/srv/deploy_settings.py', 'C:\\app\\settings\\live.py']) {
    assert.ok(isProductionSettings(path, DEFAULT_GLOBS), path);
  }
  for (const path of ['/srv/production/config/settings/local.py', '/srv/app/config/settings/base.py', '/srv/prod-site/settings.py']) {
    assert.ok(!isProductionSettings(path, DEFAULT_GLOBS), path);
  }
  assert.ok(isProductionSettings('/srv/app/config/settings/prd.py', ['config/settings/prd.py']));
  assert.ok(!isProductionSettings('/srv/app/other/settings/prd.py', ['config/settings/prd.py']));
  assert.ok(!isProductionSettings('/srv/app/config/settings/production.py', []));
});

test('settings model: every branch is read; assignments that may not run are conditional; include()/exec() may set anything', () => {
  const text = [
    'from split_settings.tools import include',
    'if X:',
    '    A = 1',
    'elif Y:',
    '    B = 2',
    'else:',
    '    C = 3',
    'try:',
    '    D = 4',
    'except ImportError:',
    '    E = 5',
    'finally:',
    '    F = 6',
    'with open("x") as f:',
    '    G = 7',
    'include("components/*.py")',
    'exec(open("local.py").read())',
    'globals().update(H=8)',
    '',
  ].join('\n');
  const tree = parsePython(text);
  const statements = summarizeSettings('/p/settings.py', tree.rootNode).statements;
  tree.delete();
  const described = statements.map((s) => s.kind === 'assign' ? `${s.name}${s.conditional ? '?' : ''}` : s.kind === 'opaque' ? `opaque:${s.name}` : s.kind);
  assert.deepEqual(described, ['A?', 'B?', 'C?', 'D', 'E?', 'F', 'G', 'opaque:*', 'opaque:*', 'opaque:*']);
});

const BASE = [
  'DEBUG = True',
  'ALLOWED_HOSTS = ["*"]',
  'MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]',
  'SECURE_HSTS_SECONDS = 3600',
  '',
].join('\n');

test('a value inherited from base.py is reported there, naming the production entry points, with a fix only when no other entry point uses it', () => {
  const files = {
    '/p/config/settings/base.py': BASE,
    '/p/config/settings/production.py': 'from .base import *\n',
    '/p/config/settings/production_eu.py': 'from .base import *\nTIME_ZONE = "Europe/Paris"\n',
  };
  const inBase = lintSettings(files, '/p/config/settings/base.py');
  assert.deepEqual(inBase.map((v) => v.code), ['MG701', 'MG703']);
  assert.match(inBase[0].message, /^`DEBUG` is true in settings used by the production entry points `production.py`, `production_eu.py`: .*security\.W018/);
  assert.equal(inBase[0].fixes.length, 1, 'only production entry points use base.py');
  assert.equal(inBase[0].fixes[0].applicability, 'unsafe');
  assert.deepEqual(lintSettings(files, '/p/config/settings/production.py'), [], 'reported where the value is set, not in each entry point');

  const withLocal = { ...files, '/p/config/settings/local.py': 'from .base import *\n' };
  const shared = lintSettings(withLocal, '/p/config/settings/base.py');
  assert.equal(shared[0].code, 'MG701');
  assert.deepEqual(shared[0].fixes, [], 'local.py uses base.py too: no fix there');
});

test('an entry point that overrides the value is fine; one that does not is named alone', () => {
  const files = {
    '/p/config/settings/base.py': BASE,
    '/p/config/settings/production.py': 'from .base import *\nDEBUG = False\nALLOWED_HOSTS = ["shop.example.com"]\n',
    '/p/config/settings/deploy_us.py': 'from .base import *\nALLOWED_HOSTS = ["us.shop.example.com"]\n',
  };
  const inBase = lintSettings(files, '/p/config/settings/base.py');
  assert.deepEqual(inBase.map((v) => v.code), ['MG701']);
  assert.match(inBase[0].message, /production entry point `deploy_us.py`:/);
});

test('MG704/MG705: missing settings on the entry point\'s first line, silent when a star import cannot be followed', () => {
  const production = '"""Production."""\nMIDDLEWARE = ["django.middleware.security.SecurityMiddleware", "django.middleware.csrf.CsrfViewMiddleware"]\n';
  const found = lintSettings({ '/p/config/settings/production.py': production }, '/p/config/settings/production.py');
  assert.deepEqual(found.map((v) => [v.code, v.range.start]), [['MG704', 0], ['MG705', 0]]);
  assert.match(found[0].message, /^`CSRF_COOKIE_SECURE` is not set \(Django's default is False\) in production settings: .*security\.W016/);
  const unknown = lintSettings({ '/p/config/settings/production.py': `from company.defaults import *\n${production}` }, '/p/config/settings/production.py');
  assert.deepEqual(unknown, []);
});

test('the production-settings globs come from the config', () => {
  const files = { '/p/config/settings/staging.py': 'DEBUG = True\n' };
  assert.deepEqual(lintSettings(files, '/p/config/settings/staging.py'), []);
  const config = { ...defaultConfig(), productionSettings: ['**/staging.py'] };
  assert.deepEqual(lintSettings(files, '/p/config/settings/staging.py', config).map((v) => v.code), ['MG701']);
});

test('migration timeouts: options strings, ZERO_DOWNTIME_MIGRATIONS_LOCK_TIMEOUT, unknown entry points', () => {
  const config = defaultConfig();
  const pg = (options: string) => `DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "OPTIONS": {"options": "${options}"}}}\n`;
  const both = migrationTimeouts(settingsIndex({ '/p/settings.py': pg('-c statement_timeout=30s -c lock_timeout=4000') }), config);
  assert.deepEqual([both.lockTimeouts.map((t) => t.ms), both.statementTimeouts.map((t) => t.ms), both.lockTimeoutUnknown], [[4000], [30000], false]);
  const zeroDowntime = migrationTimeouts(settingsIndex({ '/p/settings.py': `${pg('-c statement_timeout=0')}ZERO_DOWNTIME_MIGRATIONS_LOCK_TIMEOUT = "2s"\n` }), config);
  assert.deepEqual([zeroDowntime.lockTimeouts.map((t) => t.ms), zeroDowntime.statementTimeouts], [[2000], []]);
  const opaque = migrationTimeouts(settingsIndex({ '/p/settings.py': 'import configuration\nDATABASES = getattr(configuration, "DATABASES", {})\n' }), config);
  assert.equal(opaque.lockTimeoutUnknown, true);
  const sqlite = migrationTimeouts(settingsIndex({ '/p/settings.py': 'DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3"}}\n' }), config);
  assert.deepEqual([sqlite.postgresEntries, sqlite.lockTimeoutUnknown], [[], false]);
});

test('MG110 and MG111 point to the settings entry and the options string (fixture project timeouts)', () => {
  const root = join(FIXTURES, 'projects', 'timeouts');
  const { workspace, settingsIndex: index } = indexProject(root);
  const lint = (name: string) => {
    const path = join(root, 'shop', 'migrations', name);
    const result = lintSource({ path, text: readFileSync(path, 'utf8'), config: { ...defaultConfig(), djangoVersion: [5, 1] }, workspace, settingsIndex: index });
    result.tree.delete();
    return result.violations;
  };
  const base = readFileSync(join(root, 'config', 'settings', 'base.py'), 'utf8');
  const production = readFileSync(join(root, 'config', 'settings', 'production.py'), 'utf8');
  const [lock] = lint('0002_order_note.py').filter((v) => v.code === 'MG110');
  assert.equal(lock.related?.length, 1);
  assert.equal(lock.related![0].path, join(root, 'config', 'settings', 'base.py'));
  assert.match(base.slice(lock.related![0].range.start), /^"default": \{/);
  assert.match(lock.help!, /^Instead, make `migrations\.RunSQL\("SET lock_timeout = '4s'", reverse_sql=migrations\.RunSQL\.noop\)` the first operation/);
  const [long] = lint('0004_order_created_idx.py').filter((v) => v.code === 'MG111');
  assert.equal(long.related![0].path, join(root, 'config', 'settings', 'production.py'));
  assert.equal(production.slice(long.related![0].range.start, long.related![0].range.end), '"-c statement_timeout=30s"');
  assert.match(long.message, /statement_timeout of 30s/);
});

test('MG110 and MG111 are silent without a workspace settings index, or with an empty one', () => {
  const text = readFileSync(join(FIXTURES, 'projects', 'timeouts', 'shop', 'migrations', '0002_order_note.py'), 'utf8');
  for (const settings of [undefined, new SettingsIndex()]) {
    const result = lintSource({ path: '/p/shop/migrations/0002_order_note.py', text, config: defaultConfig(), workspace: new Workspace(), settingsIndex: settings });
    assert.deepEqual(result.violations.filter((v) => v.code === 'MG110' || v.code === 'MG111'), []);
    result.tree.delete();
  }
});
