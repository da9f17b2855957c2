// The settings model: star imports, literal dicts, dj_database_url / env.db, mutations, module variables.
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { defaultConfig } from '../../server/src/config/defaults';
import { entryFacts } from '../../server/src/analysis/settings-eval';
import { summarizeSettings } from '../../server/src/analysis/settings';
import { parseDuration, parseLibpqOptions, parseMysqlInitCommand } from '../../server/src/analysis/db-options';
import { initParser, parsePython } from '../../server/src/base/parser';
import { SettingsIndex } from '../../server/src/analysis/settings-index';

before(() => initParser());

function index(files: Record<string, string>): SettingsIndex {
  const settings = new SettingsIndex();
  for (const [path, text] of Object.entries(files)) {
    const tree = parsePython(text);
    settings.set(path, summarizeSettings(path, tree.rootNode));
    tree.delete();
  }
  return settings;
}

function facts(files: Record<string, string>, entry: string, alias = 'default') {
  const settings = index(files).evaluate(entry);
  const value = (settings.names.get('DATABASES')?.value);
  assert.ok(value?.kind === 'dict', 'DATABASES is a known dict');
  const entryValue = value.items.get(alias);
  assert.ok(entryValue, `alias ${alias}`);
  const result = entryFacts(entryValue, defaultConfig());
  const options = result.optionsString === 'absent' || result.optionsString === 'unknown' ? result.optionsString : result.optionsString.value;
  return { engine: result.engine, options, trace: settings.databases.get(alias), settings };
}

const PG = '"ENGINE": "django.db.backends.postgresql"';

test('a literal entry, with and without OPTIONS', () => {
  assert.deepEqual(facts({ '/p/settings.py': `DATABASES = {"default": {${PG}, "NAME": "shop"}}\n` }, '/p/settings.py').options, 'absent');
  const withOptions = facts({ '/p/settings.py': `DATABASES = {"default": {${PG}, "OPTIONS": {"options": "-c statement_timeout=5s"}}}\n` }, '/p/settings.py');
  assert.equal(withOptions.engine, 'postgresql');
  assert.equal(withOptions.options, '-c statement_timeout=5s');
});

test('base.py + production.py: star import, then a mutation in production', () => {
  const files = {
    '/p/config/settings/base.py': `DEBUG = False\nDATABASES = {\n    "default": {${PG}, "NAME": "shop"},\n}\n`,
    '/p/config/settings/production.py': `from .base import *  # noqa\n\nDATABASES["default"]["OPTIONS"] = {"options": "-c lock_timeout=4000"}\n`,
  };
  const settings = index(files);
  assert.deepEqual(settings.entryPoints(), ['/p/config/settings/production.py']);
  const result = facts(files, '/p/config/settings/production.py');
  assert.equal(result.options, '-c lock_timeout=4000');
  assert.equal(result.trace!.definedAt.path, '/p/config/settings/base.py');
  assert.deepEqual(result.trace!.changedBy.map((l) => l.path), ['/p/config/settings/production.py']);
  assert.deepEqual(settings.entryPointsIncluding('/p/config/settings/base.py').map((e) => e.entryPoint), ['/p/config/settings/production.py']);
});

test('dj_database_url and django-environ take the engine from the default URL, or the configured database', () => {
  const dj = facts({ '/p/settings.py': 'import dj_database_url\nDATABASES = {"default": dj_database_url.config(default="postgres://localhost/shop", conn_max_age=600)}\n' }, '/p/settings.py');
  assert.equal(dj.engine, 'postgresql');
  assert.equal(dj.options, 'absent');
  const parsed = facts({ '/p/settings.py': 'from dj_database_url import parse\nDATABASES = {"default": parse("mysql://db/shop")}\n' }, '/p/settings.py');
  assert.equal(parsed.engine, 'mysql');
  const environ = facts({ '/p/settings.py': 'import environ\nenv = environ.Env()\nDATABASES = {"default": env.db("DATABASE_URL", default="sqlite:///db.sqlite3")}\n' }, '/p/settings.py');
  assert.equal(environ.engine, 'sqlite');
  const noUrl = facts({ '/p/settings.py': 'import dj_database_url\nDATABASES = {"default": dj_database_url.config()}\nDATABASES["default"].setdefault("OPTIONS", {})["options"] = "-c statement_timeout=30000"\n' }, '/p/settings.py');
  assert.equal(noUrl.engine, 'postgresql', 'the configured database');
  assert.equal(noUrl.options, '-c statement_timeout=30000');
});

test('module variables, update(), setdefault(), several aliases', () => {
  const files = {
    '/p/settings.py': [
      'PG_OPTIONS = {"options": "-c statement_timeout=30000"}',
      `DATABASES = {"default": {${PG}, "OPTIONS": PG_OPTIONS}, "replica": {${PG}}}`,
      'DATABASES["replica"].update({"OPTIONS": {"connect_timeout": 5}})',
      'DATABASES.setdefault("analytics", {"ENGINE": "django.db.backends.sqlite3"})',
      '',
    ].join('\n'),
  };
  assert.equal(facts(files, '/p/settings.py').options, '-c statement_timeout=30000');
  assert.equal(facts(files, '/p/settings.py', 'replica').options, 'absent');
  assert.equal(facts(files, '/p/settings.py', 'analytics').engine, 'sqlite');
});

test('what cannot be known stays unknown', () => {
  const opaque = index({ '/p/settings.py': 'import configuration\nDATABASES = getattr(configuration, "DATABASES", {})\n' }).evaluate('/p/settings.py');
  assert.equal(opaque.names.get('DATABASES')!.value.kind, 'unknown');
  const fromElsewhere = index({ '/p/settings.py': 'from company.defaults import *\nDATABASES["default"]["OPTIONS"] = {}\n' }).evaluate('/p/settings.py');
  assert.equal(fromElsewhere.names.get('DATABASES'), undefined);
  assert.deepEqual(fromElsewhere.unresolved, ['company.defaults']);
  const engine = facts({ '/p/settings.py': 'import os\nDATABASES = {"default": {"ENGINE": os.environ["ENGINE"]}}\n' }, '/p/settings.py');
  assert.equal(engine.engine, 'unknown');
});

test('branches: every branch is evaluated in order, so a timeout set in any branch counts', () => {
  const result = facts({ '/p/settings.py': `DEBUG = False\nDATABASES = {"default": {${PG}}}\nif not DEBUG:\n    DATABASES["default"]["OPTIONS"] = {"options": "-c statement_timeout=1000"}\n` }, '/p/settings.py');
  assert.equal(result.options, '-c statement_timeout=1000');
});

test('libpq options, units, MySQL init_command', () => {
  const parsed = parseLibpqOptions('-c statement_timeout=30s -clock_timeout=4000 --idle-in-transaction-session-timeout=5min');
  assert.deepEqual([...parsed].map(([name, setting]) => [name, setting.ms]), [['statement_timeout', 30000], ['lock_timeout', 4000], ['idle_in_transaction_session_timeout', 300000]]);
  assert.equal(parseDuration('0'), 0);
  assert.equal(parseDuration('1h'), 3600000);
  assert.equal(parseDuration('soon'), undefined);
  const mysql = parseMysqlInitCommand("SET SESSION max_execution_time=30000; SET innodb_lock_wait_timeout=5");
  assert.deepEqual([...mysql].map(([name, setting]) => [name, setting.ms]), [['max_execution_time', 30000], ['innodb_lock_wait_timeout', 5000]]);
});
