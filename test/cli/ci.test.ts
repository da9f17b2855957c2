// The CLI in CI and pre-commit (issue 6): github annotations, --output, SARIF (validated against the vendored
// SARIF 2.1.0 schema), --fix/--diff on copies of the rule fixtures, exit codes, --since on a real git repo, and
// the pre-commit hook's entry. Everything runs the built dist/cli.js.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { after, describe, test } from 'node:test';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { ADD_INDEX, cleanup, CLI, FORWARDS, makeProject, migration, ROOT, run, RUN_PYTHON, SAFE_FIELD } from './helpers';

after(cleanup);

const MIGRATIONS = 'shop/migrations';
const INITIAL = migration(SAFE_FIELD).replace('    dependencies = [("shop", "0001_initial")]', '    initial = True\n    dependencies = []');
const ADD_INDEX_FILE = `${MIGRATIONS}/0002_order_created_idx.py`;

function project(files: Record<string, string>): string {
  return makeProject({ 'manage.py': '', [`${MIGRATIONS}/__init__.py`]: '', [`${MIGRATIONS}/0001_initial.py`]: INITIAL, ...files });
}

/**
 * The workflow-command grammar: `::LEVEL k=v,k=v::message`, with %, CR, LF escaped in the message and also
 * `:` and `,` in property values (https://docs.github.com/actions/reference/workflow-commands-for-github-actions).
 */
const GITHUB_LINE = /^::(error|warning|notice) ((?:[a-zA-Z]+=[^,:\r\n]*)(?:,[a-zA-Z]+=[^,:\r\n]*)*)::([^\r\n]*)$/;

function githubLines(stdout: string): { level: string; properties: Map<string, string>; message: string }[] {
  const lines = stdout.split('\n');
  assert.equal(lines.pop(), '', 'the output ends with a newline');
  return lines.map((line) => {
    const match = GITHUB_LINE.exec(line);
    assert.ok(match, `not a workflow command: ${line}`);
    assert.doesNotMatch(match[3], /%(?!25|0D|0A|3A|2C)/, 'a bare % in the message');
    const properties = new Map(match[2].split(',').map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]));
    return { level: match[1], properties, message: match[3] };
  });
}

const unescape = (value: string) => value.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');

describe('--format github', () => {
  test('every line follows the workflow-command grammar; %, newlines, : and , are escaped', () => {
    // A directory with `,`, `:` and `%` in its name ends up in the file= property.
    const odd = 'odd,dir:50%';
    const dir = project({
      [ADD_INDEX_FILE]: migration(ADD_INDEX),
      [`${odd}/migrations/__init__.py`]: '',
      [`${odd}/migrations/0002_x.py`]: migration(`${RUN_PYTHON}\n        migrations.RemoveField("order", "note"),`, { prelude: FORWARDS }),
    });
    const result = run(['check', '--format', 'github'], dir);
    assert.equal(result.status, 1, result.stderr);
    const lines = githubLines(result.stdout);
    // MG101 in shop; MG301 and MG202 in the odd app (whose model's history is not visible: the drop is reported).
    assert.equal(lines.length, 3, result.stdout);
    for (const line of lines) {
      assert.deepEqual([...line.properties.keys()], ['file', 'line', 'col', 'endLine', 'endColumn', 'title']);
      for (const key of ['line', 'col', 'endLine', 'endColumn']) assert.match(line.properties.get(key)!, /^[1-9]\d*$/);
      assert.match(unescape(line.properties.get('title')!), /^MG\d{3} [a-z0-9-]+$/);
    }
    const index = lines.find((line) => line.properties.get('title') === 'MG101 add-index-blocking')!;
    assert.equal(index.level, 'warning');
    assert.equal(index.properties.get('file'), ADD_INDEX_FILE);
    assert.match(unescape(index.message), /^MG101 `AddIndex`[^\n]*\nInstead, /);
    const oddFile = lines.filter((line) => unescape(line.properties.get('file')!) === `${odd}/migrations/0002_x.py`);
    assert.ok(oddFile.length >= 1, result.stdout);
    assert.equal(oddFile[0].properties.get('file'), 'odd%2Cdir%3A50%25/migrations/0002_x.py');
  });
});

describe('--output FILE', () => {
  test('the report goes to the file, the summary line to stdout', () => {
    const dir = project({ [ADD_INDEX_FILE]: migration(ADD_INDEX) });
    for (const format of ['json', 'sarif', 'github', 'text']) {
      const result = run(['check', '--format', format, '--output', `report.${format}`], dir);
      assert.equal(result.status, 1, result.stderr);
      assert.equal(result.stdout, 'Found 1 problem (1 warning) in 1 file; 1 fixable with --fix.\n');
      const report = readFileSync(join(dir, `report.${format}`), 'utf8');
      assert.equal(report, run(['check', '--format', format], dir).stdout, format);
    }
    assert.equal(run(['check', '-q', '-o', 'quiet.json', '--format', 'json'], dir).stdout, '');
  });

  test('a missing directory or a directory as the file → 2 before linting', () => {
    const dir = project({ [ADD_INDEX_FILE]: migration(ADD_INDEX) });
    const missing = run(['check', '--output', 'no/such/report.json'], dir);
    assert.equal(missing.status, 2);
    assert.match(missing.stderr, /--output no\/such\/report\.json: no such directory: no\/such/);
    const isDir = run(['check', '--output', 'shop'], dir);
    assert.equal(isDir.status, 2);
    assert.match(isDir.stderr, /--output shop: is a directory/);
  });
});

function sarifValidator() {
  // Vendored from @microsoft/jest-sarif 1.0.0-beta.0 (MIT): lib/schemas/sarif-2.1.0-rtm.5.json, the final SARIF
  // 2.1.0 schema. It is draft-04; draft-07 reads it the same once `id` is `$id` (it has no exclusiveMinimum).
  const schema = JSON.parse(readFileSync(join(ROOT, 'test', 'cli', 'sarif-schema-2.1.0.json'), 'utf8')) as Record<string, unknown>;
  delete schema.$schema;
  schema.$id = schema.id;
  delete schema.id;
  // unicodeRegExp: false, as draft-04 validators read patterns (one of the schema's is invalid with the u flag).
  const ajv = new Ajv({ strict: false, allErrors: true, unicodeRegExp: false });
  addFormats(ajv);
  return ajv.compile(schema);
}

interface SarifResult {
  ruleId: string;
  ruleIndex: number;
  level: string;
  message: { text: string };
  locations: { physicalLocation: { artifactLocation: { uri: string; uriBaseId?: string }; region: Record<string, number> } }[];
  relatedLocations?: unknown[];
  fixes?: { artifactChanges: { replacements: { deletedRegion: Record<string, number>; insertedContent: { text: string } }[] }[] }[];
}
interface SarifLog {
  version: string;
  runs: { tool: { driver: { name: string; version: string; informationUri: string; rules: Record<string, any>[] } }; originalUriBaseIds: Record<string, { uri: string }>; results: SarifResult[] }[];
}

function sarif(args: string[], cwd: string): { status: number | null; log: SarifLog } {
  const result = run(['check', ...args, '--format', 'sarif'], cwd);
  const log = JSON.parse(result.stdout) as SarifLog;
  const validate = sarifValidator();
  assert.ok(validate(log), JSON.stringify(validate.errors, null, 2));
  return { status: result.status, log };
}

describe('--format sarif', () => {
  test('validates against the SARIF 2.1.0 schema: rules with docs, results with 1-based regions, related locations and fixes', () => {
    const dir = project({
      [ADD_INDEX_FILE]: migration(ADD_INDEX),
      [`${MIGRATIONS}/0003_data.py`]: migration(RUN_PYTHON, { prelude: FORWARDS, dependency: '0002_order_created_idx' }),
    });
    const { status, log } = sarif([], dir);
    assert.equal(status, 1);
    assert.equal(log.version, '2.1.0');
    assert.equal(log.runs.length, 1);
    const [runLog] = log.runs;
    const { driver } = runLog.tool;
    assert.equal(driver.name, 'migration-guard');
    assert.match(driver.version, /^\d+\.\d+\.\d+/);
    assert.match(driver.informationUri, /^https:\/\//);
    const mg101 = driver.rules.find((rule) => rule.id === 'MG101')!;
    assert.equal(mg101.name, 'add-index-blocking');
    assert.ok(mg101.shortDescription.text.length > 10);
    assert.ok(mg101.fullDescription.text.length > 10);
    assert.match(mg101.help.markdown, /^## MG101 add-index-blocking/);
    assert.match(mg101.help.text, /Use instead:/);
    assert.match(mg101.helpUri, /docs\/rules\.md#mg101-add-index-blocking$/);
    assert.equal(mg101.defaultConfiguration.level, 'warning');
    assert.ok(driver.rules.some((rule) => rule.id === 'MG000'), 'configuration problems have a rule too');
    assert.match(runLog.originalUriBaseIds['%SRCROOT%'].uri, /^file:\/\/.*\/$/);

    const index = runLog.results.find((result) => result.ruleId === 'MG101')!;
    assert.equal(driver.rules[index.ruleIndex].id, 'MG101');
    assert.equal(index.level, 'warning');
    assert.match(index.message.text, /^`AddIndex`/);
    const location = index.locations[0].physicalLocation;
    assert.deepEqual(location.artifactLocation, { uri: ADD_INDEX_FILE, uriBaseId: '%SRCROOT%' });
    assert.deepEqual(location.region, { startLine: 8, startColumn: 9, endLine: 11, endColumn: 10 });
    assert.ok(index.fixes && index.fixes[0].artifactChanges[0].replacements.some((replacement) => replacement.insertedContent.text === 'AddIndexConcurrently'));
    const data = runLog.results.find((result) => result.ruleId === 'MG301')!;
    assert.ok(data, JSON.stringify(runLog.results.map((result) => result.ruleId)));
    assert.equal(data.locations[0].physicalLocation.artifactLocation.uri, `${MIGRATIONS}/0003_data.py`);
    assert.equal(data.fixes?.[0].artifactChanges[0].replacements.length, 1);
  });

  test('related locations (two leaves: MG501) are valid and point at the other file', () => {
    const dir = project({
      [`${MIGRATIONS}/0002_a.py`]: migration(SAFE_FIELD.replace('note', 'memo_a')),
      [`${MIGRATIONS}/0002_b.py`]: migration(SAFE_FIELD.replace('note', 'memo_b')),
    });
    const { log } = sarif([], dir);
    const withRelated = log.runs[0].results.filter((result) => (result.relatedLocations ?? []).length > 0);
    assert.ok(withRelated.length > 0, JSON.stringify(log.runs[0].results.map((result) => result.ruleId)));
    const related = withRelated[0].relatedLocations![0] as { physicalLocation: { artifactLocation: { uri: string; uriBaseId: string }; region: { startLine: number } }; message: { text: string } };
    assert.match(related.physicalLocation.artifactLocation.uri, /^shop\/migrations\/0002_[ab]\.py$/);
    assert.equal(related.physicalLocation.artifactLocation.uriBaseId, '%SRCROOT%');
    assert.ok(related.physicalLocation.region.startLine >= 1);
    assert.ok(related.message.text.length > 0);
  });

  test('no findings: an empty results array, still valid', () => {
    const dir = project({});
    const { status, log } = sarif([], dir);
    assert.equal(status, 0);
    assert.deepEqual(log.runs[0].results, []);
  });
});

function tomlValue(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(tomlValue).join(', ')}]`;
  if (value && typeof value === 'object') return `{ ${Object.entries(value).map(([key, item]) => `${key} = ${tomlValue(item)}`).join(', ')} }`;
  return JSON.stringify(value);
}

/** A fixture copied where the rule tests lint it (its `# path:` or shop/migrations/NAME), with its test-config and models. */
function fixtureProject(code: string, name: string): { dir: string; file: string } {
  const text = readFileSync(join(ROOT, 'test', 'fixtures', 'rules', code, name), 'utf8');
  const named = /^# path: (\S+\.py)\s*$/m.exec(text.split('\n', 3).join('\n'));
  const file = named ? named[1] : `${MIGRATIONS}/${name}`;
  const config = /^# test-config: (\{.*\})\s*$/m.exec(text);
  const pyproject = config
    ? `[tool.migration-guard]\n${Object.entries(JSON.parse(config[1]) as Record<string, unknown>)
      .map(([key, value]) => `${key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)} = ${tomlValue(value)}`).join('\n')}\n`
    : '[tool.migration-guard]\n';
  const dir = makeProject({ 'pyproject.toml': pyproject });
  mkdirSync(dirname(join(dir, file)), { recursive: true });
  copyFileSync(join(ROOT, 'test', 'fixtures', 'rules', code, name), join(dir, file));
  // The fixture's models.py, which a fix that changes a field edits too (see fixtureReadFile).
  const models = join(ROOT, 'test', 'fixtures', 'rules', code, 'models', name);
  if (existsSync(models)) copyFileSync(models, join(dir, 'shop', 'models.py'));
  return { dir, file };
}

describe('--fix and --diff on copies of the rule fixtures', () => {
  const rulesDir = join(ROOT, 'test', 'fixtures', 'rules');
  const cases = readdirSync(rulesDir).sort().flatMap((code) => readdirSync(join(rulesDir, code))
    .filter((name) => name.endsWith('.fixed.py')).map((golden) => ({ code, name: golden.replace(/\.fixed\.py$/, '.py'), golden })));

  test('there are goldens', () => assert.ok(cases.length >= 20, `${cases.length}`));

  for (const { code, name, golden } of cases) {
    test(`${code}/${name}: --diff writes nothing; --fix --unsafe-fixes gives ${golden}; a second run changes nothing`, () => {
      const { dir, file } = fixtureProject(code, name);
      const original = readFileSync(join(dir, file), 'utf8');
      const expected = readFileSync(join(rulesDir, code, golden), 'utf8');
      const diff = run(['check', file, '--diff', '--unsafe-fixes'], dir);
      assert.equal(readFileSync(join(dir, file), 'utf8'), original, '--diff wrote the file');
      assert.equal(diff.status, 1, diff.stderr);
      assert.ok(diff.stdout.startsWith(`--- a/${file}\n+++ b/${file}\n@@ `), diff.stdout);
      assert.match(diff.stderr, /^Would fix [1-9]\d* problems? in 1 file; /m);
      // Applying the diff's + and context lines gives the golden (checked by `git apply` when git is there).
      const patch = spawnSync('git', ['apply', '--check', '-'], { cwd: dir, input: diff.stdout, encoding: 'utf8' });
      if (!patch.error) assert.equal(patch.status, 0, patch.stderr);

      const fixed = run(['check', file, '--fix', '--unsafe-fixes', '--exit-zero'], dir);
      assert.equal(fixed.status, 0, fixed.stderr);
      assert.match(fixed.stdout, /^Fixed [1-9]\d* problems? in 1 file\.$/m);
      assert.equal(readFileSync(join(dir, file), 'utf8'), expected);

      const again = run(['check', file, '--fix', '--unsafe-fixes', '--exit-zero'], dir);
      assert.doesNotMatch(again.stdout, /^Fixed/m);
      assert.equal(readFileSync(join(dir, file), 'utf8'), expected);
      const noDiff = run(['check', file, '--diff', '--unsafe-fixes'], dir);
      assert.equal(noDiff.stdout, '');
      assert.match(noDiff.stderr, /^Would fix 0 problems in 0 files;/m);
    });
  }

});
