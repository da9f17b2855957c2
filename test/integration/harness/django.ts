// Django as a project runs it: an interpreter that imports Django (Debian's /usr/bin/python3 with Django 3.2 by
// default; pass another, e.g. a venv's, to test another Django) runs a script with the project on sys.path and
// DJANGO_SETTINGS_MODULE set.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { INTEGRATION_DIR, missingPrograms } from './packages';
import { run } from './run';

/** Debian's interpreter: the `python3` first on PATH may be another one that cannot import Debian's packages. */
export const DEBIAN_PYTHON = '/usr/bin/python3';
/** What the settings tests import besides Django: psycopg2 for PostgreSQL, the two settings helpers they fix. */
export const SETTINGS_MODULES = ['psycopg2', 'dj_database_url', 'environ'];

const checked = new Map<string, Error | undefined>();

/**
 * Throws a clear error unless `python` imports Django ≥ `minimum` and `modules` (checked once per interpreter,
 * version and module list in a process).
 */
export function requireDjango({ python = DEBIAN_PYTHON, minimum = [3, 2], modules = SETTINGS_MODULES }: { python?: string; minimum?: number[]; modules?: string[] } = {}): void {
  const key = [python, minimum.join('.'), ...modules].join('\0');
  if (!checked.has(key)) {
    const imports = ['django', ...modules];
    let problem: string | undefined;
    if (!existsSync(python)) problem = `${python} does not exist`;
    else {
      try {
        execFileSync(python, ['-c', `import ${imports.join(', ')}; assert django.VERSION[:2] >= (${minimum.join(', ')}), django.get_version()`], { stdio: 'pipe' });
      } catch (error) {
        const stderr = String((error as { stderr?: Buffer }).stderr ?? error).trim().split('\n').pop();
        problem = `${python} cannot import ${imports.join(', ')} with Django ≥ ${minimum.join('.')} (${stderr})`;
      }
    }
    checked.set(key, problem ? missingPrograms(`These tests need Django ${minimum.join('.')} or later`, [problem]) : undefined);
  }
  const error = checked.get(key);
  if (error) throw error;
}

/** An environment for Django: the project on sys.path, the settings module, no DATABASE_URL from the caller. */
export function djangoEnv(projectDir: string, settingsModule: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, PYTHONPATH: projectDir, DJANGO_SETTINGS_MODULE: settingsModule, PYTHONDONTWRITEBYTECODE: '1' };
  delete env.DATABASE_URL;
  delete env.PGOPTIONS;
  return env;
}

/** Runs a Python script (a path) with Django configured for `settingsModule`; parses its JSON output. */
export async function runDjangoScript<T>(script: string, projectDir: string, settingsModule: string, args: string[] = [], python = DEBIAN_PYTHON): Promise<T> {
  const result = await run(python, [script, ...args], { cwd: projectDir, env: djangoEnv(projectDir, settingsModule) });
  if (result.status !== 0) throw new Error(`${script} for ${settingsModule} failed (${result.status}):\n${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

export type DatabasesJson = Record<string, Record<string, unknown> & { ENGINE?: string; OPTIONS?: Record<string, unknown> }>;

/** `django.conf.settings.DATABASES`, as Django itself loads the module. */
export function readDatabases(projectDir: string, settingsModule: string, python = DEBIAN_PYTHON): Promise<DatabasesJson> {
  return runDjangoScript<DatabasesJson>(join(INTEGRATION_DIR, 'harness', 'read_settings.py'), projectDir, settingsModule, [], python);
}
