// Which files we lint (SPEC §1): migrations, settings modules, and nothing else.
import { basename } from 'node:path';
import type { Node } from '../base/parser';
import { isMigrationPath } from './migration';

export type FileKind = 'migration' | 'settings' | 'other';

const DJANGO_SETTINGS = new Set([
  'DATABASES', 'INSTALLED_APPS', 'SECRET_KEY', 'MIDDLEWARE', 'DEBUG', 'ALLOWED_HOSTS', 'ROOT_URLCONF', 'TEMPLATES',
  'WSGI_APPLICATION', 'ASGI_APPLICATION', 'AUTH_USER_MODEL', 'STATIC_URL', 'CONN_MAX_AGE', 'SESSION_COOKIE_SECURE', 'CSRF_COOKIE_SECURE',
]);

function assignedNames(root: Node): Set<string> {
  const names = new Set<string>();
  for (const statement of root.namedChildren) {
    const assignment = statement?.type === 'expression_statement' ? statement.namedChild(0) : undefined;
    if (assignment?.type === 'assignment') {
      const target = assignment.childForFieldName('left');
      if (target?.type === 'identifier') names.add(target.text);
    }
  }
  return names;
}

function starImportsSettings(root: Node): boolean {
  return root.namedChildren.some((statement) => statement?.type === 'import_from_statement'
    && statement.namedChildren.some((child) => child?.type === 'wildcard_import')
    && /(^\.|settings|^\.?base$|\.base$)/.test(statement.childForFieldName('module_name')?.text ?? ''));
}

/** Named like a settings module: `settings.py`, `settings/*.py`, `*_settings.py`. */
export function hasSettingsName(path: string): boolean {
  const normalized = path.replace(/\\/g, '/');
  const name = basename(normalized);
  return name === 'settings.py' || name.endsWith('_settings.py') || /(^|\/)settings\/[^/]+\.py$/.test(normalized);
}

/**
 * `DATABASES` opening a line (after a BOM or form feed) or after a `;`: where a module-level assignment of it can
 * start. Every module detectFileKind calls settings without its name has one.
 */
const MODULE_LEVEL_DATABASES = /^[\uFEFF\f]*DATABASES\b|;[ \t\f]*DATABASES\b/m;

/**
 * Whether a file that is not a migration may be a settings module, from its path and text without parsing it:
 * it assigns `DATABASES` at module level or is named like settings (or by DJANGO_SETTINGS_MODULE). A file for
 * which this is false is `other` whatever it says, so it is never parsed.
 */
export function mayBeSettings(path: string, text: string, settingsModules?: ReadonlySet<string>): boolean {
  return MODULE_LEVEL_DATABASES.test(text) || hasSettingsName(path) || (settingsModules?.has(path) ?? false);
}

/**
 * `settingsModules`: absolute paths of the modules named by `DJANGO_SETTINGS_MODULE` in the project
 * (manage.py, pytest.ini, pyproject.toml), which count as settings whatever their name.
 */
export function detectFileKind(path: string, root: Node, hasMigrationClass: boolean, settingsModules?: ReadonlySet<string>): FileKind {
  if (isMigrationPath(path)) return hasMigrationClass ? 'migration' : 'other';
  if (!path.endsWith('.py')) return 'other';
  const names = assignedNames(root);
  if (names.has('DATABASES')) return 'settings';
  const named = hasSettingsName(path) || (settingsModules?.has(path) ?? false);
  if (!named || basename(path) === '__init__.py' && !names.size) return 'other';
  const assignsSetting = [...names].some((name) => DJANGO_SETTINGS.has(name));
  return assignsSetting || starImportsSettings(root) ? 'settings' : 'other';
}
