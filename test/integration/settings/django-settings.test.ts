// The fixed settings modules, as Django itself loads them: Debian's /usr/bin/python3 with Django 3.2 imports each
// fixed module (DJANGO_SETTINGS_MODULE, `django.conf.settings.DATABASES`) and the values our fixes wrote must be
// there: both timeouts in OPTIONS["options"], `connect_timeout`, MySQL's `init_command`, `CONN_HEALTH_CHECKS`.
// Fails (does not skip) when the Debian packages are missing: `npm run test:integration` installs them as root.
import assert from 'node:assert/strict';
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { initParser } from '../../../server/src/base/parser';
import { FIXTURES } from '../../helpers/paths';
import { readDatabases, requireDjango, type DatabasesJson } from '../harness/django';
import { inBatches } from '../harness/run';
import { DJANGO_LOADABLE_FOLDERS } from '../../settings/django-folders';
import { fixProjectCopy, moduleName, removeTempDirs, tempDir } from '../../settings/project';

before(() => initParser());
after(removeTempDirs);

type Entry = DatabasesJson[string];
const isPostgres = (entry: Entry) => /postgres|postgis/.test(String(entry.ENGINE ?? ''));
const isMysql = (entry: Entry) => /mysql/.test(String(entry.ENGINE ?? ''));

/** Both timeouts in OPTIONS["options"] of every PostgreSQL entry. */
function assertPostgresTimeouts(databases: DatabasesJson, where: string): number {
  let checked = 0;
  for (const [alias, entry] of Object.entries(databases)) {
    if (!isPostgres(entry)) continue;
    const options = String(entry.OPTIONS?.options ?? '');
    assert.match(options, /(^|\s)-c\s*statement_timeout=\S+/, `${where} ${alias}: OPTIONS["options"] = ${JSON.stringify(options)}`);
    assert.match(options, /(^|\s)-c\s*lock_timeout=\S+/, `${where} ${alias}: OPTIONS["options"] = ${JSON.stringify(options)}`);
    checked++;
  }
  return checked;
}

function assertMysqlTimeouts(databases: DatabasesJson, where: string): number {
  let checked = 0;
  for (const [alias, entry] of Object.entries(databases)) {
    if (!isMysql(entry)) continue;
    const command = String(entry.OPTIONS?.init_command ?? '');
    assert.match(command, /max_execution_time\s*=\s*\d+/, `${where} ${alias}: init_command = ${JSON.stringify(command)}`);
    assert.match(command, /innodb_lock_wait_timeout\s*=\s*\d+/, `${where} ${alias}: init_command = ${JSON.stringify(command)}`);
    checked++;
  }
  return checked;
}

/** What each rule's goldens must show once Django has loaded them. */
const GOLDEN_CHECKS: Record<string, (databases: DatabasesJson, where: string) => number> = {
  MG601: assertPostgresTimeouts,
  MG602: assertPostgresTimeouts,
  MG603: (databases, where) => {
    let checked = 0;
    for (const [alias, entry] of Object.entries(databases)) {
      if (!isPostgres(entry)) continue;
      assert.equal(entry.OPTIONS?.connect_timeout, 10, `${where} ${alias}: connect_timeout`);
      checked += assertPostgresTimeouts({ [alias]: entry }, where);
    }
    return checked;
  },
  MG604: assertMysqlTimeouts,
  MG606: (databases, where) => {
    let checked = 0;
    for (const [alias, entry] of Object.entries(databases)) {
      if (entry.CONN_MAX_AGE === 0 || entry.CONN_MAX_AGE === undefined) continue;
      assert.equal(entry.CONN_HEALTH_CHECKS, true, `${where} ${alias}: CONN_HEALTH_CHECKS with CONN_MAX_AGE ${entry.CONN_MAX_AGE}`);
      checked++;
    }
    return checked;
  },
};

/** `# path: config/settings.py` → the module path a golden is written to. */
function goldenPath(text: string): string {
  const named = /^# path: (\S+\.py)\s*$/m.exec(text.split('\n', 3).join('\n'));
  return named ? named[1] : 'config/settings.py';
}

describe('fixed rule goldens, loaded by Django', () => {
  for (const [code, check] of Object.entries(GOLDEN_CHECKS)) {
    test(`${code}: every *.fixed.py`, async () => {
      requireDjango();
      const dir = join(FIXTURES, 'rules', code);
      const goldens = readdirSync(dir).filter((name) => name.endsWith('.fixed.py')).sort();
      assert.ok(goldens.length > 0, `no goldens for ${code}`);
      const results = await inBatches(goldens.map((name) => async () => {
        const text = readFileSync(join(dir, name), 'utf8');
        const project = tempDir(`mg-django-${code}-`);
        const path = join(project, goldenPath(text));
        mkdirSync(dirname(path), { recursive: true });
        writeFileSync(path, text);
        const databases = await readDatabases(project, moduleName(project, path));
        return check(databases, `${code}/${name}`);
      }));
      assert.ok(results.reduce((a, b) => a + b, 0) > 0, `${code}: no entry was checked`);
    });
  }
});

describe('fixed settings fixture folders, every entry point loaded by Django', () => {
  for (const [name, expected] of Object.entries(DJANGO_LOADABLE_FOLDERS)) {
    test(name, async () => {
      requireDjango();
      const project = fixProjectCopy(join(FIXTURES, 'settings', name));
      const entryPoints = project.settingsIndex.entryPoints();
      assert.ok(entryPoints.length > 0);
      const counts = await inBatches(entryPoints.map((entry) => async () => {
        const module = moduleName(project.dir, entry);
        const databases = await readDatabases(project.dir, module);
        return { postgres: assertPostgresTimeouts(databases, `${name} ${module}`), mysql: assertMysqlTimeouts(databases, `${name} ${module}`) };
      }));
      assert.equal(counts.reduce((sum, c) => sum + c.postgres, 0), expected.postgres ?? 0, 'PostgreSQL entries checked');
      assert.equal(counts.reduce((sum, c) => sum + c.mysql, 0), expected.mysql ?? 0, 'MySQL entries checked');
    });
  }
});
