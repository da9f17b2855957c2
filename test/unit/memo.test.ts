// Memo: a per-object cache kept on the object itself (base/memo.ts), read like a WeakMap.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Memo } from '../../server/src/base/memo';

test('a memo gives back what was set for the very key, and nothing for another key or another memo', () => {
  const sizes = new Memo<object, number>();
  const names = new Memo<object, string>();
  const key = { kind: 'AddField' };
  assert.equal(sizes.get(key), undefined);
  assert.equal(sizes.has(key), false);
  sizes.set(key, 3);
  names.set(key, 'price');
  assert.equal(sizes.get(key), 3);
  assert.equal(names.get(key), 'price');
  assert.equal(sizes.has(key), true);
  assert.equal(sizes.get({ kind: 'AddField' }), undefined);
  sizes.set(key, 4);
  assert.equal(sizes.get(key), 4);
  // A memo's value may be undefined (a cached "no answer") and still count as set.
  const answers = new Memo<object, string | undefined>();
  answers.set(key, undefined);
  assert.equal(answers.has(key), true);
});

test('the value is invisible on the key: spreads, JSON, keys and deep equality are as before', () => {
  const memo = new Memo<object, { claims: string[] }>();
  const op = { kind: 'AddIndex', index: 2 };
  memo.set(op, { claims: ['SHARE'] });
  assert.deepEqual(Object.keys(op), ['kind', 'index']);
  assert.equal(JSON.stringify(op), '{"kind":"AddIndex","index":2}');
  assert.deepEqual(op, { kind: 'AddIndex', index: 2 });
  // A copy is another object: it does not inherit the original's cached answers.
  const copy = { ...op };
  assert.equal(memo.get(copy), undefined);
  assert.equal(Object.getOwnPropertySymbols(copy).length, 0);
});

test('frozen and sealed keys still get their values', () => {
  const memo = new Memo<object, string>();
  const frozen = Object.freeze({ kind: 'RunSQL' });
  const sealed = Object.preventExtensions({ kind: 'RunPython' });
  memo.set(frozen, 'frozen');
  memo.set(sealed, 'sealed');
  assert.equal(memo.get(frozen), 'frozen');
  assert.equal(memo.get(sealed), 'sealed');
  assert.equal(memo.has(frozen), true);
  assert.equal(new Memo<object, string>().get(frozen), undefined);
});

test('a key that already holds another memo\'s value can be frozen afterwards and keeps both', () => {
  const first = new Memo<object, number>();
  const second = new Memo<object, number>();
  const key = { kind: 'AlterField' };
  first.set(key, 1);
  Object.freeze(key);
  second.set(key, 2);
  assert.equal(first.get(key), 1);
  assert.equal(second.get(key), 2);
});
