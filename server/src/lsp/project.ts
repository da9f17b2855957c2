// What the engine needs to know about the project around a file, cached per directory: the settings modules
// named by DJANGO_SETTINGS_MODULE (manage.py, pytest.ini, setup.cfg, tox.ini, pyproject.toml).
import { dirname } from 'node:path';
import { findSettingsModules } from '../analysis/settings-modules';

/** Project files whose change can change what `settingsModulesFor` returns. */
export const PROJECT_FILE = /(^|[\\/])(manage\.py|pytest\.ini|setup\.cfg|tox\.ini|pyproject\.toml)$/;

export class ProjectIndex {
  private readonly settingsModules = new Map<string, ReadonlySet<string>>();

  /** Settings modules named in the project files of the file's directory and every directory above it. */
  settingsModulesFor(path: string): ReadonlySet<string> {
    const dir = dirname(path);
    let found = this.settingsModules.get(dir);
    if (!found) {
      try {
        found = findSettingsModules([dir], []);
      } catch {
        found = new Set();
      }
      this.settingsModules.set(dir, found);
    }
    return found;
  }

  clear(): void {
    this.settingsModules.clear();
  }
}
