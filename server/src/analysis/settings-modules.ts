// The modules named by DJANGO_SETTINGS_MODULE (manage.py, pytest.ini, setup.cfg, tox.ini, pyproject.toml), which
// count as settings modules whatever their file name (SPEC §1).
import { existsSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { readWorkspaceText } from '../base/files';

const PROJECT_FILES = ['manage.py', 'pytest.ini', 'setup.cfg', 'tox.ini', 'pyproject.toml'];
const SETTING = /DJANGO_SETTINGS_MODULE["']?\s*(?:,|=|:)\s*["']?([A-Za-z_][\w]*(?:\.[A-Za-z_]\w*)*)/g;

const read = (path: string) => readWorkspaceText(path);

/** `shop_project.settings` next to `dir` → `dir/shop_project/settings.py` (or its package `__init__.py`). */
function moduleFile(dir: string, module: string): string | undefined {
  const base = join(dir, ...module.split('.'));
  for (const candidate of [`${base}.py`, join(base, '__init__.py')]) if (existsSync(candidate)) return candidate;
  return undefined;
}

function scanDirectory(dir: string, found: Set<string>): void {
  for (const name of PROJECT_FILES) {
    const text = read(join(dir, name));
    if (!text?.includes('DJANGO_SETTINGS_MODULE')) continue;
    for (const match of text.matchAll(SETTING)) {
      const file = moduleFile(dir, match[1]);
      if (file) found.add(file);
    }
  }
}

/**
 * Scans the directories of the `manage.py` files among `files`, and every directory from each given path up to
 * the filesystem root, for DJANGO_SETTINGS_MODULE. Returns absolute paths of the settings modules named.
 */
export function findSettingsModules(paths: readonly string[], files: readonly string[]): Set<string> {
  const found = new Set<string>();
  const scanned = new Set<string>();
  const scan = (dir: string) => {
    if (scanned.has(dir)) return;
    scanned.add(dir);
    scanDirectory(dir, found);
  };
  for (const file of files) if (basename(file) === 'manage.py') scan(dirname(file));
  for (const given of paths) {
    let dir = resolve(given);
    if (existsSync(dir) && !statSync(dir).isDirectory()) dir = dirname(dir);
    for (;;) {
      scan(dir);
      const parent = dirname(dir);
      if (parent === dir) break;
      dir = parent;
    }
  }
  return found;
}
