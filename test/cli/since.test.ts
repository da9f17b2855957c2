// `check --since REF` on a real temporary git repository, and the pre-commit hook run the way pre-commit runs
// it (its `entry` with the staged files that match `files`), against the built dist/cli.js.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ADD_INDEX, cleanup, CLI, makeProject, migration, ROOT, run, SAFE_FIELD } from './helpers';

after(cleanup);

function git(args: string[], cwd: string): string {
  const child = spawnSync('git', args, { cwd, encoding: 'utf8' });
  if (child.error) throw child.error;
  assert.equal(child.status, 0, `git ${args.join(' ')}: ${child.stderr}`);
  return child.stdout;
}

function write(dir: string, path: string, text: string): void {
  mkdirSync(dirname(join(dir, path)), { recursive: true });
  writeFileSync(join(dir, path), text);
}

const MIGRATIONS = 'shop/migrations';
const INITIAL = migration(SAFE_FIELD).replace('    dependencies = [("shop", "0001_initial")]', '    initial = True\n    dependencies = []');
const index = (name: string) => ADD_INDEX.replace('order_created_idx', name);
const OLD = `${MIGRATIONS}/0002_old_index.py`;
const NEW = `${MIGRATIONS}/0003_new_index.py`;

/**
 * main: 0001 (safe) and 0002 (an unsafe AddIndex, already deployed); branch `feature`: 0003, another unsafe
 * AddIndex, committed; HEAD is on `feature`.
 */
const SAFE_SETTINGS = [
  'DATABASES = {',
  '    "default": {',
  '        "ENGINE": "django.db.backends.postgresql",',
  '        "NAME": "shop",',
  '        "OPTIONS": {"options": "-c statement_timeout=30000 -c lock_timeout=4000", "connect_timeout": 10},',
  '    }',
  '}',
  '',
].join('\n');
const UNSAFE_SETTINGS = 'DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": "shop"}}\n';

function repository(settings = SAFE_SETTINGS): string {
  const dir = makeProject({});
  git(['init', '-q', '-b', 'main'], dir);
  git(['config', 'user.name', 'Test'], dir);
  git(['config', 'user.email', 'test@example.com'], dir);
  git(['config', 'commit.gpgsign', 'false'], dir);
  write(dir, 'manage.py', 'import os\nos.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")\n');
  write(dir, 'config/__init__.py', '');
  write(dir, 'config/settings.py', settings);
  write(dir, `${MIGRATIONS}/__init__.py`, '');
  write(dir, `${MIGRATIONS}/0001_initial.py`, INITIAL);
  write(dir, OLD, migration(index('order_old_idx')));
  git(['add', '.'], dir);
  git(['commit', '-q', '-m', 'old'], dir);
  git(['checkout', '-q', '-b', 'feature'], dir);
  write(dir, NEW, migration(index('order_new_idx'), { dependency: '0002_old_index' }));
  git(['add', NEW], dir);
  git(['commit', '-q', '-m', 'new'], dir);
  return dir;
}

let repo: string;
before(() => {
  repo = repository();
});

function migrationFindings(findings: { code: string; filename: string }[]) {
  return findings.filter((finding) => finding.code === 'MG101').map((finding) => finding.filename);
}

describe('--since REF', () => {
  test('without --since both unsafe migrations are reported', () => {
    const result = run(['check', '--format', 'json'], repo);
    assert.deepEqual(migrationFindings(JSON.parse(result.stdout)).sort(), [join(repo, OLD), join(repo, NEW)]);
  });

  test('text: only the migration the branch adds', () => {
    const result = run(['check', '--since', 'main'], repo);
    assert.equal(result.status, 1, result.stderr);
    assert.match(result.stdout, new RegExp(`^${NEW.replace(/\./g, '\\.')}:\\d+:\\d+: MG101 `, 'm'));
    assert.doesNotMatch(result.stdout, /0002_old_index/);
    assert.equal(result.stdout.match(/: MG\d{3} /g)?.length, 1, result.stdout);
  });

  test('json, sarif and github: only the new migration', () => {
    const json = JSON.parse(run(['check', '--since', 'main', '--format', 'json'], repo).stdout) as { code: string; filename: string }[];
    assert.deepEqual(json.map((finding) => [finding.code, finding.filename]), [['MG101', join(repo, NEW)]]);

    const sarifRun = run(['check', '--since', 'main', '--format', 'sarif'], repo);
    assert.equal(sarifRun.status, 1);
    const log = JSON.parse(sarifRun.stdout) as { runs: { results: { ruleId: string; locations: { physicalLocation: { artifactLocation: { uri: string } } }[] }[] }[] };
    assert.deepEqual(log.runs[0].results.map((result) => [result.ruleId, result.locations[0].physicalLocation.artifactLocation.uri]), [['MG101', NEW]]);

    const github = run(['check', '--since', 'main', '--format', 'github'], repo);
    assert.equal(github.status, 1);
    const lines = github.stdout.trimEnd().split('\n');
    assert.equal(lines.length, 1, github.stdout);
    assert.match(lines[0], new RegExp(`^::warning file=${NEW.replace(/\./g, '\\.')},line=\\d+,col=\\d+,endLine=\\d+,endColumn=\\d+,title=MG101 add-index-blocking::`));
  });

  test('exit codes for each --fail-on, and --exit-zero', () => {
    assert.equal(run(['check', '--since', 'main', '--fail-on', 'error'], repo).status, 0);
    assert.equal(run(['check', '--since', 'main', '--fail-on', 'warning'], repo).status, 1);
    assert.equal(run(['check', '--since', 'main', '--fail-on', 'info'], repo).status, 1);
    assert.equal(run(['check', '--since', 'main'], repo).status, 1);
    assert.equal(run(['check', '--since', 'main', '--exit-zero'], repo).status, 0);
    // Since the branch's own HEAD nothing changed: nothing to report, whatever the fail level.
    for (const level of ['error', 'warning', 'info']) {
      const head = run(['check', '--since', 'HEAD', '--fail-on', level, '--format', 'json'], repo);
      assert.equal(head.status, 0, head.stdout);
      assert.deepEqual(migrationFindings(JSON.parse(head.stdout)), []);
    }
  });

  test('from a subfolder of the repository, with a path, and with uncommitted and untracked migrations', () => {
    const sub = run(['check', '--since', 'main', '--format', 'json'], join(repo, 'shop'));
    assert.deepEqual(migrationFindings(JSON.parse(sub.stdout)), [join(repo, NEW)]);
    const path = run(['check', 'shop', '--since', 'main', '--format', 'json'], repo);
    assert.deepEqual(migrationFindings(JSON.parse(path.stdout)), [join(repo, NEW)]);
    const untracked = `${MIGRATIONS}/0004_untracked.py`;
    write(repo, untracked, migration(index('order_untracked_idx'), { dependency: '0003_new_index' }));
    try {
      const result = run(['check', '--since', 'main', '--format', 'json'], repo);
      assert.deepEqual(migrationFindings(JSON.parse(result.stdout)).sort(), [join(repo, NEW), join(repo, untracked)]);
      // The new migration is still judged with the history before it: 0004 knows the table from 0001.
      assert.equal(run(['check', '--since', 'HEAD', '--format', 'json'], repo).stdout.includes('0004_untracked'), true);
    } finally {
      git(['clean', '-q', '-f', MIGRATIONS], repo);
    }
  });

  test('through a symlink to the repository', () => {
    const link = join(makeProject({}), 'link');
    symlinkSync(repo, link);
    // The path given through the link (a cwd would be resolved by the OS): files are found as link/…
    const result = run(['check', link, '--since', 'main', '--format', 'json'], repo);
    assert.ok(JSON.parse(result.stdout).every((finding: { filename: string }) => finding.filename.startsWith(link)), result.stdout);
    assert.deepEqual(migrationFindings(JSON.parse(result.stdout)).map((file) => file.slice(file.indexOf('shop/'))), [NEW]);
  });

  test('the settings modules are linted too, changed or not', () => {
    // Settings without timeouts, committed on main: MG6xx findings on config/settings.py with any --since.
    const unsafe = repository(UNSAFE_SETTINGS);
    const settingsPath = join(unsafe, 'config/settings.py');
    const all = JSON.parse(run(['check', '--format', 'json'], unsafe).stdout) as { code: string; filename: string }[];
    const settings = all.filter((finding) => finding.filename === settingsPath).map((finding) => finding.code);
    assert.ok(settings.length > 0, 'the settings should have findings');
    const since = JSON.parse(run(['check', '--since', 'main', '--format', 'json'], unsafe).stdout) as { code: string; filename: string }[];
    assert.deepEqual(since.filter((finding) => finding.filename === settingsPath).map((finding) => finding.code), settings);
    assert.deepEqual(migrationFindings(since), [join(unsafe, NEW)]);
  });

  test('a bad ref, or no git repository → 2 with a clear message', () => {
    const bad = run(['check', '--since', 'no-such-branch'], repo);
    assert.equal(bad.status, 2);
    assert.equal(bad.stdout, '');
    assert.match(bad.stderr, /--since no-such-branch: unknown git revision `no-such-branch`/);
    assert.equal(run(['check', '--since', 'no-such-branch', '--exit-zero'], repo).status, 2);
    const plain = makeProject({ 'manage.py': '' });
    const outside = run(['check', '--since', 'main'], plain);
    if (spawnSync('git', ['rev-parse'], { cwd: plain }).status !== 0) {
      assert.equal(outside.status, 2);
      assert.match(outside.stderr, /--since main: .* is not inside a git repository/);
    }
  });
});

describe('.pre-commit-hooks.yaml', () => {
  const text = readFileSync(join(ROOT, '.pre-commit-hooks.yaml'), 'utf8');
  const field = (name: string) => new RegExp(`^ {2}${name}: (.*)$`, 'm').exec(text)?.[1];

  test('declares the migration-guard node hook', () => {
    assert.equal(/^- id: (.*)$/m.exec(text)?.[1], 'migration-guard');
    assert.equal(field('language'), 'node');
    assert.equal(field('entry'), 'migration-guard check');
    assert.equal(field('pass_filenames'), 'true');
    const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { bin: Record<string, string> };
    assert.equal(pkg.bin['migration-guard'], 'dist/cli.js', 'the entry names the package\'s bin');
  });

  test('files matches migrations and settings modules, not other Python files', () => {
    const files = new RegExp(field('files')!);
    for (const path of ['shop/migrations/0002_x.py', 'apps/shop/migrations/0001_initial.py', 'config/settings.py', 'settings.py', 'config/settings/production.py', 'project/production_settings.py']) {
      assert.ok(files.test(path), path);
    }
    for (const path of ['shop/models.py', 'shop/views.py', 'shop/migrations/README.md', 'manage.py']) assert.ok(!files.test(path), path);
  });

  test('the entry with the staged files, as pre-commit runs it: fails on the new unsafe migration', () => {
    const files = new RegExp(field('files')!);
    const entry = field('entry')!.split(' ');
    assert.equal(entry[0], 'migration-guard');
    const staged = `${MIGRATIONS}/0005_staged.py`;
    write(repo, staged, migration(index('order_staged_idx'), { dependency: '0003_new_index' }));
    write(repo, 'shop/models.py', 'from django.db import models\n');
    git(['add', staged, 'shop/models.py'], repo);
    try {
      const names = git(['diff', '--cached', '--name-only', '--diff-filter=ACMR'], repo).split('\n').filter((name) => name && files.test(name));
      assert.deepEqual(names, [staged]);
      // `migration-guard` is the package's bin, dist/cli.js; pre-commit appends the file names.
      const hook = spawnSync(process.execPath, [CLI, ...entry.slice(1), ...names], { cwd: repo, encoding: 'utf8' });
      assert.equal(hook.status, 1, hook.stderr);
      assert.match(hook.stdout, new RegExp(`^${staged.replace(/\./g, '\\.')}:\\d+:\\d+: MG101 `, 'm'));
      assert.doesNotMatch(hook.stdout, /0002_old_index|0003_new_index/);
      // A safe staged migration passes.
      write(repo, staged, migration(SAFE_FIELD.replace('note', 'memo'), { dependency: '0003_new_index' }));
      const safe = spawnSync(process.execPath, [CLI, ...entry.slice(1), ...names], { cwd: repo, encoding: 'utf8' });
      assert.equal(safe.status, 0, safe.stdout + safe.stderr);
    } finally {
      git(['rm', '-q', '-f', '--cached', staged, 'shop/models.py'], repo);
      git(['clean', '-q', '-f', 'shop'], repo);
    }
  });
});

