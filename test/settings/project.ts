// Settings fixture folders (test/fixtures/settings/db-*) copied to a temp dir and fixed in place, module by
// module, with the folder's SettingsIndex kept up to date (as the CLI's --fix does), until nothing changes.
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { ConfigResolver } from '../../server/src/config/pyproject';
import { fixSource } from '../../server/src/engine/fix';
import { lintSource, type LintResult } from '../../server/src/engine/lint';
import type { SettingsIndex } from '../../server/src/analysis/settings-index';
import { indexProject } from '../helpers/engine';

export interface FixedProject {
  dir: string;
  settingsIndex: SettingsIndex;
  /** Settings modules (absolute paths in `dir`). */
  modules: string[];
  /** Fixes applied per module (relative path). */
  applied: Map<string, number>;
  /** Rounds until a round changed nothing. */
  rounds: number;
}

const tempDirs: string[] = [];

/** A temp dir removed by `removeTempDirs()` (call it in `after`). */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}

export function removeTempDirs(): void {
  for (const dir of tempDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
}

export function copyFixture(source: string): string {
  const dir = tempDir(`mg-settings-${basename(source)}-`);
  cpSync(source, dir, { recursive: true });
  return dir;
}

function throwing(rule: { code: string }, error: unknown): never {
  throw new Error(`${rule.code} threw: ${(error as Error).stack}`);
}

/** Copies `source` and applies every fix (unsafe included) to its settings modules until a round changes nothing. */
export function fixProjectCopy(source: string, maxRounds = 5): FixedProject {
  const dir = copyFixture(source);
  const { settingsIndex, files } = indexProject(dir);
  const modules = files.filter((file) => settingsIndex.module(file));
  const resolver = new ConfigResolver();
  const applied = new Map<string, number>();
  let rounds = 0;
  for (let changed = true; changed && rounds < maxRounds; rounds++) {
    changed = false;
    for (const file of modules) {
      const text = readFileSync(file, 'utf8');
      const fixed = fixSource({ path: file, text, config: resolver.forFile(file).config, settingsIndex, onRuleError: throwing }, { unsafe: true });
      fixed.result.tree.delete();
      if (fixed.text === text) continue;
      writeFileSync(file, fixed.text);
      applied.set(relative(dir, file), (applied.get(relative(dir, file)) ?? 0) + fixed.applied);
      changed = true;
    }
  }
  return { dir, settingsIndex, modules, applied, rounds };
}

/** Lints one module of a fixed project with its index and config. */
export function lintModule(project: FixedProject, file: string): LintResult {
  const resolver = new ConfigResolver();
  return lintSource({ path: file, text: readFileSync(file, 'utf8'), config: resolver.forFile(file).config, settingsIndex: project.settingsIndex, onRuleError: throwing });
}

/** `config/settings/production.py` → `config.settings.production`. */
export function moduleName(dir: string, file: string): string {
  return relative(dir, file).replace(/\.py$/, '').split(/[\\/]/).join('.');
}
