// Django as a project runs it: an interpreter that imports Django (Debian's /usr/bin/python3 with Django 3.2 by
// default; pass another, e.g. a venv's, to test another Django) runs a script with the project on sys.path and
// DJANGO_SETTINGS_MODULE set.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { INTEGRATION_DIR, requirePrograms } from './packages';
import { run } from './run';

/** Debian's interpreter: the `python3` first on PATH may be another one that cannot import Debian's packages. */
export const DEBIAN_PYTHON = '/usr/bin/python3';
/** What the settings tests import besides Django: psycopg2 for PostgreSQL, the two settings helpers they fix. */
export const SETTINGS_MODULES = ['psycopg2', 'dj_database_url', 'environ'];

export interface DjangoNeeds {
  /** The interpreter (default Debian's). */
  python?: string;
  /** The oldest Django accepted, e.g. [5, 2] (default [3, 2]). */
  minimum?: number[];
  /** Modules imported besides Django (default SETTINGS_MODULES). */
  modules?: string[];
}

const checked = new Map<string, string[]>();

/** What stops `python` importing Django ≥ `minimum` and `modules` (checked once per interpreter, version and modules). */
export function djangoProblems({ python = DEBIAN_PYTHON, minimum = [3, 2], modules = SETTINGS_MODULES }: DjangoNeeds = {}): string[] {
  const key = [python, minimum.join('.'), ...modules].join('\0');
  let problems = checked.get(key);
  if (!problems) {
    const imports = ['django', ...modules];
    problems = [];
    if (!existsSync(python)) problems.push(`${python} does not exist`);
    else {
      try {
        execFileSync(python, ['-c', `import ${imports.join(', ')}; assert django.VERSION[:2] >= (${minimum.join(', ')}), django.get_version()`], { stdio: 'pipe' });
      } catch (error) {
        const stderr = String((error as { stderr?: Buffer }).stderr ?? error).trim().split('\n').pop();
        problems.push(`${python} cannot import ${imports.join(', ')} with Django ≥ ${minimum.join('.')} (${stderr})`);
      }
    }
    checked.set(key, problems);
  }
  return problems;
}

/** Throws a clear error unless the interpreter imports Django and the modules (see djangoProblems). */
export function requireDjango(needs: DjangoNeeds = {}): void {
  requirePrograms(`These tests need Django ${(needs.minimum ?? [3, 2]).join('.')} or later`, djangoProblems(needs));
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
