// Settings entry points (SPEC §3) through the built CLI: the module named by DJANGO_SETTINGS_MODULE is an entry point
// even when another settings module (saleor's tests/settings.py) star-imports it.
import assert from 'node:assert/strict';
import { after, test } from 'node:test';
import { cleanup, makeProject, runJson } from './helpers';

after(cleanup);

const SETTINGS = 'SECRET_KEY = "x"\nDATABASES = {\n    "default": {"ENGINE": "django.db.backends.postgresql", "NAME": "shop"},\n}\n';

test('the module DJANGO_SETTINGS_MODULE names is judged as an entry point, and the message does not name only the test settings', () => {
  const root = makeProject({
    'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n',
    'proj/__init__.py': '',
    'proj/settings.py': SETTINGS,
    'proj/tests/__init__.py': '',
    // The test settings complete the entry: only they would be judged if the named module were not an entry point.
    'proj/tests/settings.py': 'from ..settings import *  # noqa\n\nDATABASES["default"]["OPTIONS"] = {"options": "-c statement_timeout=1000 -c lock_timeout=1000", "connect_timeout": 5}\n',
  });
  const { findings } = runJson(['--exit-zero', '.'], root);
  const timeouts = findings.filter((f) => /^MG60[123]$/.test(f.code));
  assert.deepEqual(timeouts.map((f) => `${f.filename.slice(root.length + 1)}:${f.location.row}:${f.code}`), ['proj/settings.py:3:MG601', 'proj/settings.py:3:MG602', 'proj/settings.py:3:MG603']);
  assert.match(timeouts[0].message, /^`DATABASES\["default"\]` sets no `statement_timeout`/, 'only this entry point lacks it: no other is named');
});

test('an entry both the named module and the test settings leave incomplete names the other entry point', () => {
  const root = makeProject({
    'manage.py': 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "proj.settings")\n',
    'proj/__init__.py': '',
    'proj/settings.py': SETTINGS,
    'proj/tests/__init__.py': '',
    'proj/tests/settings.py': 'from ..settings import *  # noqa\n\nDEBUG = False\n',
  });
  const { findings } = runJson(['--exit-zero', '.'], root);
  const statement = findings.find((f) => f.code === 'MG601')!;
  assert.equal(statement.filename.slice(root.length + 1), 'proj/settings.py');
  assert.match(statement.message, /^`DATABASES\["default"\]` \(here and in entry point `tests\/settings\.py`\) sets no `statement_timeout`/);
});
