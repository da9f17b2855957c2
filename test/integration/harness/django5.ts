// An interpreter with Django 5.2 and psycopg2, for what Debian's Django 3.2 lacks (AddConstraintNotValid,
// ValidateConstraint, CheckConstraint(condition=)). `MG_DJANGO5_PYTHON` names one; otherwise a venv is made once
// in the temp dir from the machine's pip index (see ../../../../shared/TOOLING.md). Failing that, the tests that
// need it fail saying why.
import { existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { djangoProblems } from './django';
import { run } from './run';

const PACKAGES = ['Django==5.2.17', 'psycopg2-binary==2.9.13'];

let found: Promise<string> | undefined;

async function make(): Promise<string> {
  const named = process.env.MG_DJANGO5_PYTHON;
  const candidates = [named, '/tmp/dj52/bin/python', join(tmpdir(), 'mg-django-5.2', 'bin', 'python')].filter((path): path is string => !!path);
  for (const python of candidates) {
    if (existsSync(python) && djangoProblems({ python, minimum: [5, 2], modules: ['psycopg2'] }).length === 0) return python;
  }
  if (named) throw new Error(`MG_DJANGO5_PYTHON=${named} cannot import Django 5.2 and psycopg2`);
  const venv = join(tmpdir(), 'mg-django-5.2');
  const created = await run('python3', ['-m', 'venv', venv], { timeoutMs: 120_000 });
  if (created.status !== 0) throw new Error(`python3 -m venv ${venv} failed: ${created.stderr}`);
  const installed = await run(join(venv, 'bin', 'pip'), ['install', '-q', ...PACKAGES], { timeoutMs: 300_000 });
  if (installed.status !== 0) throw new Error(`These tests need Django 5.2: pip install ${PACKAGES.join(' ')} failed: ${installed.stderr.trim().split('\n').pop()}`);
  return join(venv, 'bin', 'python');
}

/** The path of a Python that imports Django 5.2 and psycopg2 (made once per process). */
export function django5Python(): Promise<string> {
  found ??= make();
  return found;
}
