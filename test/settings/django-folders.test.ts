// The integration tests load every settings fixture folder with Django: a new db-* folder must be listed there
// (test/settings/django-folders.ts), or it would silently go unchecked. Needs only Node, so it runs in `npm test`.
import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { FIXTURES } from '../helpers/paths';
import { DJANGO_LOADABLE_FOLDERS, DJANGO_UNLOADABLE_FOLDERS } from './django-folders';

test('every db-* settings fixture folder is loaded by Django in test:integration, or is one Django cannot load on its own', () => {
  const folders = readdirSync(join(FIXTURES, 'settings')).filter((folder) => folder.startsWith('db-'));
  assert.deepEqual(folders.filter((folder) => !DJANGO_LOADABLE_FOLDERS[folder] && !DJANGO_UNLOADABLE_FOLDERS.has(folder)), []);
  assert.deepEqual(Object.keys(DJANGO_LOADABLE_FOLDERS).filter((folder) => !folders.includes(folder)), [], 'listed folders that do not exist');
});
