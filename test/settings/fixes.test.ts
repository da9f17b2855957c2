// MG601–MG606 fixes beyond the goldens: edge cases of the edits (quotes, indentation, trailing commas and
// comments, CRLF, non-ASCII text), the shared MG601/MG602 fix, when no fix is offered, and every settings
// fixture folder fixed in place (split base/production layouts included): parses, nothing fixable is left, and
// fixing again changes nothing.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { defaultConfig, mergeConfig, type RawConfig } from '../../server/src/config/defaults';
import { fixSource } from '../../server/src/engine/fix';
import { lintSource } from '../../server/src/engine/lint';
import { initParser } from '../../server/src/base/parser';
import { SettingsIndex } from '../../server/src/analysis/settings-index';
import { indexSettingsText, syntaxProblems } from '../helpers/engine';
import { FIXTURES } from '../helpers/paths';
import { pythonSyntaxErrors } from '../helpers/python';
import { fixProjectCopy, lintModule, removeTempDirs } from './project';

before(() => initParser());
after(removeTempDirs);

const PATH = '/p/config/settings.py';

function config(raw: RawConfig = {}) {
  const problems: { key: string; message: string }[] = [];
  const merged = mergeConfig(defaultConfig(), raw, problems);
  assert.deepEqual(problems, []);
  return merged;
}

function lint(text: string, raw: RawConfig = {}, files: Record<string, string> = {}, path = PATH) {
  const settingsIndex = new SettingsIndex();
  for (const [other, otherText] of Object.entries(files)) indexSettingsText(settingsIndex, other, otherText);
  const result = lintSource({ path, text, config: config(raw), settingsIndex, onRuleError: (rule, error) => { throw error; } });
  result.tree.delete();
  return result.violations;
}

function fix(text: string, raw: RawConfig = { select: ['MG601', 'MG602'] }) {
  const input = { path: PATH, text, config: config(raw), settingsIndex: new SettingsIndex() };
  const fixed = fixSource(input, { unsafe: true });
  assert.deepEqual(syntaxProblems(fixed.result.tree), [], `tree-sitter errors in:\n${fixed.text}`);
  assert.deepEqual(fixed.result.violations.filter((v) => v.fixes.length > 0).map((v) => v.code), [], 'fixable diagnostics remain');
  const again = fixSource({ ...input, text: fixed.text }, { unsafe: true });
  assert.equal(again.text, fixed.text, 'a second application changed something');
  fixed.result.tree.delete();
  again.result.tree.delete();
  return fixed.text;
}

const TIMEOUTS = '-c statement_timeout=30000 -c lock_timeout=4000';

describe('MG601/MG602 share one fix', () => {
  test('both diagnostics carry the same fix, which adds both timeouts in one application', () => {
    const text = 'DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "shop"}}\n';
    const violations = lint(text, { select: ['MG601', 'MG602'] });
    assert.deepEqual(violations.map((v) => v.code), ['MG601', 'MG602']);
    assert.deepEqual(violations[0].fixes, violations[1].fixes);
    assert.equal(violations[0].fixes[0].applicability, 'unsafe');
    const fixed = fixSource({ path: PATH, text, config: config({ select: ['MG601', 'MG602'] }), settingsIndex: new SettingsIndex() }, { unsafe: true });
    assert.equal(fixed.applied, 1, 'one fix clears both');
    assert.deepEqual(fixed.result.violations, []);
    assert.ok(fixed.text.includes(`"OPTIONS": {"options": "${TIMEOUTS}"}`), fixed.text);
    fixed.result.tree.delete();
  });

  test('safe-only fixing leaves the timeouts alone (they change run-time behaviour)', () => {
    const text = 'DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql"}}\n';
    const fixed = fixSource({ path: PATH, text, config: config({ select: ['MG601', 'MG602'] }), settingsIndex: new SettingsIndex() });
    assert.equal(fixed.applied, 0);
    fixed.result.tree.delete();
  });

  test('the values come from config', () => {
    const text = "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql'}}\n";
    const fixed = fix(text, { select: ['MG601', 'MG602'], 'statement-timeout-ms': 15000, 'lock-timeout-ms': 1500 });
    assert.equal(fixed, "DATABASES = {'default': {'ENGINE': 'django.db.backends.postgresql', 'OPTIONS': {'options': '-c statement_timeout=15000 -c lock_timeout=1500'}}}\n");
  });

  test('a disabled statement_timeout is MG605 only; the fix adds just lock_timeout', () => {
    const text = 'DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "OPTIONS": {"options": "-c statement_timeout=0"}}}\n';
    assert.deepEqual(lint(text, { select: ['MG601', 'MG602', 'MG605'] }).map((v) => v.code), ['MG602', 'MG605']);
    assert.ok(fix(text).includes('"-c statement_timeout=0 -c lock_timeout=4000"'));
  });
});

describe('edits keep the file\'s style', () => {
  test('one-line dict with a trailing comma', () => {
    assert.equal(
      fix('DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql",}}\n'),
      `DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "OPTIONS": {"options": "${TIMEOUTS}"},}}\n`,
    );
  });

  test('multi-line dict without trailing commas, a comment after the last key', () => {
    const text = [
      'DATABASES = {',
      '\t"default": {',
      '\t\t"ENGINE": "django.db.backends.postgresql",',
      '\t\t"NAME": "shop"  # the main one',
      '\t}',
      '}',
      '',
    ].join('\n');
    assert.equal(fix(text), [
      'DATABASES = {',
      '\t"default": {',
      '\t\t"ENGINE": "django.db.backends.postgresql",',
      '\t\t"NAME": "shop",  # the main one',
      `\t\t"OPTIONS": {"options": "${TIMEOUTS}"}`,
      '\t}',
      '}',
      '',
    ].join('\n'));
  });

  test('an empty OPTIONS dict, an empty options string, a string with a trailing space', () => {
    assert.ok(fix('DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "OPTIONS": {}}}\n').includes(`"OPTIONS": {"options": "${TIMEOUTS}"}`));
    assert.ok(fix('DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "OPTIONS": {"options": ""}}}\n').includes(`{"options": "${TIMEOUTS}"}`));
    assert.ok(fix('DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "OPTIONS": {"options": "-c search_path=app "}}}\n')
      .includes(`{"options": "-c search_path=app ${TIMEOUTS} "}`), 'before the trailing blank');
  });

  test('implicitly concatenated options: appended to the last part', () => {
    const text = 'DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "OPTIONS": {"options": ("-c search_path=app "\n    "-c statement_timeout=5s")}}}\n';
    assert.ok(fix(text).includes('"-c statement_timeout=5s -c lock_timeout=4000")'));
  });

  test('non-ASCII text before the edit (offsets are string indices)', () => {
    const text = '# Base de données: café ☕\nDATABASES = {"default": {"NAME": "café", "ENGINE": "django.db.backends.postgresql"}}\n';
    assert.equal(fix(text), `# Base de données: café ☕\nDATABASES = {"default": {"NAME": "café", "ENGINE": "django.db.backends.postgresql", "OPTIONS": {"options": "${TIMEOUTS}"}}}\n`);
  });

  test('CRLF: the inserted statement uses \\r\\n and the indentation of the block', () => {
    const text = 'import dj_database_url\r\nDEBUG = False\r\nif not DEBUG:\r\n    DATABASES = {"default": dj_database_url.config()}  # prod\r\nX = 1\r\n';
    assert.equal(fix(text), `import dj_database_url\r\nDEBUG = False\r\nif not DEBUG:\r\n    DATABASES = {"default": dj_database_url.config()}  # prod\r\n    DATABASES["default"].setdefault("OPTIONS", {})["options"] = "${TIMEOUTS}"\r\nX = 1\r\n`);
  });

  test('MG603 and MG601/MG602 on one entry end in one OPTIONS dict; MG606 adds CONN_HEALTH_CHECKS', () => {
    const text = [
      'DATABASES = {',
      "    'default': {",
      "        'ENGINE': 'django.db.backends.postgresql',",
      "        'CONN_MAX_AGE': 600,",
      '    },',
      '}',
      '',
    ].join('\n');
    assert.equal(fix(text, {}), [
      'DATABASES = {',
      "    'default': {",
      "        'ENGINE': 'django.db.backends.postgresql',",
      "        'CONN_MAX_AGE': 600,",
      `        'OPTIONS': {'options': '${TIMEOUTS}', 'connect_timeout': 10},`,
      "        'CONN_HEALTH_CHECKS': True,",
      '    },',
      '}',
      '',
    ].join('\n'));
  });
});

describe('no fix, or no diagnostic, when we cannot know', () => {
  test('a statement sharing its line with `if …:` gets the diagnostic but no fix', () => {
    const text = 'import dj_database_url\nDEBUG = False\nif not DEBUG: DATABASES = {"default": dj_database_url.config(default="postgres://db/shop")}\n';
    const violations = lint(text, { select: ['MG601'] });
    assert.deepEqual(violations.map((v) => [v.code, v.fixes.length]), [['MG601', 0]]);
  });

  test('options built at run time, unknown engines and unknown OPTIONS stay silent; an f-string is judged on its literal parts', () => {
    const entry = (options: string) => `DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "OPTIONS": {"options": ${options}, "connect_timeout": 5}}}\n`;
    for (const options of ['build_options()', '"-c " + EXTRA', 'f"{EXTRA} -c lock_timeout=4s"']) {
      assert.deepEqual(lint(entry(options)), [], options);
    }
    // Only the value is unknown: the statement timeout is set, the lock timeout is not (and no fix edits an f-string).
    assert.deepEqual(lint(entry('f"-c statement_timeout={TIMEOUT}"')).map((v) => [v.code, v.fixes.length]), [['MG602', 0]]);
    assert.deepEqual(lint('import os\nDATABASES = {"default": {"ENGINE": os.environ["ENGINE"]}}\n'), []);
    assert.deepEqual(lint('DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "OPTIONS": get_options()}}\n'), []);
    assert.deepEqual(lint('DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "OPTIONS": {**BASE, "connect_timeout": 5}}}\n'), []);
  });

  test('an options string defined in another module: diagnostic where the entry is, no edit in the other file', () => {
    const base = 'DEBUG = False\nPG_OPTIONS = {"options": "-c statement_timeout=30000", "connect_timeout": 5}\n';
    const text = 'from .base import *\nDATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "OPTIONS": PG_OPTIONS}}\n';
    const violations = lint(text, { select: ['MG6'] }, { '/p/config/settings/base.py': base }, '/p/config/settings/production.py');
    assert.deepEqual(violations.map((v) => [v.code, v.fixes.length]), [['MG602', 0]]);
  });

  test('MySQL init_command with several statements: diagnostic, no fix', () => {
    const violations = lint('DATABASES = {"default": {"ENGINE": "django.db.backends.mysql", "OPTIONS": {"init_command": "SET a=1; SET b=2"}}}\n');
    assert.deepEqual(violations.map((v) => [v.code, v.fixes.length]), [['MG604', 0]]);
  });

  test('MG606 needs Django 4.1', () => {
    const text = 'DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "CONN_MAX_AGE": None}}\n';
    assert.deepEqual(lint(text, { select: ['MG606'], 'django-version': '4.0' }), []);
    assert.deepEqual(lint(text, { select: ['MG606'], 'django-version': '4.1' }).map((v) => v.code), ['MG606']);
  });
});

describe('entry points', () => {
  test('an entry inherited by two entry points that both leave it incomplete: one diagnostic naming both', () => {
    const settingsIndex = new SettingsIndex();
    const base = 'DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "OPTIONS": {"connect_timeout": 5}}}\n';
    indexSettingsText(settingsIndex, '/p/config/settings/base.py', base);
    indexSettingsText(settingsIndex, '/p/config/settings/production.py', 'from .base import *\nDEBUG = False\n');
    indexSettingsText(settingsIndex, '/p/config/settings/staging.py', 'from .base import *\nDEBUG = False\n');
    const result = lintSource({ path: '/p/config/settings/base.py', text: base, config: config({ select: ['MG601'] }), settingsIndex });
    assert.equal(result.violations.length, 1);
    assert.match(result.violations[0].message, /entry points `production\.py`, `staging\.py`/);
    result.tree.delete();
    const production = lintSource({ path: '/p/config/settings/production.py', text: 'from .base import *\nDEBUG = False\n', config: config({ select: ['MG601'] }), settingsIndex });
    assert.deepEqual(production.violations, [], 'reported where the entry is defined, not in the entry point');
    production.tree.delete();
  });
});

describe('settings fixture folders, fixed in place', () => {
  const root = join(FIXTURES, 'settings');
  for (const name of existsSync(root) ? readdirSync(root).filter((n) => n.startsWith('db-')).sort() : []) {
    test(name, () => {
      const project = fixProjectCopy(join(root, name));
      assert.ok(project.rounds < 5, 'fixing did not settle');
      for (const file of project.modules) {
        const result = lintModule(project, file);
        const where = relative(project.dir, file);
        assert.deepEqual(syntaxProblems(result.tree), [], `${where}: tree-sitter errors`);
        assert.deepEqual(result.violations.filter((v) => v.fixes.length > 0).map((v) => v.code), [], `${where}: fixable diagnostics remain`);
        assert.deepEqual(result.violations.filter((v) => /^MG60[1-3]$/.test(v.code)).map((v) => v.code), [], `${where}: timeouts still missing`);
        result.tree.delete();
      }
      assert.deepEqual(pythonSyntaxErrors(project.modules), {});
      const again = fixProjectCopy(project.dir);
      assert.deepEqual([...again.applied], [], 'fixing again changed something');
      for (const file of project.modules) assert.equal(readFileSync(join(again.dir, relative(project.dir, file)), 'utf8'), readFileSync(file, 'utf8'));
    });
  }
});
