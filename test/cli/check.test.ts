// `migration-guard check` end to end: the built CLI against temporary Django projects.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { ADD_INDEX, cleanup, FORWARDS, locate, makeProject, migration, run, RUN_PYTHON, runJson, SAFE_FIELD } from './helpers';

after(cleanup);

const MIGRATIONS = 'shop/migrations';
const INDEX_FILE = `${MIGRATIONS}/0002_order_created_idx.py`;
const indexMigration = migration(ADD_INDEX);
const bothMigration = migration(`${ADD_INDEX}\n${RUN_PYTHON}`, { prelude: FORWARDS });

function project(extra: Record<string, string | Buffer> = {}): string {
  return makeProject({
    [`${MIGRATIONS}/__init__.py`]: '',
    [`${MIGRATIONS}/0001_initial.py`]: migration('        migrations.CreateModel("Order", [("id", models.AutoField(primary_key=True))]),').replace('[("shop", "0001_initial")]', '[]'),
    ...extra,
  });
}

function codes(findings: { code: string }[]): string[] {
  return findings.map((finding) => finding.code).sort();
}

describe('text output', () => {
  test('one line per finding with a 1-based row and column, the help indented below, then a summary', () => {
    const dir = project({ [INDEX_FILE]: indexMigration });
    const result = run(['check'], dir);
    assert.equal(result.status, 1, result.stderr);
    const { row, column } = locate(indexMigration, 'migrations.AddIndex(');
    assert.equal(row, 8);
    assert.equal(column, 9);
    const lines = result.stdout.split('\n');
    assert.match(lines[0], new RegExp(`^shop/migrations/0002_order_created_idx\\.py:${row}:${column}: MG101 \`AddIndex\` .*SHARE lock`));
    assert.match(lines[1], /^ {2}\S.*Instead, use `AddIndexConcurrently`/);
    assert.equal(lines[2], 'Found 1 problem (1 warning) in 1 file; 1 fixable with --fix.');
    assert.equal(lines.length, 4);
    assert.equal(result.stderr, '');
  });

  test('paths are relative to the working directory', () => {
    const dir = project({ [INDEX_FILE]: indexMigration });
    const result = run(['check', 'shop'], join(dir, 'shop'));
    assert.equal(result.status, 2); // `shop` inside shop/ does not exist
    assert.match(result.stderr, /shop: no such file or directory/);
    const inside = run(['check', '.'], join(dir, 'shop'));
    assert.match(inside.stdout, /^migrations\/0002_order_created_idx\.py:8:9: MG101 /);
    const outside = run(['check', join(dir, 'shop')], join(dir, MIGRATIONS));
    assert.match(outside.stdout, /^0002_order_created_idx\.py:8:9: MG101 /);
  });

  test('columns count characters, not bytes or UTF-16 units, after non-ASCII text', () => {
    const text = migration([
      '        # Index für die Bestellübersicht (日付順) 🍰',
      '        migrations.AlterModelOptions(name="order", options={"verbose_name": "café ☕🍰"}), migrations.AddIndex(',
      '            model_name="order",',
      '            index=models.Index(fields=["created_at"], name="order_created_idx"),',
      '        ),',
    ].join('\n'));
    const dir = project({ [INDEX_FILE]: text });
    const expected = locate(text, 'migrations.AddIndex(');
    assert.equal(expected.row, 9);
    // 8 spaces + the AlterModelOptions call: ☕ is one UTF-16 unit, 🍰 two, both one character.
    const prefix = '        migrations.AlterModelOptions(name="order", options={"verbose_name": "café ☕🍰"}), ';
    assert.equal(expected.column, [...prefix].length + 1);
    assert.notEqual(expected.column, prefix.length + 1);
    const result = run(['check'], dir);
    assert.match(result.stdout, new RegExp(`^shop/migrations/0002_order_created_idx\\.py:9:${expected.column}: MG101 `));
    const json = runJson([], dir);
    assert.deepEqual(json.findings[0].location, expected);
    assert.deepEqual(json.findings[0].end_location, { row: 12, column: 10 });
  });

  test('a clean project passes and exits 0', () => {
    const dir = project({ [`${MIGRATIONS}/0002_note.py`]: migration(SAFE_FIELD), 'shop/views.py': 'def index(request):\n    pass\n' });
    const result = run(['check'], dir);
    assert.equal(result.status, 0, result.stdout + result.stderr);
    // The two migrations: migrations/__init__.py and views.py cannot produce a finding, so they are not checked.
    assert.equal(result.stdout, 'All checks passed (2 files).\n');
  });

  test('--quiet prints findings only', () => {
    const dir = project({ [INDEX_FILE]: indexMigration });
    const result = run(['check', '--quiet'], dir);
    assert.equal(result.status, 1);
    assert.equal(result.stdout.split('\n').filter(Boolean).length, 2);
    assert.doesNotMatch(result.stdout, /Found/);
    assert.equal(run(['check', '-q', `${MIGRATIONS}/0001_initial.py`], dir).stdout, '');
  });

  test('the summary counts severities, files and fixes', () => {
    const dir = project({
      [INDEX_FILE]: indexMigration,
      [`${MIGRATIONS}/0003_both.py`]: bothMigration.replace('"0001_initial"', '"0002_order_created_idx"'),
      [`${MIGRATIONS}/0004_concurrently.py`]: migration('        AddIndexConcurrently("order", models.Index(fields=["id"], name="order_id_idx")),', {
        imports: 'from django.contrib.postgres.operations import AddIndexConcurrently\nfrom django.db import migrations, models',
      }).replace('"0001_initial"', '"0003_both"'),
    });
    const result = run(['check'], dir);
    assert.equal(result.status, 1);
    const summary = result.stdout.trimEnd().split('\n').pop();
    // 0002: MG101; 0003: MG101 + MG301; 0004: MG109 (error). Whether a fix is safe is the rule's business.
    const { findings } = runJson([], dir);
    assert.deepEqual(codes(findings), ['MG101', 'MG101', 'MG109', 'MG301']);
    const safe = findings.filter((finding) => finding.fix?.applicability === 'safe').length;
    const unsafe = findings.filter((finding) => finding.fix?.applicability === 'unsafe').length;
    assert.ok(safe > 0 && unsafe > 0);
    assert.equal(summary, `Found 4 problems (3 warnings, 1 error) in 3 files; ${safe} fixable with --fix (${unsafe} more with --fix --unsafe-fixes).`);
  });
});

describe('json output', () => {
  test('an array of findings in ruff\'s shape, with 1-based rows and columns and the first fix', () => {
    const dir = project({ [INDEX_FILE]: indexMigration });
    const { status, findings, stderr } = runJson([], dir);
    assert.equal(status, 1, stderr);
    assert.equal(findings.length, 1);
    const [finding] = findings;
    assert.deepEqual(Object.keys(finding), ['code', 'name', 'severity', 'message', 'help', 'filename', 'location', 'end_location', 'fix', 'url', 'related']);
    assert.deepEqual(finding.related, []);
    assert.equal(finding.code, 'MG101');
    assert.equal(finding.name, 'add-index-blocking');
    assert.equal(finding.severity, 'warning');
    assert.match(finding.message, /^`AddIndex` `order_created_idx` on `shop_order` takes a SHARE lock/);
    assert.match(finding.help ?? '', /^Instead, /);
    assert.equal(finding.filename, join(dir, INDEX_FILE));
    assert.deepEqual(finding.location, { row: 8, column: 9 });
    assert.deepEqual(finding.end_location, { row: 11, column: 10 });
    assert.equal(finding.url, 'https://github.com/django-migration-guard/django-migration-guard/blob/main/docs/rules.md#mg101-add-index-blocking');
    assert.ok(finding.fix);
    assert.equal(finding.fix.applicability, 'safe');
    assert.equal(finding.fix.message, 'Use AddIndexConcurrently');
    const rename = finding.fix.edits.find((edit) => edit.content === 'AddIndexConcurrently');
    assert.deepEqual(rename, { content: 'AddIndexConcurrently', location: { row: 8, column: 9 }, end_location: { row: 8, column: 9 + 'migrations.AddIndex'.length } });
    assert.ok(finding.fix.edits.some((edit) => edit.content.includes('from django.contrib.postgres.operations import AddIndexConcurrently')));
    assert.ok(finding.fix.edits.some((edit) => edit.content.includes('atomic = False')));
    const rows = finding.fix.edits.map((edit) => edit.location.row * 1000 + edit.location.column);
    assert.deepEqual(rows, [...rows].sort((a, b) => a - b), 'edits are sorted');
  });

  test('findings without a fix have fix: null; no findings is []', () => {
    const dir = project({ [`${MIGRATIONS}/0002_drop.py`]: migration('        migrations.RemoveField("order", "note"),') });
    const { findings } = runJson([], dir);
    assert.equal(findings.length, 1);
    assert.equal(findings[0].code, 'MG202');
    assert.equal(findings[0].fix, null);
    const clean = run(['check', '--format', 'json', `${MIGRATIONS}/0001_initial.py`], dir);
    assert.equal(clean.status, 0);
    assert.equal(clean.stdout, '[]\n');
  });

  test('--format=json works too, and large outputs are written whole', () => {
    const files: Record<string, string> = {};
    const name = (i: number) => `${String(i).padStart(4, '0')}_m`;
    // A chain (one leaf): 0002_m depends on 0001_initial, each next on the one before.
    for (let i = 2; i < 400; i++) files[`${MIGRATIONS}/${name(i)}.py`] = i === 2 ? bothMigration : bothMigration.replace('"0001_initial"', `"${name(i - 1)}"`);
    const dir = project(files);
    const result = run(['check', '--format=json'], dir);
    assert.equal(result.status, 1);
    assert.equal((JSON.parse(result.stdout) as unknown[]).length, 398 * 2);
  });
});

describe('github output', () => {
  test('workflow annotations', () => {
    const dir = project({ [INDEX_FILE]: indexMigration });
    const result = run(['check', '--format', 'github'], dir);
    assert.equal(result.status, 1);
    assert.match(result.stdout, /^::warning file=shop\/migrations\/0002_order_created_idx\.py,line=8,col=9,endLine=11,endColumn=10,title=MG101 add-index-blocking::MG101 `AddIndex`.*%0AInstead, /);
  });
});

describe('exit codes', () => {
  test('findings → 1, --exit-zero → 0 with the same output', () => {
    const dir = project({ [INDEX_FILE]: indexMigration });
    const failing = run(['check'], dir);
    assert.equal(failing.status, 1);
    const zero = run(['check', '--exit-zero'], dir);
    assert.equal(zero.status, 0);
    assert.equal(zero.stdout, failing.stdout);
  });

  test('info findings do not fail; --fail-on changes the level', () => {
    const dir = project({ [INDEX_FILE]: indexMigration, 'pyproject.toml': '[tool.migration-guard]\nseverity = { MG101 = "info" }\n' });
    const info = run(['check'], dir);
    assert.equal(info.status, 0, info.stdout + info.stderr);
    assert.match(info.stdout, /MG101/);
    assert.match(info.stdout, /Found 1 problem \(1 info\) in 1 file/);
    assert.equal(run(['check', '--fail-on', 'info'], dir).status, 1);
    const warnings = project({ [INDEX_FILE]: indexMigration });
    assert.equal(run(['check', '--fail-on', 'error'], warnings).status, 0);
    assert.equal(run(['check', '--fail-on', 'warning'], warnings).status, 1);
  });

  test('a missing path → 2 with a message naming it', () => {
    const dir = project({ [INDEX_FILE]: indexMigration });
    const result = run(['check', 'shop', 'no/such/dir'], dir);
    assert.equal(result.status, 2);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /no\/such\/dir: no such file or directory/);
    assert.equal(run(['check', 'missing.py', '--exit-zero'], dir).status, 2, '--exit-zero does not hide usage errors');
  });

  test('an unknown format, flag, or rule code → 2', () => {
    const dir = project({ [INDEX_FILE]: indexMigration });
    const format = run(['check', '--format', 'xml'], dir);
    assert.equal(format.status, 2);
    assert.match(format.stderr, /unknown value `xml` for `--format`: expected one of text, json/);
    const flag = run(['check', '--selcet', 'MG1'], dir);
    assert.equal(flag.status, 2);
    assert.match(flag.stderr, /unknown option `--selcet`.*did you mean `--select`/);
    const missingValue = run(['check', '--format'], dir);
    assert.equal(missingValue.status, 2);
    assert.match(missingValue.stderr, /`--format` needs a value/);
    const code = run(['check', '--select', 'E501'], dir);
    assert.equal(code.status, 2);
    assert.match(code.stderr, /`E501` is not a rule code/);
    const unknownRule = run(['check', '--ignore', 'MG999'], dir);
    assert.equal(unknownRule.status, 2);
    assert.match(unknownRule.stderr, /no rule MG999/);
  });

  test('a broken pyproject.toml → MG000 on it, files still linted with the defaults, exit 2', () => {
    const dir = project({ [INDEX_FILE]: indexMigration, 'pyproject.toml': '[tool.migration-guard]\nselect = ["MG3"\n' });
    const result = run(['check'], dir);
    assert.equal(result.status, 2, result.stdout + result.stderr);
    assert.match(result.stdout, /^pyproject\.toml:1:1: MG000 pyproject\.toml is not valid TOML/m);
    assert.match(result.stdout, /^shop\/migrations\/0002_order_created_idx\.py:8:9: MG101 /m, 'linted with the default select');
    assert.match(result.stdout, /Found 2 problems \(1 warning, 1 error\) in 2 files/);
    const json = runJson([], dir);
    assert.equal(json.status, 2);
    assert.deepEqual(codes(json.findings), ['MG000', 'MG101']);
    const config = json.findings.find((finding) => finding.code === 'MG000')!;
    assert.equal(config.filename, join(dir, 'pyproject.toml'));
    assert.equal(config.severity, 'error');
    assert.match(config.url, /#mg000-invalid-configuration$/);
  });

  test('a bad value in pyproject.toml is reported on its line, once, and the rest of the config applies', () => {
    const dir = project({
      [INDEX_FILE]: indexMigration,
      [`${MIGRATIONS}/0003_run.py`]: migration(RUN_PYTHON, { prelude: FORWARDS, dependency: '0002_order_created_idx' }),
      'pyproject.toml': '[project]\nname = "shop"\n\n[tool.migration-guard]\nignore = ["MG3"]\ndatabase = "postgres-ql"\n',
    });
    const { status, findings } = runJson([], dir);
    assert.equal(status, 2);
    assert.deepEqual(codes(findings), ['MG000', 'MG101']);
    const config = findings.find((finding) => finding.code === 'MG000')!;
    assert.match(config.message, /database/);
    assert.deepEqual(config.location, { row: 6, column: 1 });
    assert.equal(run(['check', '--exit-zero'], dir).status, 0);
  });

  test('a start-after that names no migration of the app → MG000 on its entry, exit 2, and the app is still linted', () => {
    const pyproject = '[tool.migration-guard]\nselect = ["MG1"]\n\n[tool.migration-guard.start-after]\n  shop = "0O02"\n';
    const dir = project({ [INDEX_FILE]: indexMigration, 'pyproject.toml': pyproject });
    const { status, findings } = runJson([], dir);
    assert.equal(status, 2);
    assert.deepEqual(codes(findings), ['MG000', 'MG101'], 'the entry is ignored: 0002 is linted');
    const config = findings.find((finding) => finding.code === 'MG000')!;
    assert.equal(config.filename, join(dir, 'pyproject.toml'));
    assert.deepEqual(config.location, { row: 5, column: 3 });
    assert.match(config.message, /`start-after\.shop` = "0O02" names no migration of `shop`/);
    // With several threads the check is the same (the graph is the workers'; the config's problems the main thread's).
    const many = Object.fromEntries(Array.from({ length: 120 }, (_, i) => [`other/mod_${i}.py`, 'X = 1\n']));
    const large = project({ [INDEX_FILE]: indexMigration, 'pyproject.toml': pyproject, ...many });
    const parallel = runJson(['--jobs', '2'], large);
    assert.equal(parallel.status, 2);
    assert.deepEqual(codes(parallel.findings), ['MG000', 'MG101']);
    // A value that names a migration (by number or whole name) silences it and its ancestors, and is no problem.
    for (const value of ['0002', '0002_order_created_idx']) {
      const named = project({ [INDEX_FILE]: indexMigration, 'pyproject.toml': pyproject.replace('0O02', value) });
      assert.deepEqual(runJson([], named), { status: 0, findings: [], stderr: '' });
    }
  });

  test('--config FILE is used instead of the nearest pyproject.toml; a missing one → 2', () => {
    const dir = project({
      [INDEX_FILE]: bothMigration,
      'pyproject.toml': '[tool.migration-guard]\nselect = ["MG1"]\n',
      'ci/strict.toml': '[tool.migration-guard]\nselect = ["MG3"]\n',
    });
    assert.deepEqual(codes(runJson([], dir).findings), ['MG101']);
    assert.deepEqual(codes(runJson(['--config', 'ci/strict.toml'], dir).findings), ['MG301']);
    const missing = run(['check', '--config', 'ci/nope.toml'], dir);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /ci\/nope\.toml: no such file/);
  });
});

describe('selecting rules', () => {
  test('--select and --ignore take codes and prefixes, comma-separated or repeated', () => {
    const dir = project({ [INDEX_FILE]: bothMigration });
    assert.deepEqual(codes(runJson([], dir).findings), ['MG101', 'MG301']);
    assert.deepEqual(codes(runJson(['--select', 'MG3'], dir).findings), ['MG301']);
    assert.deepEqual(codes(runJson(['--select', 'mg101'], dir).findings), ['MG101']);
    assert.deepEqual(codes(runJson(['--ignore', 'MG301'], dir).findings), ['MG101']);
    assert.deepEqual(codes(runJson(['--select', 'MG1,MG3', '--ignore', 'MG301'], dir).findings), ['MG101']);
    assert.deepEqual(codes(runJson(['--select', 'MG1', '--select', 'MG3'], dir).findings), ['MG101', 'MG301']);
    assert.equal(runJson(['--ignore', 'MG'], dir).status, 0);
  });

  test('command-line flags override pyproject.toml', () => {
    const dir = project({ [INDEX_FILE]: bothMigration, 'pyproject.toml': '[tool.migration-guard]\nselect = ["MG1"]\n' });
    assert.deepEqual(codes(runJson([], dir).findings), ['MG101']);
    assert.deepEqual(codes(runJson(['--select', 'MG3'], dir).findings), ['MG301']);
  });
});

describe('suppression', () => {
  test('`# noqa: MG101` on the line where the finding starts silences it; a bare `# noqa` does not', () => {
    const noqa = indexMigration.replace('migrations.AddIndex(', 'migrations.AddIndex(  # noqa: MG101');
    const bare = indexMigration.replace('migrations.AddIndex(', 'migrations.AddIndex(  # noqa');
    const other = indexMigration.replace('migrations.AddIndex(', 'migrations.AddIndex(  # noqa: MG301');
    assert.deepEqual(runJson([], project({ [INDEX_FILE]: noqa })).findings, []);
    assert.deepEqual(codes(runJson([], project({ [INDEX_FILE]: bare })).findings), ['MG101']);
    assert.ok(codes(runJson([], project({ [INDEX_FILE]: other })).findings).includes('MG101'));
  });

  test('`# migration-guard: ignore-file` silences the file; `ignore-file[MG101]` only that rule', () => {
    const all = `# migration-guard: ignore-file\n${bothMigration}`;
    const one = `# migration-guard: ignore-file[MG101]\n${bothMigration.replace('"0001_initial"', '"0002_order_created_idx"')}`;
    const dir = project({ [INDEX_FILE]: all, [`${MIGRATIONS}/0003_one.py`]: one });
    const { findings } = runJson([], dir);
    assert.deepEqual(findings.map((finding) => [finding.filename.endsWith('0003_one.py'), finding.code]), [[true, 'MG301']]);
  });
});

describe('robustness', () => {
  test('a syntax error, a non-UTF-8 file and an oversized file: no crash, the others are still linted', () => {
    const broken = `${indexMigration}\ndef oops(:\n    return ]\n`;
    const truncated = indexMigration.slice(0, indexMigration.indexOf('index=models'));
    const latin1 = Buffer.concat([Buffer.from('# caf'), Buffer.from([0xe9]), Buffer.from(`\n${indexMigration}`)]);
    const huge = `${indexMigration}${'# padding padding padding padding padding padding padding padding padding\n'.repeat(75_000)}`;
    const dir = project({
      [`${MIGRATIONS}/0002_broken.py`]: broken,
      [`${MIGRATIONS}/0003_truncated.py`]: truncated.replace('"0001_initial"', '"0002_broken"'),
      [`${MIGRATIONS}/0004_latin1.py`]: latin1,
      [`${MIGRATIONS}/0005_huge.py`]: huge,
      [`${MIGRATIONS}/0006_fine.py`]: migration(RUN_PYTHON, { prelude: FORWARDS, dependency: '0003_truncated' }),
      [`${MIGRATIONS}/0007_binary.py`]: Buffer.from([0, 1, 2, 0xff, 0xfe, 0, 0x80]),
    });
    const result = run(['check'], dir);
    assert.equal(result.status, 1, result.stderr);
    assert.doesNotMatch(result.stderr, /internal error|failed|at .*\.js:\d+/);
    assert.match(result.stderr, /^shop\/migrations\/0004_latin1\.py: not linted: .*UTF-8/m);
    assert.match(result.stderr, /^shop\/migrations\/0005_huge\.py: not linted: .*larger than 5 MB/m);
    assert.match(result.stderr, /^shop\/migrations\/0007_binary\.py: not linted: /m);
    assert.match(result.stdout, /^shop\/migrations\/0006_fine\.py:\d+:9: MG301 /m);
    assert.match(result.stdout, /^shop\/migrations\/0002_broken\.py:8:9: MG101 /m, 'the parsed part of a file with a syntax error is linted');
    assert.match(result.stdout.trimEnd().split('\n').pop()!, /^Found 2 problems \(2 warnings\) in 2 files; .*; 3 files not linted\.$/);
    const clean = run(['check', `${MIGRATIONS}/0004_latin1.py`, `${MIGRATIONS}/0001_initial.py`], dir);
    assert.equal(clean.status, 0);
    assert.equal(clean.stdout, 'All checks passed (1 file; 1 file not linted).\n');
  });

  test('node_modules, .git, .venv, venv, site-packages and any directory with pyvenv.cfg are skipped', () => {
    const dir = project({
      [INDEX_FILE]: indexMigration,
      [`node_modules/pkg/${INDEX_FILE}`]: indexMigration,
      [`.git/${INDEX_FILE}`]: indexMigration,
      [`.venv/${INDEX_FILE}`]: indexMigration,
      [`venv/${INDEX_FILE}`]: indexMigration,
      [`lib/python3.11/site-packages/pkg/${INDEX_FILE}`]: indexMigration,
      'env-custom/pyvenv.cfg': 'home = /usr/bin\n',
      [`env-custom/lib/pkg/${INDEX_FILE}`]: indexMigration,
    });
    const { findings } = runJson([], dir);
    assert.deepEqual(findings.map((finding) => finding.filename), [join(dir, INDEX_FILE)]);
  });

  test('`exclude` globs from pyproject.toml are skipped, but a file named on the command line is linted', () => {
    const legacy = `legacy/${INDEX_FILE}`;
    const dir = project({ [INDEX_FILE]: indexMigration, [legacy]: indexMigration, 'pyproject.toml': '[tool.migration-guard]\nexclude = ["legacy/**"]\n' });
    assert.deepEqual(runJson([], dir).findings.map((finding) => finding.filename), [join(dir, INDEX_FILE)]);
    assert.deepEqual(runJson([legacy], dir).findings.map((finding) => finding.filename), [join(dir, legacy)]);
  });

  test('files that are neither migrations nor settings produce nothing', () => {
    const dir = project({ 'shop/views.py': indexMigration, 'shop/migrations_backup/0002_x.py': indexMigration, [`${MIGRATIONS}/__init__.py`]: indexMigration });
    const result = run(['check'], dir);
    assert.equal(result.status, 0, result.stdout);
    // Only 0001_initial.py is checked: the others are neither migrations nor possibly settings, so never parsed.
    assert.equal(result.stdout, 'All checks passed (1 file).\n');
  });

  test('a module is checked when it may be settings: DATABASES at module level, after a `;` or a BOM, or a settings name', () => {
    const settings = 'DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql"}}\n';
    const dir = project({
      'conf/plain.py': settings, 'conf/semicolon.py': `import os; ${settings}`, 'conf/bom.py': `\uFEFF${settings}`,
      'conf/indented.py': `if True:\n    ${settings}`, 'conf/settings.py': 'X = 1\n',
    });
    const { findings } = runJson([], dir);
    const files = new Set(findings.map((finding) => finding.filename.slice(dir.length + 1)));
    assert.deepEqual([...files].sort(), ['conf/bom.py', 'conf/plain.py', 'conf/semicolon.py']);
  });
});

describe('--fix', () => {
  test('applies safe fixes, writes the files and reports what remains', () => {
    const dir = project({ [INDEX_FILE]: indexMigration, [`${MIGRATIONS}/0003_drop.py`]: migration('        migrations.RemoveField("order", "note"),', { dependency: '0002_order_created_idx' }) });
    const result = run(['check', '--fix'], dir);
    assert.equal(result.status, 1, result.stderr);
    assert.match(result.stdout, /^Fixed 1 problem in 1 file\.$/m);
    assert.match(result.stdout, /MG202/);
    assert.doesNotMatch(result.stdout, /MG101/);
    const fixed = readFileSync(join(dir, INDEX_FILE), 'utf8');
    assert.match(fixed, /^from django\.contrib\.postgres\.operations import AddIndexConcurrently$/m);
    assert.match(fixed, /^ {4}atomic = False$/m);
    assert.match(fixed, /^ {8}AddIndexConcurrently\($/m);
    const python = spawnSync('python3', ['-c', 'import ast,sys; ast.parse(open(sys.argv[1]).read())', join(dir, INDEX_FILE)]);
    if (!python.error) assert.equal(python.status, 0, python.stderr.toString());
    const again = run(['check', '--fix', INDEX_FILE], dir);
    assert.equal(again.status, 0);
    assert.equal(readFileSync(join(dir, INDEX_FILE), 'utf8'), fixed);
  });

  test('unsafe fixes need --unsafe-fixes', () => {
    const dir = project({ [INDEX_FILE]: bothMigration });
    const safeOnly = run(['check', '--fix', '--select', 'MG1'], dir);
    assert.equal(safeOnly.status, 1);
    assert.equal(readFileSync(join(dir, INDEX_FILE), 'utf8'), bothMigration);
    assert.match(safeOnly.stdout, /1 fixable with --fix --unsafe-fixes/);
    const unsafe = run(['check', '--fix', '--unsafe-fixes', '--select', 'MG1'], dir);
    assert.equal(unsafe.status, 0, unsafe.stdout);
    assert.match(readFileSync(join(dir, INDEX_FILE), 'utf8'), /AddIndexConcurrently\(/);
  });

  test('a file with syntax errors is not fixed', () => {
    const broken = `${indexMigration}\ndef oops(:\n`;
    const dir = project({ [INDEX_FILE]: broken });
    const result = run(['check', '--fix'], dir);
    assert.match(result.stderr, /0002_order_created_idx\.py: not fixed: the file has Python syntax errors/);
    assert.equal(readFileSync(join(dir, INDEX_FILE), 'utf8'), broken);
  });
});
