// Settings diagnostics in the editor: they follow typing in a settings module, and an edit to base.py
// updates the open production.py that star-imports it.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TestClient, has, lacks, makeProject, rangeOf } from './client';


const BASE = [
  'import os',
  '',
  'SECRET_KEY = os.environ["SECRET_KEY"]',
  'ALLOWED_HOSTS = ["shop.example.com"]',
  'MIDDLEWARE = ["django.middleware.security.SecurityMiddleware"]',
  'DATABASES = {',
  '    "default": {',
  '        "ENGINE": "django.db.backends.postgresql",',
  '        "NAME": "shop",',
  '        "OPTIONS": {"options": "-c statement_timeout=30000", "connect_timeout": 10},',
  '    },',
  '}',
  '',
].join('\n');
const PRODUCTION = 'from .base import *  # noqa: F403\n\nDEBUG = False\n';

test('typing in base.py updates its own diagnostics and those of the open production.py', async () => {
  const project = makeProject({ 'config/__init__.py': '', 'config/settings/__init__.py': '', 'config/settings/base.py': BASE, 'config/settings/production.py': PRODUCTION });
  const client = new TestClient({ rootPath: project.root });
  try {
    await client.initialize();
    const production = await client.open(project.path('config/settings/production.py'), PRODUCTION);
    // No HTTPS redirect or HSTS anywhere in the chain: reported on production.py's first line.
    // Linted alone first (star import not yet followed: silent), then again once the index is built.
    const first = await client.waitForDiagnostics(production, has('MG705'));
    assert.equal(first.find((d) => d.code === 'MG705')!.range.start.line, 0);
    const base = await client.open(project.path('config/settings/base.py'), BASE);
    // The entry lacks lock_timeout: reported in base.py, where it is defined, for the production entry point.
    await client.waitForDiagnostics(base, has('MG602'));
    // Typing the missing timeout into base.py: its MG602 goes.
    const options = rangeOf(BASE, '-c statement_timeout=30000');
    await client.change(base, { start: options.end, end: options.end }, ' -c lock_timeout=4000');
    await client.waitForCurrent(base, lacks('MG602'));
    // An edit to base.py (unsaved) changes what production.py inherits: its MG705 goes.
    const end = rangeOf(client.text(base), 'DATABASES = {').start;
    await client.change(base, { start: end, end }, 'SECURE_SSL_REDIRECT = True\n');
    await client.waitForDiagnostics(production, lacks('MG705'));
  } finally {
    await client.dispose();
    project.dispose();
  }
});
