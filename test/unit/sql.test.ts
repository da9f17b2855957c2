// The SQL of RunSQL read from the Python source (every form Django accepts) and each statement mapped back to
// its exact range in the source, with PostgreSQL's real parser (libpg-query) and real tree-sitter.
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { parseMigration } from '../../server/src/analysis/migration';
import { knownStatements, runSql, Utf8Offsets, MAX_SQL_CHARS, type SqlArgument, type SqlPiece } from '../../server/src/analysis/sql';
import { initParser, parsePython } from '../../server/src/base/parser';
import { loadSqlParser } from '../../server/src/base/sql-parser';
import { LineIndex } from '../../server/src/base/text';
import { lintSource } from '../../server/src/engine/lint';
import { defaultConfig } from '../../server/src/config/defaults';

before(async () => {
  await initParser();
  assert.equal(await loadSqlParser(), true);
});

/** A migration whose operations are `operations` (one Python expression each), after `prelude` at module level. */
function migration(operations: string[], prelude: string[] = [], newline = '\n'): string {
  return [
    'from django.db import migrations', ...prelude, '', '',
    'class Migration(migrations.Migration):', '    operations = [',
    ...operations.map((op) => `        ${op},`), '    ]', '',
  ].join(newline);
}

function runSqlOf(text: string, index = 0) {
  const parsed = parseMigration('/p/shop/migrations/0002_x.py', parsePython(text).rootNode);
  const ops = parsed!.operations.filter((op) => op.kind === 'RunSQL');
  return runSql(ops[index], text);
}

function pieces(argument: SqlArgument): SqlPiece[] {
  assert.equal(argument.kind, 'pieces', `expected pieces, got ${argument.kind}`);
  return (argument as Extract<SqlArgument, { kind: 'pieces' }>).pieces;
}

/** The source text each statement's range covers. */
function statementSources(text: string, argument: SqlArgument): string[] {
  const statements = knownStatements(argument);
  assert.ok(statements, 'every piece parsed');
  return statements.map((statement) => text.slice(statement.range.start, statement.range.end));
}

describe('SQL sources of RunSQL', () => {
  test('a string, positional or keyword; reverse_sql too', () => {
    const text = migration([
      'migrations.RunSQL("CREATE INDEX a ON t (x)", "DROP INDEX a")',
      'migrations.RunSQL(reverse_sql="DROP INDEX b", sql="CREATE INDEX b ON t (x)")',
    ]);
    assert.deepEqual(statementSources(text, runSqlOf(text).sql), ['CREATE INDEX a ON t (x)']);
    assert.deepEqual(statementSources(text, runSqlOf(text).reverse), ['DROP INDEX a']);
    assert.deepEqual(statementSources(text, runSqlOf(text, 1).sql), ['CREATE INDEX b ON t (x)']);
    assert.deepEqual(statementSources(text, runSqlOf(text, 1).reverse), ['DROP INDEX b']);
  });

  test('several statements in one string, each with its own range (without the `;`, comments skipped)', () => {
    const text = migration(['migrations.RunSQL("SET lock_timeout = \'4s\';  -- first\\n/* a /* nested */ one */ UPDATE t SET a = 1;")']);
    const sources = statementSources(text, runSqlOf(text).sql);
    assert.deepEqual(sources, ["SET lock_timeout = '4s'", 'UPDATE t SET a = 1']);
  });

  test('implicit concatenation and + of literals', () => {
    const text = migration([
      'migrations.RunSQL("ALTER TABLE t " "ADD COLUMN c int")',
      'migrations.RunSQL("ALTER TABLE t " + "DROP COLUMN c" + ";")',
    ]);
    assert.deepEqual(statementSources(text, runSqlOf(text).sql), ['ALTER TABLE t " "ADD COLUMN c int']);
    assert.deepEqual(statementSources(text, runSqlOf(text, 1).sql), ['ALTER TABLE t " + "DROP COLUMN c']);
  });

  test('triple-quoted strings: a statement starts on its own row inside the string', () => {
    const text = migration(['migrations.RunSQL(\n            """\n            SET lock_timeout = \'1s\';\n            CREATE INDEX i ON t (x);\n            """\n        )']);
    const statements = knownStatements(runSqlOf(text).sql)!;
    const lines = new LineIndex(text);
    const rows = statements.map((s) => lines.rowColumn(s.range.start));
    const textRows = text.split('\n');
    assert.equal(textRows[rows[1].row - 1].trim(), 'CREATE INDEX i ON t (x);');
    assert.equal(rows[1].column, textRows[rows[1].row - 1].indexOf('CREATE') + 1);
  });

  test('escapes: \\n, \\t, \\x41, \\u00e9, \\\\, a backslash-newline; ranges still cover the source', () => {
    const text = migration(['migrations.RunSQL("SELECT 1;\\n\\tUPDATE t SET a = \'\\u00e9\\x41\\\\\';\\\n DELETE FROM t WHERE a = 1")']);
    const sql = pieces(runSqlOf(text).sql)[0].sql.text;
    assert.equal(sql, "SELECT 1;\n\tUPDATE t SET a = 'éA\\'; DELETE FROM t WHERE a = 1");
    assert.deepEqual(statementSources(text, runSqlOf(text).sql), ['SELECT 1', "UPDATE t SET a = '\\u00e9\\x41\\\\'", 'DELETE FROM t WHERE a = 1']);
  });

  test('raw strings keep backslashes', () => {
    const text = migration(['migrations.RunSQL(r"UPDATE t SET a = E\'\\n\' WHERE b")']);
    assert.equal(pieces(runSqlOf(text).sql)[0].sql.text, "UPDATE t SET a = E'\\n' WHERE b");
  });

  test('a list or tuple of strings: each item is executed (and parsed) on its own', () => {
    const text = migration(['migrations.RunSQL(["CREATE TABLE a (id int)", "SELEC 1", "DROP TABLE a"], ("DROP TABLE x",))']);
    const [first, second, third] = pieces(runSqlOf(text).sql);
    assert.equal(first.parsed.ok, true);
    assert.equal(second.parsed.ok, false);
    assert.equal(third.parsed.ok, true);
    assert.equal(knownStatements(runSqlOf(text).sql), undefined, 'a piece that does not parse makes the statements unknown');
    assert.deepEqual(statementSources(text, runSqlOf(text).reverse), ['DROP TABLE x']);
  });

  test('(sql, params) pairs: placeholders filled, %% read as % only with params', () => {
    const text = migration([
      'migrations.RunSQL([("UPDATE t SET a = %s WHERE b LIKE \'x%%\' AND c = %(c)s", [1, {"c": 2}]), ("SELECT \'%%\'", None), "SELECT \'%%\'"])',
    ]);
    const [withParams, withNone, plain] = pieces(runSqlOf(text).sql);
    assert.equal(withParams.params, true);
    assert.equal(withParams.sql.text, "UPDATE t SET a = '' WHERE b LIKE 'x%' AND c = ''");
    assert.equal(withParams.parsed.ok, true);
    assert.equal(withNone.params, false);
    assert.equal(withNone.sql.text, "SELECT '%%'");
    assert.equal(plain.sql.text, "SELECT '%%'");
    const [statement] = knownStatements(runSqlOf(text).sql)!;
    assert.equal(text.slice(statement.range.start, statement.range.end), "UPDATE t SET a = %s WHERE b LIKE 'x%%' AND c = %(c)s");
  });

  test('a module-level constant (string or list), also for reverse_sql', () => {
    const text = migration(['migrations.RunSQL(FORWARD, BACKWARD)'], ['FORWARD = """', 'CREATE INDEX i ON t (x);', '"""', 'BACKWARD = ["DROP INDEX i"]']);
    assert.deepEqual(statementSources(text, runSqlOf(text).sql), ['CREATE INDEX i ON t (x)']);
    assert.deepEqual(statementSources(text, runSqlOf(text).reverse), ['DROP INDEX i']);
  });

  test('SQL that cannot be known statically is skipped: f-string with an expression, a call, open().read(), a name assigned twice', () => {
    const text = migration([
      'migrations.RunSQL(f"DROP TABLE {name}")',
      'migrations.RunSQL(build_sql())',
      'migrations.RunSQL(open("x.sql").read())',
      'migrations.RunSQL(TWICE)',
      'migrations.RunSQL(["SELECT 1", some_call()])',
      'migrations.RunSQL(b"SELECT 1")',
    ], ['name = "x"', 'TWICE = "SELECT 1"', 'TWICE = "SELECT 2"']);
    for (let i = 0; i < 6; i++) assert.equal(runSqlOf(text, i).sql.kind, 'unknown', `operation ${i}`);
  });

  test('an f-string without expressions is a constant: {{ is {', () => {
    const text = migration(['migrations.RunSQL(f"SELECT \'{{}}\'")']);
    assert.equal(pieces(runSqlOf(text).sql)[0].sql.text, "SELECT '{}'");
  });

  test('RunSQL.noop and an absent reverse_sql', () => {
    const text = migration(['migrations.RunSQL("SELECT 1", migrations.RunSQL.noop)', 'migrations.RunSQL("SELECT 1")']);
    assert.equal(runSqlOf(text).reverse.kind, 'noop');
    assert.equal(runSqlOf(text, 1).reverse.kind, 'absent');
  });

  test('a syntax error: the parser\'s message, at the token it names, in the source', () => {
    const text = migration(['migrations.RunSQL("ALTER TABLE x ADD COLUM y int")']);
    const [piece] = pieces(runSqlOf(text).sql);
    assert.equal(piece.parsed.ok, false);
    const error = (piece.parsed as { error: { message: string; range: { start: number; end: number } } }).error;
    assert.equal(error.message, 'syntax error at or near "int"');
    assert.equal(text.slice(error.range.start, error.range.end), 'int');
  });

  test('non-ASCII text before a statement or an error: byte and code point offsets map to JS indexes', () => {
    const text = migration([
      'migrations.RunSQL("UPDATE t SET a = \'café 🚀 ☕\' WHERE b; DELETE FROM t WHERE c = \'é\'")',
      'migrations.RunSQL("SELECT \'🚀é\'; SELEC 1")',
    ]);
    assert.deepEqual(statementSources(text, runSqlOf(text).sql), ["UPDATE t SET a = 'café 🚀 ☕' WHERE b", "DELETE FROM t WHERE c = 'é'"]);
    const [piece] = pieces(runSqlOf(text, 1).sql);
    const error = (piece.parsed as { error: { range: { start: number; end: number } } }).error;
    assert.equal(text.slice(error.range.start, error.range.end), 'SELEC');
  });

  test('CRLF files: a triple-quoted string reads \\r\\n as \\n, and ranges point into the CRLF text', () => {
    const text = migration(['migrations.RunSQL("""\r\n            SELECT 1;\r\n            SELEC 2;\r\n        """)'], [], '\r\n');
    const [piece] = pieces(runSqlOf(text).sql);
    assert.ok(!piece.sql.text.includes('\r'));
    const error = (piece.parsed as { error: { range: { start: number; end: number } } }).error;
    assert.equal(text.slice(error.range.start, error.range.end), 'SELEC');
    const lines = new LineIndex(text);
    assert.equal(text.split('\r\n')[lines.rowColumn(error.range.start).row - 1].trim(), 'SELEC 2;');
  });

  test('empty SQL and comments only: no statements', () => {
    const text = migration(['migrations.RunSQL("", "-- nothing")']);
    assert.deepEqual(knownStatements(runSqlOf(text).sql), []);
    assert.deepEqual(knownStatements(runSqlOf(text).reverse), []);
  });

  test('bad input: megabytes of SQL are not parsed (unavailable), deep nesting is a parser error, NUL is rejected', () => {
    const huge = migration([`migrations.RunSQL("${'UPDATE t SET a = 1 WHERE b;'.repeat(Math.ceil(MAX_SQL_CHARS / 27) + 1)}")`]);
    assert.equal(pieces(runSqlOf(huge).sql)[0].parsed.ok, 'unavailable');
    assert.equal(knownStatements(runSqlOf(huge).sql), undefined);
    const deep = migration([`migrations.RunSQL("SELECT ${'('.repeat(20000)}1${')'.repeat(20000)}")`]);
    const parsed = pieces(runSqlOf(deep).sql)[0].parsed;
    assert.equal(parsed.ok, false);
    assert.match((parsed as { error: { message: string } }).error.message, /memory exhausted|stack depth/);
    const nul = migration(['migrations.RunSQL("SELECT 1;\\x00DROP TABLE t")']);
    const rejected = pieces(runSqlOf(nul).sql)[0].parsed;
    assert.equal(rejected.ok, false);
    assert.equal(nul.slice((rejected as { error: { range: { start: number } } }).error.range.start).slice(0, 4), '\\x00');
  });
});

describe('bad input through the engine', () => {
  test('a RunSQL string of megabytes is linted without parsing it: no SQL finding, the other rules run', () => {
    const statements = 'UPDATE shop_order SET note = 1;'.repeat(100_000);
    const text = migration([`migrations.RunSQL("${statements}")`]);
    assert.ok(text.length > 3_000_000);
    const result = lintSource({ path: '/p/shop/migrations/0002_x.py', text, config: defaultConfig(), onRuleError: (rule, error) => { throw error; } });
    assert.deepEqual(result.violations.map((v) => v.code), ['MG302']);
    result.tree.delete();
  });

  test('deeply nested SQL is one MG401 with the parser\'s message, and nothing else', () => {
    const text = migration([`migrations.RunSQL("DELETE FROM t; SELECT ${'('.repeat(50_000)}1${')'.repeat(50_000)}", migrations.RunSQL.noop)`]);
    const result = lintSource({ path: '/p/shop/migrations/0002_x.py', text, config: defaultConfig(), onRuleError: (rule, error) => { throw error; } });
    assert.deepEqual(result.violations.map((v) => v.code), ['MG401']);
    assert.match(result.violations[0].message, /memory exhausted|stack depth/);
    result.tree.delete();
  });
});

describe('Utf8Offsets', () => {
  test('bytes and code points to UTF-16 indexes', () => {
    const text = 'aé🚀b☕c';
    const offsets = new Utf8Offsets(text);
    const bytes = (index: number) => Buffer.byteLength(text.slice(0, index));
    for (const index of [0, 1, 2, 4, 5, 6, 7]) {
      assert.equal(offsets.indexOfByte(bytes(index)), index, `byte ${bytes(index)}`);
      assert.equal(offsets.indexOfCodePoint([...text.slice(0, index)].length), index, `code point of ${index}`);
    }
    assert.equal(new Utf8Offsets('plain').indexOfByte(3), 3);
  });
});
