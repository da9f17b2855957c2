// Runs the real engine on fixture text, with the config a fixture asks for in a `# test-config: {…}` line.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { defaultConfig, mergeConfig, type Config } from '../../server/src/config/defaults';
import { lintSource, type LintResult } from '../../server/src/engine/lint';
import type { Node, Tree } from '../../server/src/base/parser';
import { collectPythonFiles, readSource } from '../../server/src/base/files';
import { Workspace } from '../../server/src/engine/workspace';
import { SettingsIndex } from '../../server/src/analysis/settings-index';
import { summarizeSettings } from '../../server/src/analysis/settings';
import { isMigrationPath } from '../../server/src/analysis/migration';
import { detectFileKind } from '../../server/src/analysis/fileKind';
import { parsePython } from '../../server/src/base/parser';
import { docsFiles } from '../../server/src/rules/docs';

export function fixtureConfig(text: string): Config {
  const match = /^# test-config: (\{.*\})\s*$/m.exec(text);
  const problems: { key: string; message: string }[] = [];
  const config = mergeConfig(defaultConfig(), match ? JSON.parse(match[1]) : {}, problems);
  if (problems.length) throw new Error(`bad test-config: ${problems.map((p) => p.message).join('; ')}`);
  return config;
}

/**
 * Fixtures live outside a `migrations/` folder: they are linted as a migration of app `shop`, or at the path
 * a first-line `# path: config/settings.py` comment gives (settings fixtures).
 */
export function fixturePath(name: string, text: string): string {
  const named = /^# path: (\S+\.py)\s*$/m.exec(text.split('\n', 3).join('\n'));
  return named ? `/project/${named[1]}` : `/project/shop/migrations/${name}`;
}

/**
 * A rule fixture's `models.py` (fixes that edit the model read it): `models/<fixture name>` next to the fixture,
 * read for the app's `/project/shop/models.py`.
 */
export function fixtureReadFile(dir: string, name: string): (path: string) => string | undefined {
  return (path) => (path === '/project/shop/models.py' && existsSync(join(dir, 'models', name)) ? readFileSync(join(dir, 'models', name), 'utf8') : undefined);
}

export function lintFixture(name: string, text: string, config = fixtureConfig(text), readFile?: (path: string) => string | undefined): LintResult {
  return lintSource({ path: fixturePath(name, text), text, config, readFile, onRuleError: (rule, error) => { throw new Error(`${rule.code} threw: ${(error as Error).stack}`); } });
}

/** `# expect: MG101, MG201` on a line → "line:MG101" pairs (1-based lines). */
export function expectations(text: string): string[] {
  const expected: string[] = [];
  text.split('\n').forEach((line, index) => {
    const match = /#\s*expect:\s*(MG\d{3}(?:\s*,\s*MG\d{3})*)/.exec(line);
    if (match) for (const code of match[1].split(',')) expected.push(`${index + 1}:${code.trim()}`);
  });
  return expected.sort();
}

export function found(text: string, result: LintResult): string[] {
  return result.violations.map((v) => `${text.slice(0, v.range.start).split('\n').length}:${v.code}`).sort();
}

/** ERROR or MISSING nodes: tree-sitter could not parse part of the text. */
export function syntaxProblems(tree: Tree): string[] {
  const problems: string[] = [];
  const visit = (node: Node) => {
    if (node.isError || node.isMissing) problems.push(`${node.type} at ${node.startPosition.row + 1}:${node.startPosition.column + 1}`);
    if (node.hasError) for (const child of node.children) if (child) visit(child);
  };
  visit(tree.rootNode);
  return problems;
}

/** Records a settings module (by SPEC §1's rules) in a SettingsIndex, as the CLI and the server do. */
export function indexSettingsText(settings: SettingsIndex, path: string, text: string): void {
  if (isMigrationPath(path)) return;
  const tree = parsePython(text);
  try {
    if (detectFileKind(path, tree.rootNode, false) === 'settings') settings.set(path, summarizeSettings(path, tree.rootNode));
  } finally {
    tree.delete();
  }
}

/** Indexes every Python file of a fixture project (migrations and settings modules), as the CLI and the server do. */
export function indexProject(root: string): { workspace: Workspace; settingsIndex: SettingsIndex; files: string[] } {
  const files = collectPythonFiles([root]);
  const workspace = new Workspace();
  const settingsIndex = new SettingsIndex();
  for (const file of files) {
    const source = readSource(file);
    if (!source.ok) continue;
    workspace.indexText(file, source.text);
    indexSettingsText(settingsIndex, file, source.text);
  }
  return { workspace, settingsIndex, files };
}

/** A docs file's own path, from a first-line comment `# shop/migrations/0002_x.py` or `# config/settings.py`. */
export function docsPath(text: string, fallback: string): string {
  const named = /^# ([\w/]+\.py)\b/.exec(text);
  return `/project/${named ? named[1] : fallback}`;
}

/**
 * Lints each file of a docs text (a multi-migration route: see `docsFiles`) on top of `docs.history` and the files
 * before it, as a workspace holds them.
 */
export function lintDocsSteps(text: string, history: string | string[] | undefined, exampleConfig: Record<string, unknown> = {}): LintResult[] {
  // The first file's own path (its default, when it names none), so that the later ones find it in the workspace.
  const files = docsFiles(text).map((file, index) => (index === 0 && !/^# [\w/]+\.py\b/.test(file) ? `# shop/migrations/0002_example.py\n${file}` : file));
  const earlier = history === undefined ? [] : typeof history === 'string' ? [history] : history;
  return files.map((file, index) => lintDocsExample(file, index === 0 && history === undefined ? undefined : [...earlier, ...files.slice(0, index)], exampleConfig));
}

/**
 * Lints a rule's docs example on top of `docs.history` (see RuleDocs.history). An example whose first line
 * names a settings module (`# config/settings/production.py`) is linted as that module.
 */
export function lintDocsExample(text: string, history: string | string[] | undefined, exampleConfig: Record<string, unknown> = {}): LintResult {
  const path = docsPath(text, 'shop/migrations/0002_example.py');
  const workspace = new Workspace();
  const settingsIndex = new SettingsIndex();
  for (const earlier of history === undefined ? [] : typeof history === 'string' ? [history] : history) {
    const earlierPath = docsPath(earlier, 'shop/migrations/0001_initial.py');
    workspace.indexText(earlierPath, earlier);
    indexSettingsText(settingsIndex, earlierPath, earlier);
  }
  return lintSource({
    path, text, config: mergeConfig(fixtureConfig(text), exampleConfig, []), workspace: history === undefined ? undefined : workspace, settingsIndex,
    onRuleError: (rule, error) => { throw new Error(`${rule.code} threw: ${(error as Error).stack}`); },
  });
}
