// "Rewrite as safe steps", verified on fixture projects with history: the rewritten migration and its follow-ups
// lint clean with the workspace, parse (tree-sitter and Python's `ast`), their SQL parses with PostgreSQL's
// parser, the files are numbered and chained like makemigrations, and what cannot be rewritten says why.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { argument, parseMigration } from '../../server/src/analysis/migration';
import { literal } from '../../server/src/analysis/syntax';
import { ConfigResolver } from '../../server/src/config/pyproject';
import { initParser, parsePython } from '../../server/src/base/parser';
import { loadSqlParser, parseSql } from '../../server/src/base/sql-parser';
import { planRewrite } from '../../server/src/rewrite';
import { syntaxProblems } from '../helpers/engine';
import { pythonSyntaxErrors } from '../helpers/python';
import { CASES, copyProject, indexDir, lintFile, rewriteProject } from './helpers';

const dirs: string[] = [];

before(async () => {
  await initParser();
  assert.ok(await loadSqlParser(), 'the SQL parser loads');
});

after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function migrationsOf(dir: string): string[] {
  const folder = join(dir, 'shop', 'migrations');
  return readdirSync(folder).filter((name) => /^\d{4}_.*\.py$/.test(name)).sort().map((name) => join(folder, name));
}

for (const testCase of CASES) {
  describe(`rewrite of ${testCase.code} (${testCase.project})`, () => {
    let dir: string;
    let created: string[];

    before(() => {
      dir = copyProject(testCase.project);
      dirs.push(dir);
      created = rewriteProject(dir, testCase).files.map((file) => file.path);
    });

    test('the whole sequence lints clean with the workspace: no warning or error, and the finding is gone', () => {
      const workspace = indexDir(dir);
      for (const path of migrationsOf(dir)) {
        const result = lintFile(path, workspace);
        result.tree.delete();
        const serious = result.violations.filter((violation) => violation.severity !== 'info');
        assert.deepEqual(serious.map((violation) => `${basename(path)}: ${violation.code} ${violation.message}`), []);
      }
    });

    test('follow-ups are numbered after the app\'s last migration, each depending on the one before', () => {
      const names = migrationsOf(dir).map((path) => basename(path, '.py'));
      assert.equal(names.length, 2 + created.length);
      created.forEach((path, i) => {
        assert.equal(dirname(path), join(dir, 'shop', 'migrations'));
        assert.match(basename(path), new RegExp(`^000${3 + i}_[a-z0-9_]+\\.py$`));
        const tree = parsePython(readFileSync(path, 'utf8'));
        const migration = parseMigration(path, tree.rootNode)!;
        assert.deepEqual(migration.dependencies.map((dependency) => `${dependency.app}.${dependency.name}`), [`shop.${names[1 + i]}`]);
        tree.delete();
      });
    });

    test('every file parses with tree-sitter and with Python\'s ast', () => {
      for (const path of migrationsOf(dir)) {
        const tree = parsePython(readFileSync(path, 'utf8'));
        assert.deepEqual(syntaxProblems(tree), [], path);
        tree.delete();
      }
      assert.deepEqual(pythonSyntaxErrors(migrationsOf(dir)), {});
    });

    test('every SQL string (forward and reverse) parses with PostgreSQL\'s parser', () => {
      let count = 0;
      for (const path of migrationsOf(dir)) {
        const tree = parsePython(readFileSync(path, 'utf8'));
        const migration = parseMigration(path, tree.rootNode)!;
        for (const op of migration.operations.filter((candidate) => candidate.kind === 'RunSQL')) {
          for (const name of ['sql', 'reverse_sql']) {
            // `RunSQL.noop`: nothing to undo (VALIDATE CONSTRAINT).
            if (name === 'reverse_sql' && argument(op, name)?.text === 'migrations.RunSQL.noop') continue;
            const value = literal(argument(op, name));
            assert.equal(value.kind, 'string', `${path}: ${name} is a literal string`);
            const parsed = parseSql(value.kind === 'string' ? value.value : '');
            assert.ok(parsed?.ok && parsed.statements.length === 1, `${path}: ${name} parses: ${JSON.stringify(parsed)}`);
            count++;
          }
        }
        tree.delete();
      }
      assert.ok(count > 0 || testCase.project === 'set-not-null' || testCase.project === 'rename-field' || testCase.project === 'rename-model', 'the SQL strings were found');
    });
  });
}

describe('rewrites of the forms real projects write', () => {
  test('MG201: a field whose only argument is `default=` becomes `null=True` alone (found on healthchecks: `IntegerField(default=100)`)', () => {
    const dir = copyProject('add-not-null');
    dirs.push(dir);
    const path = join(dir, 'shop/migrations/0002_order_status.py');
    writeFileSync(path, readFileSync(path, 'utf8').replace('models.CharField(default="new", max_length=20)', 'models.IntegerField(default=100)'));
    writeFileSync(join(dir, 'shop/models.py'), readFileSync(join(dir, 'shop/models.py'), 'utf8').replace('models.CharField(default="new", max_length=20)', 'models.IntegerField(default=100)'));
    const rewrite = rewriteProject(dir, CASES.find((c) => c.project === 'add-not-null')!);
    const text = readFileSync(path, 'utf8');
    assert.match(text, /field=models\.IntegerField\(null=True\),/);
    assert.deepEqual(pythonSyntaxErrors([path, ...rewrite.files.map((file) => file.path)]), {});
    assert.match(rewrite.files[0].text, /\.update\(status=100\)/);
    assert.match(rewrite.files[3].text, /field=models\.IntegerField\(default=100\),/);
  });
});

describe('before Django 4.0 (no AddConstraintNotValid, ValidateConstraint)', () => {
  for (const project of ['set-not-null-django32', 'add-not-null-django32']) {
    test(`${project}: the CHECK is added NOT VALID and validated through RunSQL, the state told through SeparateDatabaseAndState`, () => {
      const dir = copyProject(project);
      dirs.push(dir);
      const testCase = CASES.find((c) => c.project === project)!;
      const rewrite = rewriteProject(dir, testCase);
      const texts = [readFileSync(join(dir, testCase.migration), 'utf8'), ...rewrite.files.map((file) => file.text)];
      assert.doesNotMatch(texts.join('\n'), /AddConstraintNotValid|ValidateConstraint|django\.contrib\.postgres/);
      // MG106: steps 1–3; MG201: its steps 3–5 (after the nullable AddField and the backfill).
      const [add, validate, alter] = texts.slice(testCase.code === 'MG106' ? 0 : 2);
      assert.match(add, /SeparateDatabaseAndState\(\s*database_operations=\[\s*migrations\.RunSQL\(\s*sql='ALTER TABLE "shop_order" ADD CONSTRAINT "order_\w+_not_null" CHECK \("\w+" IS NOT NULL\) NOT VALID',\s*reverse_sql='ALTER TABLE "shop_order" DROP CONSTRAINT "order_\w+_not_null"'/);
      assert.match(add, /state_operations=\[\s*migrations\.AddConstraint\(\s*model_name="order",\s*constraint=models\.CheckConstraint\(check=models\.Q\(\w+__isnull=False\)/);
      assert.match(validate, /migrations\.RunSQL\(\s*sql='ALTER TABLE "shop_order" VALIDATE CONSTRAINT "order_\w+_not_null"',\s*reverse_sql=migrations\.RunSQL\.noop/);
      assert.match(alter, /migrations\.AlterField\([\s\S]*migrations\.RemoveConstraint\(/);
    });
  }
});

describe('what is not rewritten says why', () => {
  test('a migration that is not the latest of its app gets a reason naming the one after it', () => {
    const dir = copyProject('set-not-null');
    dirs.push(dir);
    const later = join(dir, 'shop', 'migrations', '0003_later.py');
    writeFileSync(later, 'from django.db import migrations\n\n\nclass Migration(migrations.Migration):\n    dependencies = [("shop", "0002_alter_order_note")]\n    operations = []\n');
    const path = join(dir, CASES[0].migration);
    const text = readFileSync(path, 'utf8');
    const { config } = new ConfigResolver({}).forFile(path);
    const outcome = planRewrite({ path, text, config, workspace: indexDir(dir), code: 'MG106', offset: text.indexOf('migrations.AlterField') });
    assert.ok(outcome && !outcome.ok);
    assert.match(outcome.reason, /`0002_alter_order_note` is not the latest migration of `shop` \(`0003_later` comes after it\)/);
  });

  test('without the workspace (the history unknown), or before PostgreSQL 12, the rewrite is not offered', () => {
    const dir = copyProject('set-not-null');
    dirs.push(dir);
    const path = join(dir, CASES[0].migration);
    const text = readFileSync(path, 'utf8');
    const { config } = new ConfigResolver({}).forFile(path);
    const offset = text.indexOf('migrations.AlterField');
    const alone = planRewrite({ path, text, config, code: 'MG106', offset });
    assert.ok(alone && !alone.ok && /not indexed/.test(alone.reason));
    const oldPostgres = planRewrite({ path, text, config: { ...config, postgresVersion: 11 }, workspace: indexDir(dir), code: 'MG106', offset });
    assert.ok(oldPostgres && !oldPostgres.ok && /PostgreSQL 12/.test(oldPostgres.reason));
  });

  test('the app\'s next free number unknown (a numbered file that is no migration, a migration depended on but missing): no follow-ups are numbered', () => {
    const cases: [(dir: string, path: string) => void, RegExp][] = [
      [(dir) => writeFileSync(join(dir, 'shop', 'migrations', '0003_notes.py'), '# notes, no migration\n'),
        /`0003_notes\.py` in the migrations folder of `shop` is not a migration the workspace could read/],
      [(_dir, path) => writeFileSync(path, readFileSync(path, 'utf8').replace('("shop", "0001_initial"),', '("shop", "0001_initial"),\n        ("shop", "0003_gone"),')),
        /`shop\.0003_gone`, which a migration depends on, is not in the workspace: the next free number of `shop` is not known/],
    ];
    for (const [change, reason] of cases) {
      const dir = copyProject('set-not-null');
      dirs.push(dir);
      const path = join(dir, CASES[0].migration);
      change(dir, path);
      const text = readFileSync(path, 'utf8');
      const { config } = new ConfigResolver({}).forFile(path);
      const outcome = planRewrite({ path, text, config, workspace: indexDir(dir), code: 'MG106', offset: text.indexOf('migrations.AlterField') });
      assert.ok(outcome && !outcome.ok, JSON.stringify(outcome));
      assert.match(outcome.reason, reason);
    }
  });

  test('MG103 with operations after it: not rewritten (the constraint, moved to its own migration, would run after them), and says so; index operations alone stay with it (atomic = False changes nothing for them)', () => {
    const plan = (after: string) => {
      const dir = copyProject('unique-constraint');
      dirs.push(dir);
      const path = join(dir, 'shop/migrations/0002_order_order_reference_uniq.py');
      writeFileSync(path, readFileSync(path, 'utf8').replace(/\n    \]\n$/, `\n${after}    ]\n`));
      const text = readFileSync(path, 'utf8');
      const { config } = new ConfigResolver({}).forFile(path);
      return planRewrite({ path, text, config, workspace: indexDir(dir), code: 'MG103', offset: text.indexOf('migrations.AddConstraint') });
    };
    const later = plan('        migrations.AlterModelOptions(name="order", options={"ordering": ["reference"]}),\n');
    assert.ok(later && !later.ok);
    assert.match(later.reason, /the migration has operations after this one, which would then run before it: move it into a migration of its own/);
    const index = plan('        migrations.RunSQL("CREATE INDEX CONCURRENTLY order_note_idx ON shop_order (note)", reverse_sql="DROP INDEX CONCURRENTLY order_note_idx"),\n');
    assert.ok(index?.ok, JSON.stringify(index));
    assert.deepEqual(index.rewrite.files, []);
    assert.ok(index.rewrite.edits.some((edit) => /atomic = False/.test(edit.text)));
  });

  test('MG103 on an AlterUniqueTogether that adds two sets, or removes one: says why', () => {
    for (const [together, reason] of [
      ['{("reference", "note"), ("note",)}', /adds 2 sets: the rewrite is written for one/],
      ['set()', /removes a set too/],
    ] as const) {
      const dir = copyProject('unique-together');
      dirs.push(dir);
      const path = join(dir, 'shop/migrations/0002_alter_order_unique_together.py');
      // For the removal, 0001 gets the set first.
      if (together === 'set()') {
        const initial = join(dir, 'shop/migrations/0001_initial.py');
        writeFileSync(initial, readFileSync(initial, 'utf8').replace(/\n            \],\n        \),/, '\n            ],\n            options={"unique_together": {("reference", "note")}},\n        ),'));
      }
      writeFileSync(path, readFileSync(path, 'utf8').replace('{("reference", "note")}', together));
      const text = readFileSync(path, 'utf8');
      const { config } = new ConfigResolver({}).forFile(path);
      const outcome = planRewrite({ path, text, config, workspace: indexDir(dir), code: 'MG103', offset: text.indexOf('migrations.AlterUniqueTogether') });
      assert.ok(outcome && !outcome.ok, `${together}: ${JSON.stringify(outcome)}`);
      assert.match(outcome.reason, reason);
    }
  });

  test('MG105 on an AddField of a NOT NULL foreign key: says which route comes first', () => {
    for (const [field, reason] of [
      ['models.ForeignKey(db_index=False, default=1', /the new column is NOT NULL: make it nullable first \(MG201\)/],
      ['models.ForeignKey(default=1', /the new column is NOT NULL: make it nullable first \(MG201\)/],
    ] as const) {
      const dir = copyProject('foreign-key-add');
      dirs.push(dir);
      const path = join(dir, 'shop/migrations/0002_order_coupon.py');
      writeFileSync(path, readFileSync(path, 'utf8').replace('models.ForeignKey(db_index=False, default=1, null=True', field));
      const text = readFileSync(path, 'utf8');
      const { config } = new ConfigResolver({}).forFile(path);
      const outcome = planRewrite({ path, text, config, workspace: indexDir(dir), code: 'MG105', offset: text.indexOf('migrations.AddField') });
      assert.ok(outcome && !outcome.ok, `${field}: ${JSON.stringify(outcome)}`);
      assert.match(outcome.reason, reason);
    }
  });

  test('a code without a rewrite, or an offset outside any operation, gives nothing', () => {
    const dir = copyProject('set-not-null');
    dirs.push(dir);
    const path = join(dir, CASES[0].migration);
    const text = readFileSync(path, 'utf8');
    const { config } = new ConfigResolver({}).forFile(path);
    assert.equal(planRewrite({ path, text, config, workspace: indexDir(dir), code: 'MG101', offset: text.indexOf('migrations.AlterField') }), undefined);
    assert.equal(planRewrite({ path, text, config, workspace: indexDir(dir), code: 'MG106', offset: 0 }), undefined);
  });
});
