import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { parseMigration } from '../../server/src/analysis/migration';
import { initParser, parsePython, type Node } from '../../server/src/base/parser';
import { applyEdits } from '../../server/src/fixes/apply';
import { insertImport, insertKeywordArgument, setMigrationAttribute } from '../../server/src/fixes/edits';
import { ignoreFileEdit, noqaEdit } from '../../server/src/fixes/noqa';

before(() => initParser());

function firstCall(text: string): Node {
  const tree = parsePython(text);
  const found = tree.rootNode.descendantsOfType('call')[0];
  assert.ok(found);
  return found!;
}

function withKeyword(text: string): string {
  return applyEdits(text, [insertKeywordArgument(text, firstCall(text), 'null', 'True')!]);
}

test('insertKeywordArgument keeps the call layout', () => {
  assert.equal(withKeyword('f(a)\n'), 'f(a, null=True)\n');
  assert.equal(withKeyword('f()\n'), 'f(null=True)\n');
  assert.equal(withKeyword('f(a,)\n'), 'f(a, null=True,)\n');
  assert.equal(withKeyword('f(\n    a,\n    b=1,\n)\n'), 'f(\n    a,\n    b=1,\n    null=True,\n)\n');
  assert.equal(withKeyword('f(\n    a,\n    b=1\n)\n'), 'f(\n    a,\n    b=1,\n    null=True\n)\n');
  assert.equal(withKeyword('f(\r\n    a,\r\n)\r\n'), 'f(\r\n    a,\r\n    null=True,\r\n)\r\n');
  assert.equal(withKeyword('f(a,  # why\n  b)\n'), 'f(a,  # why\n  b,\n  null=True)\n');
});

test('insertImport extends an existing import, keeps isort order, or adds a line', () => {
  const add = (text: string) => {
    const edit = insertImport(text, parsePython(text).rootNode, 'django.contrib.postgres.operations', 'AddIndexConcurrently');
    return edit ? applyEdits(text, [edit]) : text;
  };
  assert.equal(add('from django.db import migrations\n'), 'from django.contrib.postgres.operations import AddIndexConcurrently\nfrom django.db import migrations\n');
  assert.equal(add('from django.contrib.postgres.operations import BtreeGinExtension\n'), 'from django.contrib.postgres.operations import BtreeGinExtension, AddIndexConcurrently\n');
  assert.equal(add('from django.contrib.postgres.operations import AddIndexConcurrently\n'), 'from django.contrib.postgres.operations import AddIndexConcurrently\n');
  assert.equal(add('import os\n\nX = 1\n'), 'import os\nfrom django.contrib.postgres.operations import AddIndexConcurrently\n\nX = 1\n');
  assert.equal(add('X = 1\n'), 'from django.contrib.postgres.operations import AddIndexConcurrently\nX = 1\n');
});

test('setMigrationAttribute replaces a value or inserts a line after a docstring', () => {
  const set = (text: string) => {
    const migration = parseMigration('/p/shop/migrations/0002_x.py', parsePython(text).rootNode)!;
    const edit = setMigrationAttribute(text, migration, 'atomic', 'False');
    return edit ? applyEdits(text, [edit]) : text;
  };
  const head = 'from django.db import migrations\n\nclass Migration(migrations.Migration):\n';
  assert.equal(set(`${head}    operations = []\n`), `${head}    atomic = False\n\n    operations = []\n`);
  assert.equal(set(`${head}    atomic = True\n    operations = []\n`), `${head}    atomic = False\n    operations = []\n`);
  assert.equal(set(`${head}    atomic = False\n    operations = []\n`), `${head}    atomic = False\n    operations = []\n`);
  assert.equal(set(`${head}\t"""Doc."""\n\toperations = []\n`), `${head}\t"""Doc."""\n\n\tatomic = False\n\toperations = []\n`);
});

test('noqa edits add a comment or extend an existing one', () => {
  const text = 'a = 1\nb = 2  # noqa: MG101\nc = 3   \n';
  assert.equal(applyEdits(text, [noqaEdit(text, 0, 'MG201')!]), 'a = 1  # noqa: MG201\nb = 2  # noqa: MG101\nc = 3   \n');
  assert.equal(applyEdits(text, [noqaEdit(text, 1, 'MG201')!]), 'a = 1\nb = 2  # noqa: MG101, MG201\nc = 3   \n');
  assert.equal(noqaEdit(text, 1, 'MG101'), undefined);
  // Several codes at once (the grouped "ignore" action): those already there are not repeated.
  assert.equal(applyEdits(text, [noqaEdit(text, 1, ['MG101', 'MG601', 'MG602'])!]), 'a = 1\nb = 2  # noqa: MG101, MG601, MG602\nc = 3   \n');
  assert.equal(applyEdits(text, [noqaEdit(text, 0, ['MG601', 'MG602'])!]), 'a = 1  # noqa: MG601, MG602\nb = 2  # noqa: MG101\nc = 3   \n');
  assert.equal(applyEdits(text, [noqaEdit(text, 2, 'MG201')!]), 'a = 1\nb = 2  # noqa: MG101\nc = 3  # noqa: MG201\n');
  const crlf = 'a = 1\r\nb = 2\r\n';
  assert.equal(applyEdits(crlf, [noqaEdit(crlf, 0, 'MG201')!]), 'a = 1  # noqa: MG201\r\nb = 2\r\n');
  assert.equal(applyEdits('#!/usr/bin/env python\nx = 1\n', [ignoreFileEdit('#!/usr/bin/env python\nx = 1\n', 'MG101')!]), '#!/usr/bin/env python\n# migration-guard: ignore-file[MG101]\nx = 1\n');
  const ignoring = '# migration-guard: ignore-file[MG101]\nx = 1\n';
  assert.equal(applyEdits(ignoring, [ignoreFileEdit(ignoring, 'MG202')!]), '# migration-guard: ignore-file[MG101, MG202]\nx = 1\n');
  assert.equal(ignoreFileEdit(ignoring, 'MG101'), undefined);
  assert.equal(ignoreFileEdit('# migration-guard: ignore-file\n', 'MG101'), undefined);
});
