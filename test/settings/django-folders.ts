// The settings fixture folders test/integration/settings/django-settings.test.ts fixes and loads with Django,
// with how many PostgreSQL and MySQL entries Django must see fixed; and the folders Django cannot load alone.
export const DJANGO_LOADABLE_FOLDERS: Record<string, { postgres?: number; mysql?: number }> = {
  'db-literal-no-options': { postgres: 1 },
  'db-options-without-options': { postgres: 1 },
  'db-one-timeout': { postgres: 1 },
  'db-dj-database-url': { postgres: 1 },
  'db-env-db': { postgres: 1 },
  'db-split-complete': { postgres: 2 },
  'db-split-incomplete': { postgres: 4 },
  'db-multi-alias': { postgres: 2 },
  'db-module-variable': { postgres: 1 },
  'db-conn-max-age': { postgres: 2 },
  'db-timeout-ceilings': { postgres: 2 },
  'db-mysql': { mysql: 3 },
  'db-sqlite': {},
  'db-django-40': { postgres: 1 },
  'db-keyed-by-name': { postgres: 2 },
  // Loaded without DB or CI in the environment: settings.py's SQLite branch, ci_settings.py's else branch.
  'db-alternatives': { postgres: 1 },
};

/** db-getattr imports a `configuration` module the folder does not have: Django cannot import it on its own. */
export const DJANGO_UNLOADABLE_FOLDERS = new Set(['db-getattr']);
