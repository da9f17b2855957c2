import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { defaultConfig, isEnabled, mergeConfig } from '../../server/src/config/defaults';
import { ConfigResolver, detectDjangoVersion } from '../../server/src/config/pyproject';

function project(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'mg-config-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  return dir;
}

test('reads [tool.migration-guard] from the nearest pyproject.toml, walking up', () => {
  const dir = project({
    'pyproject.toml': '[tool.migration-guard]\nignore = ["MG301"]\ndatabase = "postgres"\npostgres-version = 11\n\n[tool.migration-guard.severity]\nMG202 = "error"\n',
    'shop/migrations/0001_initial.py': '',
  });
  const resolved = new ConfigResolver().forFile(join(dir, 'shop/migrations/0001_initial.py'));
  assert.equal(resolved.configPath, join(dir, 'pyproject.toml'));
  assert.deepEqual(resolved.problems, []);
  assert.deepEqual(resolved.config.ignore, ['MG301']);
  assert.equal(resolved.config.database, 'postgresql');
  assert.equal(resolved.config.postgresVersion, 11);
  assert.equal(resolved.config.severity.MG202, 'error');
});

test('a broken pyproject.toml gives a clear problem and the defaults', () => {
  const dir = project({ 'pyproject.toml': '[tool.migration-guard]\nselect = [\n' });
  const resolved = new ConfigResolver().forDirectory(dir);
  assert.equal(resolved.problems.length, 1);
  assert.match(resolved.problems[0].message, /not valid TOML, using default settings/);
  assert.deepEqual(resolved.config, defaultConfig());
});

test('bad values and unknown keys are reported one by one; the rest still applies', () => {
  const problems: { key: string; message: string }[] = [];
  const config = mergeConfig(defaultConfig(), { database: 'mongodb', 'lock-timeout-ms': -5, select: ['MG1', 'E501'], colour: 'red', 'statement-timeout-ms': 1000 }, problems);
  assert.deepEqual(problems.map((p) => p.key), ['database', 'lock-timeout-ms', 'select', 'colour']);
  assert.equal(config.database, 'postgresql');
  assert.equal(config.lockTimeoutMs, 4000);
  assert.deepEqual(config.select, ['MG1']);
  assert.equal(config.statementTimeoutMs, 1000);
});

test('editor / CLI overrides win over pyproject.toml', () => {
  const dir = project({ 'pyproject.toml': '[tool.migration-guard]\nignore = ["MG301"]\n' });
  const resolver = new ConfigResolver({ ignore: ['MG101'], djangoVersion: '4.2' });
  const { config } = resolver.forDirectory(dir);
  assert.deepEqual(config.ignore, ['MG101']);
  assert.deepEqual(config.djangoVersion, [4, 2]);
});

test('select/ignore: the most specific prefix wins, ignore wins a tie', () => {
  const config = { ...defaultConfig(), select: ['MG'], ignore: ['MG3'] };
  assert.equal(isEnabled(config, 'MG101'), true);
  assert.equal(isEnabled(config, 'MG301'), false);
  assert.equal(isEnabled({ ...config, select: ['MG', 'MG301'] }, 'MG301'), true);
  assert.equal(isEnabled({ ...config, select: ['MG1'], ignore: ['MG1'] }, 'MG101'), false);
  assert.equal(isEnabled({ ...config, select: ['MG2'], ignore: [] }, 'MG101'), false);
});

test('the Django version is detected from requirements and lock files', () => {
  assert.deepEqual(detectDjangoVersion(project({ 'requirements.txt': 'psycopg2==2.9\nDjango==4.2.11\n' })), [4, 2]);
  assert.deepEqual(detectDjangoVersion(project({ 'requirements.txt': 'django>=5.0,<5.1\n' })), [5, 0]);
  assert.deepEqual(detectDjangoVersion(project({ 'pyproject.toml': '[tool.poetry.dependencies]\ndjango = "^3.2"\n' })), [3, 2]);
  assert.deepEqual(detectDjangoVersion(project({ 'poetry.lock': '[[package]]\nname = "django"\nversion = "4.1.3"\n' })), [4, 1]);
  assert.equal(detectDjangoVersion(project({ 'requirements.txt': 'djangorestframework==3.14\n' })), undefined);
  const { config } = new ConfigResolver().forDirectory(project({ 'requirements.txt': 'Django==4.2.11\n' }));
  assert.deepEqual(config.djangoVersion, [4, 2]);
});

test('directories under one pyproject.toml share one resolved config; a nested one with the table still wins', () => {
  const root = mkdtempSync(join(tmpdir(), 'mg-config-once-'));
  writeFileSync(join(root, 'pyproject.toml'), '[tool.migration-guard]\nignore = ["MG301"]\n');
  for (const dir of ['a/migrations', 'b/migrations', 'nested/app']) mkdirSync(join(root, dir), { recursive: true });
  writeFileSync(join(root, 'nested', 'pyproject.toml'), '[tool.migration-guard]\nignore = ["MG302"]\n');
  const resolver = new ConfigResolver();
  const a = resolver.forDirectory(join(root, 'a', 'migrations'));
  assert.equal(resolver.forDirectory(join(root, 'b', 'migrations')), a, 'read and parsed once for both directories');
  assert.equal(a.configPath, join(root, 'pyproject.toml'));
  const nested = resolver.forDirectory(join(root, 'nested', 'app'));
  assert.equal(nested.configPath, join(root, 'nested', 'pyproject.toml'));
  assert.deepEqual(nested.config.ignore, ['MG302']);
  resolver.clear();
  assert.notEqual(resolver.forDirectory(join(root, 'a', 'migrations')), a, 'clear() reads the files again');
});
