// The layers of server/src point one way. `base/` (parser, syntax tree, text positions, file reading) is the
// floor; each folder imports only from the folders below it, so a change in a rule never reaches the parser and
// an analysis helper never depends on a rule. Rules share helpers through `analysis/` or `fixes/`, never
// through another rule's file.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { test } from 'node:test';
import { REPO_ROOT } from '../helpers/paths';

const SOURCE = join(REPO_ROOT, 'server', 'src');

/** Which folders each folder may import from (its own is always allowed). `rules/` and `fixes/` are one layer. */
const MAY_IMPORT: Record<string, string[]> = {
  base: [],
  config: ['base'],
  analysis: ['base', 'config'],
  fixes: ['base', 'config', 'analysis', 'rules'],
  rules: ['base', 'config', 'analysis', 'fixes'],
  engine: ['base', 'config', 'analysis', 'fixes', 'rules'],
  rewrite: ['base', 'config', 'analysis', 'fixes', 'rules', 'engine'],
  cli: ['base', 'config', 'analysis', 'fixes', 'rules', 'engine', 'rewrite'],
  lsp: ['base', 'config', 'analysis', 'fixes', 'rules', 'engine', 'rewrite', 'cli'],
};

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? sourceFiles(join(dir, entry.name)) : entry.name.endsWith('.ts') ? [join(dir, entry.name)] : []);
}

/** The folder (under server/src) and file name of every relative import of `file`. */
function importsOf(file: string): { folder: string; name: string }[] {
  const text = readFileSync(file, 'utf8');
  const folderOf = relative(SOURCE, join(file, '..'));
  return [...text.matchAll(/^(?:import|export)[^'"]*?from\s+'(\.{1,2}\/[^']+)'/gm)].map((match) => {
    const target = relative(SOURCE, join(file, '..', match[1]));
    const parts = target.split('/');
    return { folder: parts.length > 1 ? parts[0] : folderOf === '' ? '' : folderOf, name: parts[parts.length - 1] };
  });
}

test('every folder of server/src imports only from the layers below it', () => {
  const wrong: string[] = [];
  for (const file of sourceFiles(SOURCE)) {
    const folder = relative(SOURCE, file).split('/')[0];
    const allowed = MAY_IMPORT[folder];
    if (!allowed) continue; // server.ts and cli.ts, the entry points, sit on top
    for (const target of importsOf(file)) {
      if (target.folder === '..') continue; // package.json, read for the version
      if (target.folder !== folder && !allowed.includes(target.folder)) wrong.push(`${relative(SOURCE, file)} imports ${target.folder}/${target.name}`);
    }
  }
  assert.deepEqual(wrong, []);
});

test('every folder of server/src has its place in the layers', () => {
  const folders = readdirSync(SOURCE, { withFileTypes: true }).filter((entry) => entry.isDirectory()).map((entry) => entry.name);
  assert.deepEqual(folders.filter((name) => !(name in MAY_IMPORT)), []);
});

test('no rule imports another rule', () => {
  const ruleFile = /^mg\d{3}-/;
  const wrong: string[] = [];
  for (const file of sourceFiles(join(SOURCE, 'rules'))) {
    for (const target of importsOf(file)) {
      const base = file.split('/').pop()!;
      if (ruleFile.test(base) && target.folder === 'rules' && ruleFile.test(target.name)) wrong.push(`${base} imports ${target.name}`);
    }
  }
  assert.deepEqual(wrong, []);
});

test('the check sees the imports it judges (a file known to import base/parser)', () => {
  const imports = importsOf(join(SOURCE, 'engine', 'lint.ts'));
  assert.ok(imports.some((target) => target.folder === 'base' && target.name === 'parser'), JSON.stringify(imports));
});
