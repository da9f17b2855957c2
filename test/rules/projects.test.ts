// Fixture projects: test/fixtures/projects/<project>/ are small Django projects (several apps, cross-app
// foreign keys, squashed migrations, a swappable user model, missing history). Every migration is linted with
// the whole project indexed, and its findings must match its `# expect: MGxxx` comments. A project may hold a
// pyproject.toml with `[tool.migration-guard]` settings. The project's settings modules are indexed too
// (MG110/MG111 read them).
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { before, describe, test } from 'node:test';
import { isMigrationPath } from '../../server/src/analysis/migration';
import { ConfigResolver } from '../../server/src/config/pyproject';
import { lintSource } from '../../server/src/engine/lint';
import { initParser } from '../../server/src/base/parser';
import { loadSqlParser } from '../../server/src/base/sql-parser';
import { expectations, found, indexProject } from '../helpers/engine';
import { FIXTURES } from '../helpers/paths';

const PROJECTS = join(FIXTURES, 'projects');

// The SQL rules need PostgreSQL's parser, as the CLI and the server load it before linting RunSQL.
before(() => Promise.all([initParser(), loadSqlParser()]));

for (const project of readdirSync(PROJECTS).sort()) {
  describe(`project ${project}`, () => {
    const root = join(PROJECTS, project);
    test('every migration\'s findings match its # expect: comments', () => {
      const { workspace, settingsIndex, files } = indexProject(root);
      const resolver = new ConfigResolver();
      const problems: string[] = [];
      let expected = 0;
      for (const file of files.filter(isMigrationPath)) {
        const text = readFileSync(file, 'utf8');
        const { config, problems: configProblems } = resolver.forFile(file);
        assert.deepEqual(configProblems, [], `config problems in ${project}`);
        const result = lintSource({ path: file, text, config, workspace, settingsIndex, onRuleError: (rule, error) => { throw new Error(`${rule.code} threw: ${(error as Error).stack}`); } });
        const want = expectations(text);
        expected += want.length;
        const got = found(text, result);
        if (JSON.stringify(got) !== JSON.stringify(want)) {
          problems.push(`${relative(root, file)}: expected [${want.join(', ')}], got [${got.join(', ')}]\n    ${result.violations.map((v) => `${v.code}: ${v.message}`).join('\n    ')}`);
        }
        result.tree.delete();
      }
      assert.deepEqual(problems, []);
      assert.ok(expected > 0, `project ${project} expects no finding at all`);
    });
  });
}
