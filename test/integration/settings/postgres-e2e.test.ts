// End to end against real parts: a throwaway PostgreSQL 15, Debian's Django 3.2 and psycopg2. A settings module
// points at the server; we apply OUR fix to it (the engine's fixSource, and the built CLI's --fix --unsafe-fixes),
// then ask Django's own connection `SHOW statement_timeout` / `SHOW lock_timeout`: the
// string we insert is what Django passes to libpq and what PostgreSQL applies. Fails when the packages are missing.
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { defaultConfig, mergeConfig, type RawConfig } from '../../../server/src/config/defaults';
import { fixSource } from '../../../server/src/engine/fix';
import { initParser } from '../../../server/src/base/parser';
import { SettingsIndex } from '../../../server/src/analysis/settings-index';
import { REPO_ROOT } from '../../helpers/paths';
import { djangoProblems, runDjangoScript } from '../harness/django';
import { INTEGRATION_DIR, requirePrograms } from '../harness/packages';
import { Postgres, postgresProblems } from '../harness/postgres';
import { run } from '../harness/run';
import { removeTempDirs, tempDir } from '../../settings/project';

/** The settings templates and show_timeouts.py next to this file. */
const HERE = join(INTEGRATION_DIR, 'settings');

interface Shown {
  statement_timeout: string;
  lock_timeout: string;
  dsn: { options: string | null; connect_timeout: string | null; host: string; port: string };
  lock_probe?: { error: string | null; waited_s: number };
}

let pg: Postgres | undefined;
let startError: unknown;

before(async () => {
  await initParser();
  try {
    requirePrograms("These tests need Debian's Django 3.2 and PostgreSQL 15", [...djangoProblems(), ...postgresProblems()]);
    pg = await Postgres.start();
  } catch (error) {
    startError = error;
  }
});

after(() => {
  pg?.stopSync();
  removeTempDirs();
});

function server(): Postgres {
  if (!pg) throw startError instanceof Error ? startError : new Error(String(startError));
  return pg;
}

/** A project dir with `e2esite/settings.py` from a template, pointing at the server. */
function writeSettings(template: string): { project: string; path: string; text: string } {
  const project = tempDir('mg-e2e-');
  mkdirSync(join(project, 'e2esite'));
  const path = join(project, 'e2esite', 'settings.py');
  const text = readFileSync(join(HERE, template), 'utf8').replace(/\{\{PORT\}\}/g, String(server().port));
  writeFileSync(path, text);
  return { project, path, text };
}

/** Our fix, through the engine: every fix, unsafe ones included, until nothing is left to fix. */
function applyOurFix(path: string, text: string, raw: RawConfig = {}): string {
  const problems: { key: string; message: string }[] = [];
  const config = mergeConfig(defaultConfig(), raw, problems);
  assert.deepEqual(problems, []);
  const fixed = fixSource({ path, text, config, settingsIndex: new SettingsIndex() }, { unsafe: true });
  assert.ok(fixed.applied > 0, 'no fix was applied');
  assert.deepEqual(fixed.result.violations.filter((v) => /^MG60[1-3]$/.test(v.code)).map((v) => v.code), []);
  fixed.result.tree.delete();
  writeFileSync(path, fixed.text);
  return fixed.text;
}

const show = (project: string, args: string[] = []) => runDjangoScript<Shown>(join(HERE, 'show_timeouts.py'), project, 'e2esite.settings', args);

describe('PostgreSQL + Django: what our fix writes is what the session runs with', () => {
  test('literal entry: before the fix no timeouts; after it 30s / 4s, connect_timeout 10, and a blocked query gives up', async () => {
    const { project, path, text } = writeSettings('literal_settings.py.tmpl');
    const before = await show(project);
    assert.equal(before.statement_timeout, '0');
    assert.equal(before.lock_timeout, '0');

    const fixed = applyOurFix(path, text);
    assert.match(fixed, /"OPTIONS": \{"options": "-c statement_timeout=30000 -c lock_timeout=4000", "connect_timeout": 10\},/);
    const shown = await show(project, ['--lock-probe']);
    assert.equal(shown.statement_timeout, '30s');
    assert.equal(shown.lock_timeout, '4s');
    assert.equal(shown.dsn.options, '-c statement_timeout=30000 -c lock_timeout=4000');
    assert.equal(shown.dsn.connect_timeout, '10');
    assert.equal(shown.dsn.port, String(server().port));
    assert.match(shown.lock_probe!.error ?? '', /lock timeout/, 'a query waiting for a lock is cancelled');
    assert.ok(shown.lock_probe!.waited_s >= 3.5 && shown.lock_probe!.waited_s < 15, `waited ${shown.lock_probe!.waited_s} s`);
  });

  test('dj_database_url entry: the inserted statement works with the real library; values from config', async () => {
    const { project, path, text } = writeSettings('dj_database_url_settings.py.tmpl');
    const fixed = applyOurFix(path, text, { 'statement-timeout-ms': 12000, 'lock-timeout-ms': 1500, 'django-version': '3.2' });
    assert.match(fixed, /\nDATABASES\["default"\]\.setdefault\("OPTIONS", \{\}\)\["options"\] = "-c statement_timeout=12000 -c lock_timeout=1500"\n/);
    assert.ok(!fixed.includes('CONN_HEALTH_CHECKS'), 'Django 3.2 has no CONN_HEALTH_CHECKS: MG606 stays silent');
    const shown = await show(project);
    assert.equal(shown.statement_timeout, '12s');
    assert.equal(shown.lock_timeout, '1500ms');
    assert.equal(shown.dsn.connect_timeout, '10');
  });

  // `npm run test:integration` builds dist/cli.js first.
  test('the built CLI (--fix --unsafe-fixes) writes the same file as the engine', async () => {
    const engine = writeSettings('literal_settings.py.tmpl');
    const expected = applyOurFix(engine.path, engine.text);
    const cli = writeSettings('literal_settings.py.tmpl');
    const result = await run(process.execPath, [join(REPO_ROOT, 'dist', 'cli.js'), 'check', '--fix', '--unsafe-fixes', cli.path], { cwd: cli.project });
    assert.ok(result.status === 0 || result.status === 1, `cli exited ${result.status}: ${result.stderr}`);
    assert.equal(readFileSync(cli.path, 'utf8'), expected);
    const shown = await show(cli.project);
    assert.equal(shown.statement_timeout, '30s');
    assert.equal(shown.lock_timeout, '4s');
  });
});
