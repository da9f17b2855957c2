// Configuration over a real LSP connection: workspace/configuration (pulled per document), didChangeConfiguration,
// initializationOptions, pyproject.toml problems as MG000, and watched pyproject.toml changes.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { FileChangeType } from 'vscode-languageserver-protocol/node';
import { ADD_INDEX_MIGRATION, MIGRATION_PATH, TestClient, has, lacks, makeProject, uriOf } from './client';


describe('configuration from the client (workspace/configuration)', () => {
  const project = makeProject({ 'shop/migrations/__init__.py': '' });
  let client: TestClient;

  before(async () => {
    client = new TestClient({ rootPath: project.root, settings: {} });
    await client.initialize();
  });

  after(async () => {
    await client.dispose();
    project.dispose();
  });

  test('registers for configuration and pyproject.toml changes', async () => {
    await client.waitFor(() => (client.registrations.includes('workspace/didChangeWatchedFiles') && client.registrations.includes('workspace/didChangeConfiguration') ? true : undefined), 'registrations');
  });

  test('settings are asked for with the document as scope; ignore = [MG101] then silences MG101', async () => {
    const path = project.write(MIGRATION_PATH, ADD_INDEX_MIGRATION);
    const uri = await client.open(path, ADD_INDEX_MIGRATION);
    await client.waitForCurrent(uri, has('MG101'));
    assert.ok(client.configurationItems.some((item) => item.section === 'migrationGuard' && item.scopeUri === uri));

    await client.changeConfiguration({ ignore: ['MG101'] });
    await client.waitForDiagnostics(uri, lacks('MG101'));

    // Editor defaults (empty lists and strings) mean "not set": the defaults apply again.
    await client.changeConfiguration({ ignore: [], select: [], database: '', severity: {} });
    await client.waitForDiagnostics(uri, has('MG101'));

    await client.changeConfiguration({ severity: { MG101: 'error' } });
    await client.waitForDiagnostics(uri, (d) => d.some((x) => x.code === 'MG101' && x.severity === 1));

    await client.changeConfiguration({ database: 'mysql' });
    await client.waitForDiagnostics(uri, lacks('MG101'));

    await client.changeConfiguration({ select: ['MG1'], 'postgres-version': 15 });
    await client.waitForDiagnostics(uri, (d) => d.some((x) => x.code === 'MG101' && x.severity === 2));
  });

  test('enable = false removes the diagnostics; true brings them back', async () => {
    const path = project.write('shop/migrations/0003_enable.py', ADD_INDEX_MIGRATION);
    const uri = await client.open(path, ADD_INDEX_MIGRATION);
    await client.changeConfiguration({});
    await client.waitForDiagnostics(uri, has('MG101'));
    await client.changeConfiguration({ enable: false });
    await client.waitForDiagnostics(uri, (d) => d.length === 0);
    // Typing while disabled publishes nothing new.
    await client.change(uri, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, '# x\n');
    const fixAll = await client.codeActions(uri, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, [], ['source.fixAll.migrationGuard']);
    assert.deepEqual(fixAll, []);
    await client.changeConfiguration({ enable: true });
    await client.waitForCurrent(uri, has('MG101'));
  });

  test('a bad editor setting is shown once and the default is used', async () => {
    const path = project.write('shop/migrations/0004_bad_setting.py', ADD_INDEX_MIGRATION);
    await client.changeConfiguration({ database: 'cassandra', lockTimeoutMs: -5, logLevel: 'loud' });
    const uri = await client.open(path, ADD_INDEX_MIGRATION);
    await client.waitForCurrent(uri, has('MG101'));
    await client.waitFor(() => (client.messages.some((m) => /database/.test(m) && /cassandra/.test(m)) ? true : undefined), 'a warning about `database`');
    assert.equal(client.messages.filter((m) => /cassandra/.test(m)).length, 1, 'shown once');
    assert.ok(client.messages.some((m) => /lockTimeoutMs/.test(m)));
    assert.ok(client.messages.some((m) => /logLevel/.test(m)));
    await client.changeConfiguration({});
  });
});

describe('configuration without workspace/configuration (initializationOptions, pushed settings)', () => {
  const project = makeProject({ 'shop/migrations/__init__.py': '' });
  let client: TestClient;

  before(async () => {
    client = new TestClient({ rootPath: project.root, configuration: false, initializationOptions: { ignore: ['MG101'], logLevel: 'debug' } });
    await client.initialize();
  });

  after(async () => {
    await client.dispose();
    project.dispose();
  });

  test('initializationOptions apply; didChangeConfiguration pushes new settings', async () => {
    const path = project.write(MIGRATION_PATH, ADD_INDEX_MIGRATION);
    const uri = await client.open(path, ADD_INDEX_MIGRATION);
    await client.waitForCurrent(uri, lacks('MG101'));
    assert.equal(client.configurationItems.length, 0, 'never asked');
    await client.changeConfiguration({ ignore: [] });
    await client.waitForDiagnostics(uri, has('MG101'));
    // logLevel debug: the lint timings are logged.
    await client.waitFor(() => (client.logs.some((line) => /parse \+ lint/.test(line)) ? true : undefined), 'a debug log line');
  });
});

describe('pyproject.toml', () => {
  const project = makeProject({ 'shop/migrations/__init__.py': '' });
  let client: TestClient;

  before(async () => {
    client = new TestClient({ rootPath: project.root });
    await client.initialize();
  });

  after(async () => {
    await client.dispose();
    project.dispose();
  });

  test('a broken pyproject.toml: MG000 on it, once, and linting goes on with the defaults', async () => {
    const pyproject = project.write('pyproject.toml', '[tool.migration-guard]\nselect = [\n');
    const pyprojectUri = uriOf(pyproject);
    const first = project.write('shop/migrations/0002_a.py', ADD_INDEX_MIGRATION);
    const second = project.write('shop/migrations/0003_b.py', ADD_INDEX_MIGRATION);
    const firstUri = await client.open(first, ADD_INDEX_MIGRATION);
    const secondUri = await client.open(second, ADD_INDEX_MIGRATION);
    await client.waitForCurrent(firstUri, has('MG101'));
    await client.waitForCurrent(secondUri, has('MG101'));
    const problems = await client.waitForDiagnostics(pyprojectUri, has('MG000'));
    assert.equal(problems.length, 1);
    const [mg000] = problems;
    assert.equal(mg000.severity, 1, 'error');
    assert.equal(mg000.source, 'migration-guard');
    assert.equal(mg000.range.start.line, 1, 'the line of the TOML error');
    assert.match(mg000.message as string, /not valid TOML/);
    // Typing in a migration does not publish it again.
    await client.change(firstUri, { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } }, '# typing\n');
    await client.waitForCurrent(firstUri, has('MG101'));
    assert.equal(client.publishCount.get(pyprojectUri), 1, 'published once');

    // Fixed on disk (the editor's file watcher tells the server): MG000 goes, the new settings apply.
    writeFileSync(pyproject, '[tool.migration-guard]\nignore = ["MG101"]\n');
    await client.fileChanged(pyproject);
    await client.waitForDiagnostics(pyprojectUri, (d) => d.length === 0);
    await client.waitForDiagnostics(firstUri, lacks('MG101'));
    await client.waitForDiagnostics(secondUri, lacks('MG101'));

    // A bad value: MG000 on the line of the key, the rest of the file still applies.
    writeFileSync(pyproject, '[project]\nname = "shop"\n\n[tool.migration-guard]\nignore = ["MG101"]\ndatabase = "cassandra"\n');
    await client.fileChanged(pyproject);
    const bad = await client.waitForDiagnostics(pyprojectUri, has('MG000'));
    assert.equal(bad.length, 1);
    assert.equal(bad[0].range.start.line, 5);
    assert.deepEqual(bad[0].range.end, { line: 5, character: 'database = "cassandra"'.length });
    assert.match(bad[0].message as string, /database/);
    assert.ok(lacks('MG101')(await client.waitForCurrent(firstUri)));

    // Deleted: its diagnostics go, the defaults apply.
    writeFileSync(pyproject, '');
    await client.fileChanged(pyproject, FileChangeType.Deleted);
    await client.waitForDiagnostics(pyprojectUri, (d) => d.length === 0);
    await client.waitForDiagnostics(firstUri, has('MG101'));
  });
});
