// Settings fixture folders: test/fixtures/settings/<case>/ hold settings modules (a split base.py +
// production.py, dj_database_url, env.db, MySQL…). Every settings module is linted with the folder's
// SettingsIndex (so star imports and entry points are known) and its findings must match its
// `# expect: MGxxx` comments. A folder may hold a pyproject.toml with `[tool.migration-guard]`.
import assert from 'node:assert/strict';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { before, describe, test } from 'node:test';
import { ConfigResolver } from '../../server/src/config/pyproject';
import { lintSource } from '../../server/src/engine/lint';
import { initParser } from '../../server/src/base/parser';
import { expectations, found, indexProject } from '../helpers/engine';
import { FIXTURES } from '../helpers/paths';

const CASES = join(FIXTURES, 'settings');

before(() => initParser());

for (const name of existsSync(CASES) ? readdirSync(CASES).sort() : []) {
  describe(`settings ${name}`, () => {
    test('every settings module\'s findings match its # expect: comments', () => {
      const root = join(CASES, name);
      const { workspace, settingsIndex, files } = indexProject(root);
      const resolver = new ConfigResolver();
      const problems: string[] = [];
      let linted = 0;
      for (const file of files) {
        if (!settingsIndex.module(file)) continue;
        linted++;
        const text = readFileSync(file, 'utf8');
        const { config, problems: configProblems } = resolver.forFile(file);
        assert.deepEqual(configProblems, [], `config problems in ${name}`);
        const result = lintSource({ path: file, text, config, workspace, settingsIndex, onRuleError: (rule, error) => { throw new Error(`${rule.code} threw: ${(error as Error).stack}`); } });
        const want = expectations(text);
        const got = found(text, result);
        if (JSON.stringify(got) !== JSON.stringify(want)) {
          problems.push(`${relative(root, file)}: expected [${want.join(', ')}], got [${got.join(', ')}]\n    ${result.violations.map((v) => `${v.code}: ${v.message}`).join('\n    ')}`);
        }
        result.tree.delete();
      }
      assert.ok(linted > 0, `no settings module found in ${name}`);
      assert.deepEqual(problems, []);
    });
  });
}
