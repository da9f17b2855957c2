// Packaging: `npm run package` (vsce 3.9.2, `vscode:prepublish` = the production esbuild build) makes the .vsix
// that goes to the marketplace. It runs in a temporary copy of the manifest files (sources, grammars and
// node_modules are linked in) so the repository's dist/ and the other tests are left alone. The archive is read
// with a small zip reader (central directory + inflate), its contents and size are checked, and the production
// server inside it is started over stdio and must report MG101 on an AddIndex.
import { spawn, spawnSync } from 'node:child_process';
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { inflateRawSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  createProtocolConnection, DidOpenTextDocumentNotification, ExitNotification, InitializedNotification,
  InitializeRequest, PublishDiagnosticsNotification, ShutdownRequest, StreamMessageReader, StreamMessageWriter,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import { REPO_ROOT } from '../helpers/paths';

const MAX_VSIX_BYTES = 5 * 1024 * 1024;

/** Reads every entry of a zip archive: name → uncompressed bytes (stored or deflated entries). */
function readZip(zip: Buffer): Map<string, Buffer> {
  let eocd = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === 0x06054b50) { eocd = i; break; }
  }
  assert.ok(eocd >= 0, 'end of central directory not found: not a zip archive');
  const count = zip.readUInt16LE(eocd + 10);
  let p = zip.readUInt32LE(eocd + 16);
  const entries = new Map<string, Buffer>();
  for (let n = 0; n < count; n++) {
    assert.equal(zip.readUInt32LE(p), 0x02014b50, 'bad central directory entry');
    const method = zip.readUInt16LE(p + 10);
    const compressedSize = zip.readUInt32LE(p + 20);
    const size = zip.readUInt32LE(p + 24);
    const nameLength = zip.readUInt16LE(p + 28);
    const extraLength = zip.readUInt16LE(p + 30);
    const commentLength = zip.readUInt16LE(p + 32);
    const localOffset = zip.readUInt32LE(p + 42);
    const name = zip.toString('utf8', p + 46, p + 46 + nameLength);
    assert.equal(zip.readUInt32LE(localOffset), 0x04034b50, `bad local header for ${name}`);
    const dataStart = localOffset + 30 + zip.readUInt16LE(localOffset + 26) + zip.readUInt16LE(localOffset + 28);
    const raw = zip.subarray(dataStart, dataStart + compressedSize);
    const data = method === 0 ? Buffer.from(raw) : method === 8 ? inflateRawSync(raw) : assert.fail(`${name}: compression method ${method}`);
    assert.equal(data.length, size, `${name}: size`);
    entries.set(name, data);
    p += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

describe('the .vsix made by `npm run package`', () => {
  let stage = '';
  let vsixPath = '';
  let vsix = Buffer.alloc(0);
  let entries = new Map<string, Buffer>();

  before(() => {
    stage = mkdtempSync(join(tmpdir(), 'mg-vsix-'));
    for (const file of ['package.json', 'package-lock.json', 'README.md', 'LICENSE', 'CHANGELOG.md', '.vscodeignore', 'esbuild.mjs', 'tsconfig.json']) {
      copyFileSync(join(REPO_ROOT, file), join(stage, file));
    }
    mkdirSync(join(stage, 'images'));
    copyFileSync(join(REPO_ROOT, 'images', 'icon.png'), join(stage, 'images', 'icon.png'));
    // Whatever else is in the tree (sources, tests, node_modules) must be kept out by .vscodeignore: link it in.
    for (const dir of ['server', 'client', 'grammars', 'node_modules', 'test', 'examples']) {
      symlinkSync(join(REPO_ROOT, dir), join(stage, dir), 'dir');
    }
    vsixPath = join(stage, 'out', 'django-migration-guard.vsix');
    mkdirSync(dirname(vsixPath));
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    const run = spawnSync(npm, ['run', 'package', '--', '--out', vsixPath], { cwd: stage, encoding: 'utf8', timeout: 120_000 });
    assert.equal(run.status, 0, `npm run package failed:\n${run.stdout}\n${run.stderr}`);
    vsix = readFileSync(vsixPath);
    entries = readZip(vsix);
  });

  after(() => {
    if (stage) rmSync(stage, { recursive: true, force: true });
  });

  it(`is smaller than 5 MB`, () => {
    assert.ok(vsix.length > 0);
    assert.ok(vsix.length < MAX_VSIX_BYTES, `${vsix.length} bytes`);
  });

  it('ships the bundles, the three wasm files, the manifest, the readme, license, changelog and icon', () => {
    const names = [...entries.keys()];
    for (const name of [
      'extension.vsixmanifest', '[Content_Types].xml',
      'extension/package.json', 'extension/readme.md', 'extension/LICENSE.txt', 'extension/changelog.md',
      'extension/images/icon.png',
      'extension/dist/extension.js', 'extension/dist/server.js',
      'extension/dist/web-tree-sitter.wasm', 'extension/dist/tree-sitter-python.wasm', 'extension/dist/libpg-query.wasm',
    ]) {
      assert.ok(entries.has(name), `${name} missing from ${names.join(', ')}`);
    }
  });

  it('ships nothing else: no node_modules, sources, tests, examples, source maps or the CLI', () => {
    const allowed = /^(extension\.vsixmanifest|\[Content_Types\]\.xml|extension\/(package\.json|readme\.md|LICENSE\.txt|changelog\.md|images\/icon\.png|docs\/walkthrough\/[a-z-]+\.md|dist\/(extension|server)\.js|dist\/(web-tree-sitter|tree-sitter-python|libpg-query)\.wasm))$/;
    const unexpected = [...entries.keys()].filter((name) => !allowed.test(name));
    assert.deepEqual(unexpected, []);
    for (const name of entries.keys()) {
      assert.doesNotMatch(name, /node_modules|server\/src|client\/src|(^|\/)test\/|\.ts$|\.map$/);
    }
  });

  it('holds the production (minified, no source map) bundles', () => {
    for (const name of ['extension/dist/extension.js', 'extension/dist/server.js']) {
      const text = entries.get(name)!.toString('utf8');
      assert.doesNotMatch(text, /sourceMappingURL/, `${name} refers to a source map`);
      const lines = text.split('\n').length;
      assert.ok(lines < text.length / 500, `${name} does not look minified: ${lines} lines for ${text.length} characters`);
    }
  });

  it('has the marketplace manifest fields', () => {
    const manifest = JSON.parse(entries.get('extension/package.json')!.toString('utf8'));
    const lock = JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8'));
    assert.equal(manifest.publisher, 'migration-guard');
    assert.equal(manifest.license, 'MIT');
    assert.equal(manifest.icon, 'images/icon.png');
    assert.deepEqual(manifest.repository, { type: 'git', url: 'https://github.com/django-migration-guard/django-migration-guard' });
    assert.ok(manifest.categories.includes('Linters'));
    assert.ok(manifest.keywords.includes('django'));
    assert.equal(manifest.main, './dist/extension.js');
    // vscode-languageclient 11 needs VS Code ≥ 1.91.
    assert.match(lock.packages['node_modules/vscode-languageclient'].version, /^11\./);
    assert.equal(manifest.engines.vscode, '^1.91.0');
    const xml = entries.get('extension.vsixmanifest')!.toString('utf8');
    assert.match(xml, /Id="django-migration-guard"/);
    assert.match(xml, /Publisher="migration-guard"/);
    const icon = entries.get('extension/images/icon.png')!;
    assert.equal(icon.subarray(1, 4).toString('latin1'), 'PNG');
    assert.equal(icon.readUInt32BE(16), 128);
    assert.equal(icon.readUInt32BE(20), 128);
  });

  it('runs: the production server from the .vsix reports MG101 on an AddIndex, and MG401 (its SQL parser loads)', async () => {
    const unpacked = join(stage, 'unpacked');
    for (const [name, data] of entries) {
      mkdirSync(dirname(join(unpacked, name)), { recursive: true });
      writeFileSync(join(unpacked, name), data);
    }
    const project = join(stage, 'project');
    const migration = join(project, 'shop', 'migrations', '0002_order_created_idx.py');
    mkdirSync(dirname(migration), { recursive: true });
    const text = readFileSync(join(REPO_ROOT, 'examples', 'shop', 'shop', 'migrations', '0002_order_created_idx.py'), 'utf8');
    writeFileSync(migration, text);
    writeFileSync(join(project, 'shop', 'migrations', '__init__.py'), '');
    const sqlMigration = join(project, 'shop', 'migrations', '0003_sql.py');
    const sqlText = 'from django.db import migrations\n\n\nclass Migration(migrations.Migration):\n    operations = [migrations.RunSQL("SELEC 1", reverse_sql=migrations.RunSQL.noop)]\n';
    writeFileSync(sqlMigration, sqlText);

    const server = spawn(process.execPath, [join(unpacked, 'extension', 'dist', 'server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let stderr = '';
    server.stderr.on('data', (chunk) => { stderr += chunk; });
    const connection = createProtocolConnection(new StreamMessageReader(server.stdout), new StreamMessageWriter(server.stdin));
    const uri = pathToFileURL(migration).href;
    const sqlUri = pathToFileURL(sqlMigration).href;
    let sqlDiagnostics: (value: PublishDiagnosticsParams) => void = () => undefined;
    const sqlPublished = new Promise<PublishDiagnosticsParams>((resolve) => { sqlDiagnostics = resolve; });
    const diagnostics = new Promise<PublishDiagnosticsParams>((resolve) => {
      connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
        if (params.uri === uri && params.diagnostics.length > 0) resolve(params);
        if (params.uri === sqlUri && params.diagnostics.some((d) => d.code === 'MG401')) sqlDiagnostics(params);
      });
    });
    connection.listen();
    let timer: NodeJS.Timeout | undefined;
    try {
      await connection.sendRequest(InitializeRequest.type, {
        processId: process.pid, rootUri: pathToFileURL(project).href, capabilities: {},
        workspaceFolders: [{ uri: pathToFileURL(project).href, name: 'project' }],
      });
      await connection.sendNotification(InitializedNotification.type, {});
      await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId: 'python', version: 1, text } });
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no diagnostics within 20 s; server stderr:\n${stderr}`)), 20_000);
      });
      const published = await Promise.race([diagnostics, timeout]);
      assert.ok(published.diagnostics.some((d) => d.code === 'MG101'), JSON.stringify(published.diagnostics));
      await connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri: sqlUri, languageId: 'python', version: 1, text: sqlText } });
      await Promise.race([sqlPublished, timeout]);
      await connection.sendRequest(ShutdownRequest.type);
      await connection.sendNotification(ExitNotification.type);
    } finally {
      clearTimeout(timer);
      connection.dispose();
      server.kill();
    }
  });
});
