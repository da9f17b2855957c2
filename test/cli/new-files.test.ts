// The files a fix or a rewrite creates (cli/new-files.ts): all or none. A failure midway (a file that exists, a
// folder that does not) leaves none of those created before it, and never touches the existing file.
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { createNewFiles, removeCreated } from '../../server/src/cli/new-files';

const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function folder(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mg-new-files-'));
  dirs.push(dir);
  return dir;
}

test('all created, then taken back', () => {
  const dir = folder();
  const files = [{ path: join(dir, '0003_a.py'), text: 'a\n' }, { path: join(dir, '0004_b.py'), text: 'b\n' }];
  const created = createNewFiles(files, dir, 'the rewrite');
  assert.deepEqual(created, { ok: true, paths: files.map((file) => file.path) });
  assert.equal(readFileSync(files[1].path, 'utf8'), 'b\n');
  removeCreated(created.ok ? created.paths : []);
  assert.deepEqual(readdirSync(dir), []);
});

test('the third file exists already: the two before it are removed, the existing one is kept as it was', () => {
  const dir = folder();
  writeFileSync(join(dir, '0005_c.py'), 'mine\n');
  const files = ['0003_a.py', '0004_b.py', '0005_c.py', '0006_d.py'].map((name) => ({ path: join(dir, name), text: `${name}\n` }));
  const created = createNewFiles(files, dir, 'the rewrite');
  assert.deepEqual(created, { ok: false, reason: '0005_c.py, which the rewrite creates, exists already' });
  assert.deepEqual(readdirSync(dir), ['0005_c.py']);
  assert.equal(readFileSync(join(dir, '0005_c.py'), 'utf8'), 'mine\n');
});

test('a file that cannot be written midway: none is left', () => {
  const dir = folder();
  const files = [{ path: join(dir, '0003_a.py'), text: 'a\n' }, { path: join(dir, 'gone', '0004_b.py'), text: 'b\n' }];
  const created = createNewFiles(files, dir, 'the fix');
  assert.ok(!created.ok && /gone\/0004_b\.py, which the fix creates, cannot be written \(ENOENT/.test(created.reason), JSON.stringify(created));
  assert.equal(existsSync(files[0].path), false);
});
