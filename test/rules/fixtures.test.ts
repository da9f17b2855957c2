// Fixture-driven rule tests: test/fixtures/rules/MGxxx/*.py with `# expect: MGxxx` comments and
// *.fixed.py goldens. UPDATE_GOLDENS=1 rewrites the goldens (review the diff before committing).
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { isMigrationPath } from '../../server/src/analysis/migration';
import { fixSource } from '../../server/src/engine/fix';
import { collectPythonFiles } from '../../server/src/base/files';
import { initParser } from '../../server/src/base/parser';
import { loadSqlParser } from '../../server/src/base/sql-parser';
import { expectations, fixtureConfig, fixturePath, fixtureReadFile, found, lintFixture, syntaxProblems } from '../helpers/engine';
import { FIXTURES } from '../helpers/paths';
import { pythonSyntaxErrors } from '../helpers/python';

const RULE_FIXTURES = join(FIXTURES, 'rules');
const update = process.env.UPDATE_GOLDENS === '1';

let projectTexts: string[] | undefined;
function projectMigrationTexts(): string[] {
  projectTexts ??= collectPythonFiles([join(FIXTURES, 'projects')]).filter(isMigrationPath).map((file) => readFileSync(file, 'utf8'));
  return projectTexts;
}

// The SQL rules need PostgreSQL's parser, as the CLI and the server load it before linting RunSQL.
before(() => Promise.all([initParser(), loadSqlParser()]));

for (const code of readdirSync(RULE_FIXTURES).sort()) {
  const dir = join(RULE_FIXTURES, code);
  const cases = readdirSync(dir).filter((name) => name.endsWith('.py') && !name.endsWith('.fixed.py')).sort();

  describe(code, () => {
    test('has a fixture that triggers it and one that does not', () => {
      // Rules that need the workspace (the graph, the history) trigger in fixture projects instead.
      const texts = [...cases.map((name) => readFileSync(join(dir, name), 'utf8')), ...projectMigrationTexts()];
      assert.ok(texts.some((text) => expectations(text).some((e) => e.endsWith(`:${code}`))), `no fixture expects ${code}`);
      assert.ok(cases.some((name) => !expectations(readFileSync(join(dir, name), 'utf8')).some((e) => e.endsWith(`:${code}`))), `no safe fixture for ${code}`);
    });

    for (const name of cases) {
      test(`${name}: diagnostics match the # expect: comments`, () => {
        const text = readFileSync(join(dir, name), 'utf8');
        const result = lintFixture(name, text, undefined, fixtureReadFile(dir, name));
        assert.deepEqual(found(text, result), expectations(text), result.violations.map((v) => `${v.code}: ${v.message}`).join('\n'));
        result.tree.delete();
      });

      const golden = join(dir, name.replace(/\.py$/, '.fixed.py'));
      if (!existsSync(golden) && !update) continue;
      test(`${name}: fixes give ${name.replace(/\.py$/, '.fixed.py')}`, () => {
        const text = readFileSync(join(dir, name), 'utf8');
        const input = { path: fixturePath(name, text), text, config: fixtureConfig(text), readFile: fixtureReadFile(dir, name) };
        const fixed = fixSource(input, { unsafe: true });
        if (update && fixed.applied > 0) writeFileSync(golden, fixed.text);
        if (update && fixed.applied === 0) return;
        assert.ok(fixed.applied > 0, 'no fix was applied');
        assert.equal(fixed.text, readFileSync(golden, 'utf8'));
        assert.deepEqual(syntaxProblems(fixed.result.tree), [], 'the fixed file has tree-sitter errors');
        const fixable = lintFixture(name, text, undefined, fixtureReadFile(dir, name)).violations.filter((v) => v.fixes.length > 0);
        const remaining = fixed.result.violations.filter((v) => v.fixes.length > 0);
        assert.deepEqual(remaining.map((v) => v.code), [], `fixable diagnostics remain after the fix (${fixable.length} before)`);
        const again = fixSource({ ...input, text: fixed.text }, { unsafe: true });
        assert.equal(again.applied, 0, 'a second application changed something');
        assert.equal(again.text, fixed.text);
        fixed.result.tree.delete();
        again.result.tree.delete();
      });
    }
  });
}

test('every golden is valid Python (python3 ast.parse)', () => {
  const goldens = readdirSync(RULE_FIXTURES).flatMap((code) => readdirSync(join(RULE_FIXTURES, code))
    .filter((name) => name.endsWith('.fixed.py')).map((name) => join(RULE_FIXTURES, code, name)));
  assert.ok(goldens.length >= 5, `only ${goldens.length} goldens`);
  assert.deepEqual(pythonSyntaxErrors(goldens), {});
});
