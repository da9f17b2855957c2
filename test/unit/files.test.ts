// The one reader and the one writer of workspace files (base/files.ts), on real files made here.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, readdirSync, rmSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { decodePython, encodePython } from '../../server/src/base/encoding';
import { readSource, readWorkspaceFile, writeSourceAtomically } from '../../server/src/base/files';

const dir = mkdtempSync(join(tmpdir(), 'mg-files-'));
after(() => rmSync(dir, { recursive: true, force: true }));

function source(name: string, text: string) {
  const path = join(dir, name);
  writeFileSync(path, text);
  const read = readSource(path);
  assert.ok(read.ok);
  return { path, read };
}

test('an edit made after the file was read is never overwritten: the fix is skipped and says why', () => {
  const { path, read } = source('edited.py', 'x = 1\n');
  writeFileSync(path, 'x = 2\n'); // same size
  utimesSync(path, new Date(read.fingerprint!.mtimeMs / 1000), new Date(read.fingerprint!.mtimeMs / 1000)); // same mtime too
  const outcome = writeSourceAtomically(path, 'x = 1  # fixed\n', read);
  assert.deepEqual(outcome, { written: false, changed: true, reason: 'the file changed since it was read' });
  assert.equal(readFileSync(path, 'utf8'), 'x = 2\n');
});

test('a file deleted after it was read is not created again', () => {
  const { path, read } = source('deleted.py', 'x = 1\n');
  rmSync(path);
  const outcome = writeSourceAtomically(path, 'x = 1  # fixed\n', read);
  assert.equal(outcome.written, false);
  assert.deepEqual(readdirSync(dir).filter((name) => name.includes('deleted')), []);
});

test('a fix writes through a symlink to its target, whole, with no temporary file left', () => {
  const { path, read } = source('target.py', 'x = 1\r\n');
  symlinkSync(path, join(dir, 'link.py'));
  const linked = readSource(join(dir, 'link.py'));
  assert.ok(linked.ok && read.ok);
  assert.deepEqual(writeSourceAtomically(join(dir, 'link.py'), 'x = 2\r\n', linked), { written: true });
  assert.equal(readFileSync(path, 'utf8'), 'x = 2\r\n');
  assert.equal(readdirSync(dir).filter((name) => name.endsWith('.migration-guard')).length, 0);
});

test('a FIFO is not read and does not block; nor is /dev/zero; a file over the cap is refused', () => {
  const fifo = join(dir, 'fifo.py');
  execFileSync('mkfifo', [fifo]);
  assert.deepEqual(readWorkspaceFile(fifo), { ok: false, reason: 'not a regular file (a FIFO (named pipe)); not linted' });
  assert.deepEqual(readWorkspaceFile('/dev/zero'), { ok: false, reason: 'not a regular file (a character device); not linted' });
  assert.deepEqual(readWorkspaceFile(dir), { ok: false, reason: 'not a regular file (a directory); not linted' });
  writeFileSync(join(dir, 'big.toml'), Buffer.alloc(2048, 32));
  assert.deepEqual(readWorkspaceFile(join(dir, 'big.toml'), 1024), { ok: false, reason: 'file is larger than 1 KB; not linted' });
});

test('PEP 263: a cookie on line 1, on line 2 after a comment or blank line, not after code', () => {
  const latin = (text: string) => Buffer.from(text, 'latin1');
  assert.deepEqual(decodePython(latin('# -*- coding: latin-1 -*-\nx = "é"\n')), { ok: true, text: '# -*- coding: latin-1 -*-\nx = "é"\n', encoding: { name: 'latin1', bom: false } });
  assert.equal(decodePython(latin('#!/usr/bin/python\n# coding=cp1252\nx = "\x80"\n')).ok && 'ok', 'ok');
  assert.equal((decodePython(latin('#!/usr/bin/python\n# coding=cp1252\nx = "\x80"\n')) as { text: string }).text, '#!/usr/bin/python\n# coding=cp1252\nx = "€"\n');
  assert.equal(decodePython(latin('\n# vim: set fileencoding=iso-8859-15 :\nx = "\xa4"\n')).ok, true);
  assert.equal(decodePython(latin('x = 1\n# coding: latin-1\nx = "é"\n')).ok, false);
  assert.equal(decodePython(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), latin('# coding: latin-1\n')])).ok, false, 'a BOM with another cookie is an error in Python');
  const bom = decodePython(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('x = "é"\n')]));
  assert.deepEqual(bom, { ok: true, text: 'x = "é"\n', encoding: { name: 'utf-8', bom: true } });
});

test('writing back: the same bytes outside the edit, in latin-1, shift_jis (learned from the file) and UTF-8 with a BOM', () => {
  const sjis = Buffer.from([...Buffer.from('# coding: shift_jis\nx = "'), 0x83, 0x5c, 0x83, 0x74, 0x83, 0x67, ...Buffer.from('"\n')]); // ソフト
  const decoded = decodePython(sjis);
  assert.ok(decoded.ok);
  assert.equal(decoded.text, '# coding: shift_jis\nx = "ソフト"\n');
  const fixed = encodePython(decoded.text.replace('x =', 'y = 1\nx ='), decoded.encoding, sjis)!;
  assert.deepEqual([...fixed], [...Buffer.from('# coding: shift_jis\ny = 1\n'), ...sjis.subarray(Buffer.from('# coding: shift_jis\n').length)]);
  assert.equal(encodePython(decoded.text + '# 漢\n', decoded.encoding, sjis), undefined, 'a character the file never had: not guessed');
  assert.equal(encodePython('x = "€"\n', { name: 'latin1', bom: false }, Buffer.alloc(0)), undefined, '€ is not latin-1');
  assert.deepEqual([...encodePython('"€é"', { name: 'windows-1252', bom: false }, Buffer.alloc(0))!], [0x22, 0x80, 0xe9, 0x22]);
  assert.deepEqual([...encodePython('x\n', { name: 'utf-8', bom: true }, Buffer.alloc(0))!], [0xef, 0xbb, 0xbf, 0x78, 0x0a]);
});

test('exclude globs match as before, segment by segment', async () => {
  const { compileGlob } = await import('../../server/src/base/files');
  const cases: Array<[string, string, boolean]> = [
    ['legacy', 'legacy/migrations/0001.py', true], ['legacy', 'shop/legacy/x.py', true], ['legacy', 'legacyx/a.py', false],
    ['**/migrations/0001_*.py', 'shop/migrations/0001_initial.py', true], ['**/migrations/0001_*.py', 'shop/migrations/0002_x.py', false],
    ['shop/*/0001.py', 'shop/migrations/0001.py', true], ['shop/*/0001.py', 'shop/a/b/0001.py', false],
    ['shop/**/0001.py', 'shop/0001.py', true], ['shop/**/0001.py', 'shop/a/b/0001.py', true], ['./shop', 'shop/x.py', true],
    ['*_settings.py', 'conf/prod_settings.py', true], ['0?01*.py', 'a/0001_x.py', true], ['0?01*.py', 'a/001_x.py', false],
    ['**/**/**/x', 'x', true], ['**/**/**/x', 'a/b/x/c.py', true], ['**/**/**/x', 'a/b/y', false], ['a\\b', 'a/b/c', true],
    ['*a*a*a*a*a*a*b', `${'a'.repeat(5000)}`, false],
  ];
  for (const [glob, path, expected] of cases) assert.equal(compileGlob(glob).test(path), expected, `${glob} ~ ${path}`);
});
