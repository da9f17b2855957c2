// A cloned repository must not crash or freeze the CLI, and `--fix` must never lose a byte (issue 11): full disks,
// read-only and immutable files, FIFOs, symlinks to /dev/zero, hostile names and encodings. The inputs are made here.
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, closeSync, mkdirSync, mkdtempSync, openSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, describe, test } from 'node:test';
import { ADD_INDEX, CLI, cleanup, makeProject, migration, run, runJson } from './helpers';

after(cleanup);

const INITIAL = migration('        migrations.CreateModel("order", [("id", models.AutoField(primary_key=True))]),', { dependency: '__first__' })
  .replace('    dependencies = [("shop", "__first__")]', '    dependencies = []');
const RUN_SQL = migration('        migrations.RunSQL("UPDATE shop_order SET id = id WHERE id < 0"),');

/** A shop project whose 0002 has a safe fix (MG302's `reverse_sql=RunSQL.noop`). */
function fixableProject(root?: string): { dir: string; file: string } {
  const files = { 'manage.py': '', 'shop/__init__.py': '', 'shop/migrations/__init__.py': '', 'shop/migrations/0001_initial.py': INITIAL, 'shop/migrations/0002_sql.py': RUN_SQL };
  if (!root) {
    const dir = makeProject(files);
    return { dir, file: join(dir, 'shop/migrations/0002_sql.py') };
  }
  for (const [path, text] of Object.entries(files)) {
    mkdirSync(join(root, path, '..'), { recursive: true });
    writeFileSync(join(root, path), text);
  }
  return { dir: root, file: join(root, 'shop/migrations/0002_sql.py') };
}

describe('--fix never loses data', () => {
  test('a full disk: the file keeps every byte, the run names it and exits 2, its findings are kept', () => {
    const mount = mkdtempSync(join(tmpdir(), 'mg-full-'));
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=64k', 'tmpfs', mount]);
    try {
      const { dir, file } = fixableProject(mount);
      // Fill what is left of the 64 KB.
      try {
        writeFileSync(join(mount, 'filler'), Buffer.alloc(1024 * 1024));
      } catch (error) {
        assert.equal((error as NodeJS.ErrnoException).code, 'ENOSPC');
      }
      const result = runJson(['--fix', '--unsafe-fixes', '--select', 'MG302'], dir);
      assert.equal(readFileSync(file, 'utf8'), RUN_SQL, 'the file is whole');
      assert.equal(result.status, 2, result.stderr);
      assert.match(result.stderr, /shop\/migrations\/0002_sql\.py: not fixed: no space left on the device \(ENOSPC\)/);
      assert.deepEqual(result.findings.map((finding) => finding.code), ['MG302'], 'the finding of the unwritten fix is kept');
      assert.deepEqual(readdirSync(join(dir, 'shop/migrations')).sort(), ['0001_initial.py', '0002_sql.py', '__init__.py'], 'no temporary file is left behind');
    } finally {
      execFileSync('umount', [mount]);
      rmSync(mount, { recursive: true, force: true });
    }
  });

  test('a read-only file is not fixed: reported, exit 2, its findings kept', () => {
    const { dir, file } = fixableProject();
    chmodSync(file, 0o444);
    const result = runJson(['--fix', '--unsafe-fixes', '--select', 'MG302'], dir);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /0002_sql\.py: not fixed: the file is read-only/);
    assert.deepEqual(result.findings.map((finding) => finding.code), ['MG302']);
    assert.equal(readFileSync(file, 'utf8'), RUN_SQL);
  });

  test('an immutable file (chattr +i) is not fixed: reported, exit 2', () => {
    const { dir, file } = fixableProject();
    execFileSync('chattr', ['+i', file]);
    try {
      const result = runJson(['--fix', '--unsafe-fixes', '--select', 'MG302'], dir);
      assert.equal(result.status, 2);
      assert.match(result.stderr, /0002_sql\.py: not fixed: operation not permitted/);
      assert.deepEqual(result.findings.map((finding) => finding.code), ['MG302']);
      assert.equal(readFileSync(file, 'utf8'), RUN_SQL);
    } finally {
      execFileSync('chattr', ['-i', file]);
    }
  });

  test('a fixed file keeps its mode and owner', () => {
    const { dir, file } = fixableProject();
    chmodSync(file, 0o640);
    execFileSync('chown', ['1234:2345', file]);
    const result = run(['check', '--fix', '--unsafe-fixes', '--select', 'MG302'], dir);
    assert.equal(result.status, 0, result.stdout + result.stderr);
    assert.match(readFileSync(file, 'utf8'), /reverse_sql=migrations\.RunSQL\.noop/);
    const stats = statSync(file);
    assert.equal(stats.mode & 0o7777, 0o640);
    assert.deepEqual([stats.uid, stats.gid], [1234, 2345]);
  });

  test('the summary after --fix is of the files as fixed: a settings fix answers MG110 on a migration linted before it', () => {
    const settings = [
      'DATABASES = {',
      '    "default": {',
      '        "ENGINE": "django.db.backends.postgresql",',
      '        "NAME": "shop",',
      '        "OPTIONS": {"options": "-c statement_timeout=30000", "connect_timeout": 10},',
      '    },',
      '}',
      '',
    ].join('\n');
    const dir = makeProject({
      'manage.py': '', 'shop/__init__.py': '', 'shop/migrations/__init__.py': '', 'shop/migrations/0001_initial.py': INITIAL,
      'shop/migrations/0002_index.py': migration(ADD_INDEX), 'shop_project/settings.py': settings,
    });
    const result = runJson(['--fix', '--unsafe-fixes', '--select', 'MG110,MG602'], dir);
    assert.match(readFileSync(join(dir, 'shop_project/settings.py'), 'utf8'), /lock_timeout=4000/, 'MG602 was fixed');
    assert.deepEqual(result.findings.map((finding) => finding.code), [], 'MG110 is gone with the lock_timeout');
    assert.equal(result.status, 0);
  });
});

describe('non-regular files in the workspace', () => {
  const base = () => fixableProject();

  test('a FIFO as a migration, requirements.txt, pyproject.toml and apps.py: nothing blocks', () => {
    const { dir } = base();
    for (const path of ['shop/migrations/0003_fifo.py', 'requirements.txt', 'pyproject.toml', 'shop/apps.py', 'pytest.ini']) {
      execFileSync('mkfifo', [join(dir, path)]);
    }
    const started = Date.now();
    const result = runJson(['shop/migrations/0003_fifo.py', '.', '--select', 'MG302'], dir);
    assert.ok(Date.now() - started < 30_000);
    assert.deepEqual(result.findings.map((finding) => finding.code), ['MG302'], result.stderr);
    assert.match(result.stderr, /0003_fifo\.py: not linted: not a regular file \(a FIFO \(named pipe\)\)/);
  });

  test('symlinks to /dev/zero (requirements.txt, pyproject.toml, apps.py, manage.py, a migration) are not read', () => {
    const { dir } = base();
    rmSync(join(dir, 'manage.py'));
    for (const path of ['shop/migrations/0003_zero.py', 'requirements.txt', 'pyproject.toml', 'shop/apps.py', 'manage.py', 'setup.cfg']) {
      symlinkSync('/dev/zero', join(dir, path));
    }
    const child = spawnSync(process.execPath, ['--max-old-space-size=256', CLI, 'check', 'shop/migrations/0003_zero.py', '.', '--format', 'json', '--select', 'MG302'], {
      cwd: dir, encoding: 'utf8', timeout: 60_000,
    });
    assert.equal(child.signal, null, child.stderr);
    assert.deepEqual((JSON.parse(child.stdout) as Array<{ code: string }>).map((finding) => finding.code), ['MG302'], child.stderr);
    assert.match(child.stderr, /0003_zero\.py: not linted: not a regular file \(a character device\)/);
  });
});

describe('text from the files is data, never code', () => {
  test('apps called constructor, toString and __proto__ are linted like any other', () => {
    const files: Record<string, string> = { 'manage.py': '' };
    for (const app of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      files[`${app}/migrations/__init__.py`] = '';
      files[`${app}/migrations/0001_initial.py`] = migration('        migrations.RunSQL("SELECT 1"),').replace(/dependencies = .*/, 'dependencies = []');
    }
    const dir = makeProject(files);
    const result = runJson(['--select', 'MG302'], dir);
    assert.deepEqual(result.findings.map((finding) => relative(dir, finding.filename).split('/')[0]).sort(), ['__proto__', 'constructor', 'hasOwnProperty', 'toString']);
  });

  test('start-after for an app called constructor applies to that app only', () => {
    const files: Record<string, string> = {
      'manage.py': '',
      'pyproject.toml': '[tool.migration-guard.start-after]\nconstructor = "0001"\n',
    };
    for (const app of ['constructor', 'toString']) {
      files[`${app}/migrations/__init__.py`] = '';
      files[`${app}/migrations/0001_initial.py`] = migration('        migrations.RunSQL("SELECT 1"),').replace(/dependencies = .*/, 'dependencies = []');
    }
    const dir = makeProject(files);
    const result = runJson(['--select', 'MG302'], dir);
    assert.deepEqual(result.findings.map((finding) => relative(dir, finding.filename)), ['toString/migrations/0001_initial.py']);
  });

  test('operations and fields named like Object methods are unknown, not crashes', () => {
    const dir = makeProject({
      'manage.py': '', 'shop/migrations/__init__.py': '', 'shop/migrations/0001_initial.py': INITIAL,
      'shop/migrations/0002_x.py': migration([
        '        migrations.constructor(model_name="order", name="x"),',
        '        migrations.AlterField(model_name="order", name="id", field=models.toString()),',
        '        migrations.RunSQL("SELECT 1"),',
      ].join('\n')),
    });
    const result = runJson([], dir);
    assert.doesNotMatch(result.stderr, /failed/);
    assert.deepEqual(result.findings.map((finding) => finding.code), ['MG302']);
  });
});

describe('source encodings (PEP 263)', () => {
  const latin1 = (text: string) => Buffer.from(text, 'latin1');
  const body = (cookie: string, verbose: string) => [
    cookie,
    'from django.db import migrations, models',
    '',
    '',
    'class Migration(migrations.Migration):',
    '    dependencies = [("shop", "0001_initial")]',
    '',
    '    operations = [',
    `        migrations.AlterModelOptions("order", {"verbose_name": "${verbose}"}),`,
    '        migrations.RunSQL("UPDATE shop_order SET id = id WHERE id < 0"),',
    '    ]',
    '',
  ].join('\n');

  test('a latin-1 migration is linted with the right columns and fixed back in latin-1', () => {
    const text = body('# -*- coding: latin-1 -*-', 'commandé café');
    const dir = makeProject({ 'manage.py': '', 'shop/migrations/__init__.py': '', 'shop/migrations/0001_initial.py': INITIAL, 'shop/migrations/0002_x.py': latin1(text) });
    const result = runJson(['--select', 'MG302'], dir);
    assert.deepEqual(result.findings.map((finding) => [finding.code, finding.location.row, finding.location.column]), [['MG302', 10, 9]], result.stderr);
    const fixed = run(['check', '--fix', '--unsafe-fixes', '--select', 'MG302'], dir);
    assert.equal(fixed.status, 0, fixed.stdout + fixed.stderr);
    const bytes = readFileSync(join(dir, 'shop/migrations/0002_x.py'));
    assert.ok(bytes.includes(latin1('commandé café')), 'still latin-1');
    assert.match(bytes.toString('latin1'), /reverse_sql=migrations\.RunSQL\.noop/);
    assert.equal(execFileSync('python3', ['-c', 'import sys; compile(open(sys.argv[1], "rb").read(), "m", "exec")', join(dir, 'shop/migrations/0002_x.py')]).toString(), '');
  });

  test('a cookie on line 2 after a comment, and a BOM, are decoded as Python does', () => {
    const line2 = latin1(body('#!/usr/bin/env python\n# vim: set fileencoding=iso-8859-15 :', 'caf\u00e9'));
    const bom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(body('', 'café'), 'utf8')]);
    const dir = makeProject({
      'manage.py': '', 'shop/migrations/__init__.py': '', 'shop/migrations/0001_initial.py': INITIAL,
      'shop/migrations/0002_a.py': line2, 'shop/migrations/0003_b.py': bom,
    });
    const result = runJson(['--select', 'MG302', 'shop/migrations/0002_a.py', 'shop/migrations/0003_b.py'], dir);
    assert.deepEqual(result.findings.map((finding) => [relative(dir, finding.filename), finding.location.row]), [['shop/migrations/0002_a.py', 11], ['shop/migrations/0003_b.py', 10]], result.stderr);
    assert.equal(run(['check', '--fix', '--unsafe-fixes', '--select', 'MG302', 'shop/migrations/0003_b.py'], dir).status, 0);
    assert.deepEqual([...readFileSync(join(dir, 'shop/migrations/0003_b.py')).subarray(0, 3)], [0xef, 0xbb, 0xbf], 'the BOM is kept');
  });

  test('a cookie that is not on line 1 or 2, and an unknown encoding, say why the file is not linted', () => {
    const dir = makeProject({
      'manage.py': '', 'shop/migrations/__init__.py': '', 'shop/migrations/0001_initial.py': INITIAL,
      'shop/migrations/0002_late.py': latin1(body('x = 1\n\n# -*- coding: latin-1 -*-', 'café')),
      'shop/migrations/0003_unknown.py': body('# coding: klingon', 'x'),
    });
    const result = runJson(['--select', 'MG302'], dir);
    assert.match(result.stderr, /0002_late\.py: not linted: file is not valid UTF-8/);
    assert.match(result.stderr, /0003_unknown\.py: not linted: unknown or unsupported source encoding `klingon`/);
  });
});

describe('line endings: \\n, \\r\\n and a lone \\r', () => {
  const EXAMPLE = join(__dirname, '../../../examples/shop');
  const endings = { lf: '\n', crlf: '\r\n', cr: '\r' } as const;

  /** The example project with its files' line endings made `eol`, plus a noqa that silences nothing (MG900). */
  function exampleWith(eol: string): string {
    const files: Record<string, string> = {};
    const walk = (dir: string, prefix: string) => {
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (entry.isDirectory()) walk(join(dir, entry.name), `${prefix}${entry.name}/`);
        else files[`${prefix}${entry.name}`] = readFileSync(join(dir, entry.name), 'utf8');
      }
    };
    walk(EXAMPLE, '');
    files['shop/migrations/0007_raw_sql.py'] = files['shop/migrations/0007_raw_sql.py'].replace(/\n/, '  # noqa: MG101\n');
    // TOML knows no lone `\r` line ending (tomllib rejects it too): pyproject.toml keeps `\n` then.
    for (const [path, text] of Object.entries(files)) if (eol !== '\r' || !path.endsWith('.toml')) files[path] = text.replace(/\r?\n/g, eol);
    return makeProject(files);
  }

  test('findings are at the same rows and columns, and every fix keeps every line ending', () => {
    const positions: Record<string, string[]> = {};
    for (const [name, eol] of Object.entries(endings)) {
      const dir = exampleWith(eol);
      const before = runJson([], dir);
      positions[name] = before.findings.map((f) => `${relative(dir, f.filename)}:${f.location.row}:${f.location.column}-${f.end_location.row}:${f.end_location.column} ${f.code}`);
      assert.ok(before.findings.some((f) => f.code === 'MG900'));
      const fixed = run(['check', '--fix', '--unsafe-fixes', '--exit-zero'], dir);
      assert.match(fixed.stdout, /Fixed \d+ problems in [2-9]\d* files/, `${name}: ${fixed.stdout}${fixed.stderr}`);
      for (const path of readdirSync(join(dir, 'shop/migrations')).map((file) => `shop/migrations/${file}`).concat(['shop_project/settings.py', 'shop_project/production_settings.py'])) {
        const text = readFileSync(join(dir, path), 'utf8');
        const breaks = text.match(/\r\n|\r|\n/g) ?? [];
        assert.ok(breaks.every((found) => found === eol), `${name}: ${path} keeps ${JSON.stringify(eol)} only`);
        execFileSync('python3', ['-c', 'import sys; compile(open(sys.argv[1], "rb").read(), sys.argv[1], "exec")', join(dir, path)]);
      }
    }
    assert.deepEqual(positions.crlf, positions.lf);
    assert.deepEqual(positions.cr, positions.lf);
  });
});

describe('no regular expression or glob backtracks on workspace text', () => {
  // Each took the CLI 90 s or more before (a `^\s*` with the `m` flag over blank lines, `**/**/…` globs compiled to
  // nested `(?:.*/)?`): `run` gives up after 60 s.
  const INIT = migration('        migrations.RunSQL("SELECT 1"),').replace(/dependencies = .*/, 'dependencies = []');

  test('100,000 blank lines in pyproject.toml, requirements.txt and apps.py', () => {
    const blank = '\n'.repeat(100_000);
    const dir = makeProject({
      'manage.py': '', 'pyproject.toml': `${blank}[tool.migration-guard]\nselect = ["MG302"]\n`, 'requirements.txt': blank,
      'shop/apps.py': blank, 'shop/migrations/__init__.py': '', 'shop/migrations/0001_initial.py': INIT,
    });
    assert.deepEqual(runJson([], dir).findings.map((finding) => finding.code), ['MG302']);
  });

  test('a lock file repeating `name = "django"` and a requirement line of 200,000 spaces', () => {
    const dir = makeProject({
      'manage.py': '', 'poetry.lock': '[[package]]\nname = "django"\n'.repeat(30_000), 'requirements.txt': `django${' '.repeat(200_000)}x\n`,
      'shop/migrations/__init__.py': '', 'shop/migrations/0001_initial.py': INIT,
    });
    assert.deepEqual(runJson(['--select', 'MG302'], dir).findings.map((finding) => finding.code), ['MG302']);
  });

  test('an exclude glob of many `**` segments over a path 60 folders deep', () => {
    const deep = Array.from({ length: 60 }, () => 'd').join('/');
    const dir = makeProject({
      'manage.py': '', 'pyproject.toml': '[tool.migration-guard]\nexclude = ["**/**/**/**/**/**/**/x"]\n',
      [`${deep}/migrations/__init__.py`]: '', [`${deep}/migrations/0001_initial.py`]: INIT,
    });
    assert.deepEqual(runJson(['--select', 'MG302'], dir).findings.map((finding) => finding.code), ['MG302']);
  });
});

describe('output and work stay proportionate to the input', () => {
  test('MG501 on 1,000 leaves names three others and counts the rest: the report grows linearly', () => {
    const files: Record<string, string> = { 'manage.py': '', 'shop/migrations/__init__.py': '', 'shop/migrations/0001_initial.py': INITIAL };
    for (let i = 2; i <= 1001; i++) files[`shop/migrations/${String(i).padStart(4, '0')}_leaf.py`] = migration('', {});
    const dir = makeProject(files);
    const result = run(['check', '--select', 'MG501', '--format', 'json'], dir);
    const findings = JSON.parse(result.stdout) as Array<{ message: string; related: unknown[] }>;
    assert.equal(findings.length, 1000);
    assert.match(findings[0].message, /^`shop` has 1000 latest migrations \(this one and `0003_leaf`, `0004_leaf`, `0005_leaf` and 996 more\)/);
    assert.equal(findings[0].related.length, 3);
    assert.ok(result.stdout.length < 5_000_000, `${result.stdout.length} bytes of JSON`);
  });

  test('4,000 findings on one 930 KB line', () => {
    // Under the bound of 5,000 operations per migration; each call padded to 233 characters.
    const call = `migrations.RunSQL("SELECT 1 -- ${'x'.repeat(200)}")`;
    const ops = Array.from({ length: 4_000 }, () => call).join(', ');
    const dir = makeProject({
      'manage.py': '', 'shop/migrations/__init__.py': '',
      'shop/migrations/0001_initial.py': `from django.db import migrations\nclass Migration(migrations.Migration):\n    dependencies = []\n    operations = [${ops}]\n`,
    });
    const result = runJson(['--select', 'MG302'], dir);
    assert.equal(result.findings.length, 4_000);
    assert.deepEqual(result.findings[3_999].location, { row: 4, column: 19 + 3_999 * (call.length + 2) });
  });

  test('30,000 findings on one 540 KB line (a DATABASES of 10,000 entries)', () => {
    const entries = Array.from({ length: 10_000 }, (_, i) => `"a${i}": {"ENGINE": "django.db.backends.postgresql"}`);
    const text = `DATABASES = {${entries.join(', ')}}\n`;
    const dir = makeProject({ 'manage.py': '', 'proj/settings.py': text });
    const result = runJson([], dir);
    assert.equal(result.findings.length, 30_000);
    const last = result.findings[result.findings.length - 1];
    assert.deepEqual(last.location, { row: 1, column: text.lastIndexOf('"a9999"') + 1 });
  });

  test('140,000 .py files', () => {
    const dir = makeProject({ 'manage.py': '', 'shop/migrations/__init__.py': '', 'shop/migrations/0001_initial.py': INITIAL, 'shop/migrations/0002_sql.py': RUN_SQL });
    for (let folder = 0; folder < 140; folder++) {
      mkdirSync(join(dir, `lib/p${folder}`), { recursive: true });
      for (let file = 0; file < 1000; file++) writeFileSync(join(dir, `lib/p${folder}/m${file}.py`), '');
    }
    const result = runJson(['--select', 'MG302'], dir);
    assert.deepEqual(result.findings.map((finding) => finding.code), ['MG302'], result.stderr.slice(0, 2000));
  });

  test('--jobs has an upper bound', () => {
    const { dir } = fixableProject();
    const result = run(['check', '--jobs', '256'], dir);
    assert.equal(result.status, 2);
    assert.match(result.stderr, /`--jobs` is at most 16 threads \(each holds a copy of the project's index\); got `256`/);
  });
});

describe('unreadable directories are never skipped silently', () => {
  /** Run as `nobody`: root reads every directory. */
  const runAsNobody = (args: string[], cwd: string) => {
    const child = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 60_000, uid: 65534, gid: 65534 });
    return { status: child.status, stdout: child.stdout, stderr: child.stderr };
  };

  test('named on the command line: exit 2 naming it; found inside: told, the rest is linted', () => {
    const { dir } = fixableProject();
    chmodSync(dir, 0o755);
    mkdirSync(join(dir, 'secret/migrations'), { recursive: true });
    chmodSync(join(dir, 'secret'), 0o700);
    const named = runAsNobody(['check', 'secret'], dir);
    assert.equal(named.status, 2);
    assert.match(named.stderr, /secret: cannot read directory: permission denied \(EACCES\)/);
    const inside = runAsNobody(['check', '.', '--select', 'MG302', '--format', 'json'], dir);
    assert.match(inside.stderr, /migration-guard: secret: cannot read directory \(permission denied \(EACCES\)\); its files are not linted/);
    assert.deepEqual((JSON.parse(inside.stdout) as Array<{ code: string }>).map((finding) => finding.code), ['MG302']);
  });
});

describe('apps.py', () => {
  test("the label is the AppConfig subclass's class-level label: not a docstring's, a method's or another class's", () => {
    const apps = [
      'from django.apps import AppConfig',
      '',
      '',
      'class Helper:',
      '    label = "helper"',
      '',
      '',
      'class ShopConfig(AppConfig):',
      '    """Example:',
      '    label = "docstring"',
      '    """',
      '',
      '    def ready(self):',
      '        label = "method"',
      '',
      '    name = "shop"',
      '    label = "shopping"',
      '',
    ].join('\n');
    const dir = makeProject({
      'manage.py': '', 'shop/apps.py': apps, 'shop/migrations/__init__.py': '', 'shop/migrations/0001_initial.py': INITIAL.replace('("shop", ', '("shopping", '),
      'billing/migrations/__init__.py': '',
      'billing/migrations/0001_initial.py': migration('        migrations.RunSQL("SELECT 1", reverse_sql=""),').replace('("shop", "0001_initial")', '("shopping", "0001_initial")'),
    });
    const result = runJson(['--select', 'MG5'], dir);
    assert.deepEqual(result.findings.map((finding) => `${finding.code} ${finding.message}`), [], 'the dependency on shopping.0001_initial resolves');
    const byDirectory = runJson(['--select', 'MG502'], makeProject({
      'manage.py': '', 'shop/apps.py': apps.replace('    label = "shopping"\n', ''), 'shop/migrations/__init__.py': '', 'shop/migrations/0001_initial.py': INITIAL,
      'billing/migrations/__init__.py': '',
      'billing/migrations/0001_initial.py': migration('        migrations.RunSQL("SELECT 1", reverse_sql=""),').replace('("shop", "0001_initial")', '("shop", "0009_missing")'),
    }));
    assert.deepEqual(byDirectory.findings.map((finding) => finding.code), ['MG502'], 'without a label, the app is `shop`');
    // A subclass of another AppConfig subclass (wagtail's search app): its label counts too.
    const subclassed = apps.replace('from django.apps import AppConfig', 'from modelsearch.apps import ModelSearchAppConfig').replace('class ShopConfig(AppConfig):', 'class ShopConfig(ModelSearchAppConfig):');
    const viaSubclass = runJson(['--select', 'MG5'], makeProject({
      'manage.py': '', 'shop/apps.py': subclassed, 'shop/migrations/__init__.py': '',
      'shop/migrations/0001_initial.py': migration('        migrations.RunSQL("SELECT 1", reverse_sql=""),').replace('dependencies = [("shop", "0001_initial")]', 'dependencies = []'),
      'shop/migrations/0002_next.py': migration('        migrations.RunSQL("SELECT 1", reverse_sql=""),').replace('("shop", "0001_initial")', '("shopping", "0001_initial")'),
    }));
    assert.deepEqual(viaSubclass.findings.map((finding) => `${finding.code} ${finding.message}`), [], 'shopping.0002 follows shopping.0001: one leaf');
  });
});

describe('a report that cannot be written', () => {
  test('standard output on a full device exits 2 (1 means findings), saying why; so does --output', () => {
    const { dir } = fixableProject();
    const full = openSync('/dev/full', 'w');
    try {
      for (const format of ['text', 'json']) {
        const child = spawnSync(process.execPath, [CLI, 'check', '--format', format, '--exit-zero'], { cwd: dir, encoding: 'utf8', stdio: ['ignore', full, 'pipe'], timeout: 60_000 });
        assert.equal(child.status, 2, `${format}: ${child.stderr}`);
        assert.match(child.stderr, /migration-guard: error: cannot write the report to standard output: no space left on the device \(ENOSPC\)/);
      }
    } finally {
      closeSync(full);
    }
    const output = run(['check', '--exit-zero', '--output', '/dev/full'], dir);
    assert.equal(output.status, 2);
    assert.match(output.stderr, /^migration-guard: error: cannot write the report to \/dev\/full: no space left on the device \(ENOSPC\)\n$/);
  });
});

describe('state replay memory and the work bound per file', () => {
  const addFields = (count: number) => Array.from({ length: count }, (_, i) => `        migrations.AddField("order", "field_${i}", models.IntegerField(null=True)),`).join('\n');

  test('4,900 AddField on one model are replayed (no copy of the field map per operation): MG106 on the last operation', () => {
    const dir = makeProject({
      'manage.py': '', 'shop/migrations/__init__.py': '', 'shop/migrations/0001_initial.py': INITIAL,
      'shop/migrations/0002_many.py': migration(`${addFields(4900)}\n        migrations.AlterField("order", "field_0", models.IntegerField()),`),
    });
    const child = spawnSync(process.execPath, ['--max-old-space-size=512', CLI, 'check', '--select', 'MG106', '--format', 'json'], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
    assert.equal(child.signal, null, child.stderr.slice(-500));
    assert.deepEqual((JSON.parse(child.stdout) as Array<{ code: string; location: { row: number } }>).map((f) => [f.code, f.location.row]), [['MG106', 4908]]);
  });

  test('a 5 MB migration past the bound gets one message; the rest of the project is linted; nothing after it is guessed', () => {
    const dir = makeProject({
      'manage.py': '', 'shop/migrations/__init__.py': '', 'shop/migrations/0001_initial.py': INITIAL,
      'shop/migrations/0002_big.py': migration(addFields(60_000)),
      'shop/migrations/0003_after.py': migration('        migrations.AlterField("order", "field_0", models.IntegerField()),\n        migrations.RunSQL("SELECT 1"),', { dependency: '0002_big' }),
    });
    const child = spawnSync(process.execPath, ['--max-old-space-size=1024', CLI, 'check', '--select', 'MG106,MG302,MG5', '--format', 'json'], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
    assert.equal(child.signal, null, child.stderr.slice(-500));
    assert.match(child.stderr, /^shop\/migrations\/0002_big\.py: has 60,000 operations, more than 5,000: its operations are not checked/m);
    assert.equal(child.stderr.match(/0002_big\.py/g)?.length, 1, 'one message');
    // 0003 is linted (MG302) and its graph is whole (no MG502), but what 0002 did to `order` is unknown: no MG106.
    assert.deepEqual((JSON.parse(child.stdout) as Array<{ code: string; filename: string }>).map((f) => `${f.code} ${relative(dir, f.filename)}`), ['MG302 shop/migrations/0003_after.py']);
  });
});

describe('terminal control characters from the files', () => {
  test('are shown escaped in the text and github outputs, never sent to the terminal', () => {
    const evil = 'idx\u001b]0;pwned\u0007\u001b[2J\u009b';
    const dir = makeProject({
      'manage.py': '', 'shop/migrations/__init__.py': '', 'shop/migrations/0001_initial.py': INITIAL,
      'shop/migrations/0002_index.py': migration(ADD_INDEX.replace('order_created_idx', evil)),
    });
    for (const format of ['text', 'github']) {
      const result = run(['check', '--select', 'MG101', '--format', format], dir);
      assert.match(result.stdout, /idx\\x1b\]0;pwned\\x07\\x1b\[2J\\x9b/, format);
      assert.doesNotMatch(result.stdout, /[\u0000-\u0009\u000b-\u001f\u007f-\u009f]/, `${format}: no control character but newlines`);
    }
    assert.ok(runJson(['--select', 'MG101'], dir).findings[0].message.includes(evil), 'JSON keeps the text as it is (escaped by JSON)');
  });
});

describe('a deeply nested file', () => {
  test('a 12 KB expression nested 6,000 deep is not linted, saying why; the rest of the project is', () => {
    const { dir } = fixableProject();
    mkdirSync(join(dir, 'shop_project'));
    writeFileSync(join(dir, 'shop_project/settings.py'), `DATABASES = ${'['.repeat(6000)}${']'.repeat(6000)}\n`);
    const result = runJson(['--select', 'MG302'], dir);
    assert.match(result.stderr, /shop_project\/settings\.py: not linted: the file nests expressions too deeply to analyse/);
    assert.deepEqual(result.findings.map((finding) => finding.code), ['MG302']);
  });
});
