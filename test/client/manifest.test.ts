// The extension manifest (package.json) agrees with the client code, the engine's config keys and the bundle.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { test } from 'node:test';
import { defaultConfig, mergeConfig, type ConfigProblem } from '../../server/src/config/defaults';
import { ENGINE_KEYS, SERVER_KEYS } from '../../server/src/lsp/configuration';

/** The repository root: the first folder above this test with our package.json (works from out/test/client). */
function repoRoot(): string {
  let dir = __dirname;
  for (let i = 0; i < 6; i++) {
    const path = join(dir, 'package.json');
    if (existsSync(path) && JSON.parse(readFileSync(path, 'utf8')).name === 'django-migration-guard') return dir;
    dir = dirname(dir);
  }
  throw new Error(`package.json not found above ${__dirname}`);
}

interface SettingSchema {
  type?: string | string[];
  default?: unknown;
  enum?: unknown[];
  markdownDescription?: string;
  description?: string;
}

interface Manifest {
  main: string;
  activationEvents: string[];
  capabilities: { untrustedWorkspaces: { supported: boolean | string }; virtualWorkspaces: boolean };
  contributes: {
    commands: { command: string; title: string; category?: string }[];
    configuration: { properties: Record<string, SettingSchema> };
    walkthroughs?: { id: string; title: string; steps: { id: string; title: string; description: string; media: { markdown?: string } }[] }[];
  };
}

const root = repoRoot();
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as Manifest;
const clientDir = join(root, 'client', 'src');
const clientSource = readdirSync(clientDir).filter((name) => name.endsWith('.ts')).map((name) => readFileSync(join(clientDir, name), 'utf8')).join('\n');
const settings = manifest.contributes.configuration.properties;

/** Settings the client or the server's logging use; they are not engine config keys. */
const CLIENT_ONLY = ['migrationGuard.enable', 'migrationGuard.logLevel', 'migrationGuard.trace.server', 'migrationGuard.since'];

/** A valid, non-default value for every engine-facing setting. */
const SAMPLES: Record<string, unknown> = {
  'migrationGuard.select': ['MG1', 'MG301'],
  'migrationGuard.ignore': ['MG202'],
  'migrationGuard.severity': { MG101: 'error', MG3: 'info' },
  'migrationGuard.database': 'mysql',
  'migrationGuard.djangoVersion': '4.2',
  'migrationGuard.postgresVersion': 13,
  'migrationGuard.exclude': ['legacy/**'],
  'migrationGuard.statementTimeoutMs': 60000,
  'migrationGuard.lockTimeoutMs': 2000,
  'migrationGuard.maxStatementTimeoutMs': 600000,
  'migrationGuard.maxLockTimeoutMs': 20000,
  'migrationGuard.maxTimeoutMs': 15000,
  'migrationGuard.productionSettings': ['**/settings/prod.py'],
  'migrationGuard.startAfter': { shop: '0042' },
  'migrationGuard.tables': { large: ['shop_order', 'shop_*line'], small: ['shop_flag'] },
};

test('every registered command is declared in package.json, and vice versa', () => {
  const registered = new Set([...clientSource.matchAll(/registerCommand\(\s*['"`]([^'"`]+)['"`]/g)].map((match) => match[1]));
  const declared = new Set(manifest.contributes.commands.map((command) => command.command));
  assert.ok(registered.size >= 4, `expected the four commands to be registered, found ${[...registered].join(', ')}`);
  assert.deepEqual([...registered].sort(), [...declared].sort());
  for (const id of ['migrationGuard.restartServer', 'migrationGuard.showOutput', 'migrationGuard.fixAll', 'migrationGuard.lintWorkspace']) {
    assert.ok(declared.has(id), `${id} is declared`);
  }
});

test('commands have a title and the "Migration Guard" category', () => {
  for (const command of manifest.contributes.commands) {
    assert.equal(command.category, 'Migration Guard', command.command);
    assert.ok(command.title.trim().length > 0, command.command);
  }
});

test('commands that the client refers to (status item, buttons) exist', () => {
  const declared = new Set(manifest.contributes.commands.map((command) => command.command));
  for (const [, id] of clientSource.matchAll(/command:\s*['"`](migrationGuard\.[^'"`]+)['"`]/g)) {
    assert.ok(declared.has(id), `${id} is referred to in client/src but not declared`);
  }
});

test('every setting is under migrationGuard.* and has a markdownDescription', () => {
  const keys = Object.keys(settings);
  assert.ok(keys.length >= 12, `expected the documented settings, found ${keys.length}`);
  for (const [key, schema] of Object.entries(settings)) {
    assert.match(key, /^migrationGuard\./);
    assert.ok(typeof schema.markdownDescription === 'string' && schema.markdownDescription.trim().length > 20, `${key} has a markdownDescription`);
    assert.ok('default' in schema, `${key} has a default`);
  }
  for (const key of [...CLIENT_ONLY, ...Object.keys(SAMPLES)]) assert.ok(key in settings, `${key} is declared`);
});

test('enable defaults to true; logLevel and trace.server have the documented choices', () => {
  assert.equal(settings['migrationGuard.enable'].default, true);
  assert.deepEqual(settings['migrationGuard.logLevel'].enum, ['error', 'warn', 'info', 'debug']);
  assert.equal(settings['migrationGuard.logLevel'].default, 'info');
  assert.deepEqual(settings['migrationGuard.trace.server'].enum, ['off', 'messages', 'verbose']);
  assert.equal(settings['migrationGuard.trace.server'].default, 'off');
});

test('engine settings default to "not set" (null, "", [], {}), so pyproject.toml wins over an untouched editor', () => {
  for (const key of Object.keys(settings).filter((name) => !CLIENT_ONLY.includes(name))) {
    const value = settings[key].default;
    const notSet = value === null || value === '' || (Array.isArray(value) && value.length === 0)
      || (typeof value === 'object' && value !== null && Object.keys(value).length === 0);
    assert.ok(notSet, `${key} defaults to ${JSON.stringify(value)}`);
  }
});

test('every engine setting is a config key the engine accepts, with a sample value', () => {
  const engineKeys = Object.keys(settings).filter((key) => !CLIENT_ONLY.includes(key));
  assert.deepEqual(engineKeys.sort(), Object.keys(SAMPLES).sort(), 'a new setting needs a sample here');
  const base = defaultConfig();
  for (const [key, value] of Object.entries(SAMPLES)) {
    const problems: ConfigProblem[] = [];
    const name = key.slice('migrationGuard.'.length);
    const merged = mergeConfig(base, { [name]: value }, problems);
    assert.deepEqual(problems, [], `${key}: the engine rejects ${JSON.stringify(value)}`);
    assert.notDeepEqual(merged, base, `${key}: the engine ignored ${JSON.stringify(value)}`);
  }
});

test('the settings the server accepts (lsp/configuration.ts) are exactly the contributed ones', () => {
  // trace.server is read by vscode-languageclient, not by the server.
  const contributed = Object.keys(settings).filter((key) => key !== 'migrationGuard.trace.server').map((key) => key.slice('migrationGuard.'.length));
  const accepted = [...ENGINE_KEYS, ...SERVER_KEYS];
  assert.deepEqual([...contributed].sort(), [...accepted].sort(), 'a key the server reads needs a contributed setting (and back)');
  for (const key of contributed) {
    const schema = settings[`migrationGuard.${key}`];
    assert.ok(schema.type, `migrationGuard.${key} has a schema type`);
  }
});

test('the database enum lists the databases only: "not set" is the default, not a choice', () => {
  const schema = settings['migrationGuard.database'];
  assert.deepEqual(schema.enum, ['postgresql', 'mysql', 'sqlite', 'oracle']);
  assert.equal((schema as { markdownEnumDescriptions?: string[] }).markdownEnumDescriptions?.length, 4);
});

test('enum settings offer only values the engine accepts', () => {
  for (const value of settings['migrationGuard.database'].enum ?? []) {
    const problems: ConfigProblem[] = [];
    mergeConfig(defaultConfig(), { database: value }, problems);
    assert.deepEqual(problems, [], String(value));
  }
});

test('the walkthrough: what it checks, quieting a legacy project, CI; its pages exist and ship in the .vsix', () => {
  const [walkthrough] = manifest.contributes.walkthroughs ?? [];
  assert.ok(walkthrough, 'contributes.walkthroughs');
  assert.deepEqual(walkthrough.steps.map((step) => step.id), ['whatItChecks', 'legacyProject', 'ci']);
  const shipped = readFileSync(join(root, '.vscodeignore'), 'utf8');
  assert.match(shipped, /^!docs\/walkthrough\/\*\.md$/m);
  const declared = new Set(manifest.contributes.commands.map((command) => command.command));
  for (const step of walkthrough.steps) {
    assert.ok(step.media.markdown && existsSync(join(root, step.media.markdown)), `${step.id}: ${step.media.markdown}`);
    for (const [, id] of step.description.matchAll(/\(command:([\w.]+)\)/g)) assert.ok(declared.has(id), `${step.id} links to ${id}, which is declared`);
  }
  assert.match(readFileSync(join(root, 'docs/walkthrough/legacy-project.md'), 'utf8'), /start-after/);
  assert.match(readFileSync(join(root, 'docs/walkthrough/ci.md'), 'utf8'), /--since/);
});

test('activation events, entry point and capabilities', () => {
  assert.equal(manifest.main, './dist/extension.js');
  for (const event of ['onLanguage:python', 'workspaceContains:**/manage.py', 'workspaceContains:**/migrations/*.py']) {
    assert.ok(manifest.activationEvents.includes(event), event);
  }
  assert.equal(manifest.capabilities.untrustedWorkspaces.supported, true);
  assert.equal(manifest.capabilities.virtualWorkspaces, false);
});

test('dist/extension.js is built, requires vscode at run time and bundles the rest', () => {
  const path = join(root, 'dist', 'extension.js');
  assert.ok(existsSync(path), 'run `node esbuild.mjs` first');
  const bundle = readFileSync(path, 'utf8');
  assert.match(bundle, /require\("vscode"\)/);
  assert.doesNotMatch(bundle, /require\("vscode-languageclient/, 'vscode-languageclient is bundled');
  // A thin client: the engine (tree-sitter, rules) lives in the server bundle only.
  assert.doesNotMatch(bundle, /web-tree-sitter|lintSource/);
  assert.match(bundle, /exports\.activate|activate:/);
});
