// install.sh, with stand-ins for dpkg-query, id and apt-get on a PATH of their own (the real ones would change the
// machine): it installs only what is missing, only as root; otherwise it names the one command, and returns 0
// so the tests still run and fail on what is missing.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { APT_PACKAGES, INTEGRATION_DIR } from './harness/packages';

const dirs: string[] = [];
after(() => { for (const dir of dirs) rmSync(dir, { recursive: true, force: true }); });

/** Runs install.sh as `uid` with `missing` not installed; `apt: false` leaves apt-get off the PATH. */
function install({ uid, missing, apt = true }: { uid: number; missing: string[]; apt?: boolean }) {
  const bin = mkdtempSync(join(tmpdir(), 'mg-install-'));
  dirs.push(bin);
  const log = join(bin, 'apt.log');
  const script = (name: string, body: string) => {
    writeFileSync(join(bin, name), `#!/bin/bash\n${body}\n`);
    chmodSync(join(bin, name), 0o755);
  };
  // `dpkg-query -W -f='${Status}' PACKAGE`
  script('dpkg-query', `case " ${missing.join(' ')} " in *" \${@: -1} "*) exit 1;; esac; printf 'install ok installed'`);
  script('id', `echo ${uid}`);
  if (apt) script('apt-get', `echo "$DEBIAN_FRONTEND $*" >> ${log}`);
  for (const tool of ['sed', 'grep', 'dirname']) symlinkSync(`/usr/bin/${tool}`, join(bin, tool));
  const run = spawnSync('/bin/bash', [join(INTEGRATION_DIR, 'install.sh')], { encoding: 'utf8', env: { PATH: bin } });
  let aptCalls: string[] = [];
  try {
    aptCalls = readFileSync(log, 'utf8').trim().split('\n');
  } catch {
    // apt-get was not called
  }
  return { status: run.status, stderr: run.stderr, aptCalls };
}

describe('test/integration/install.sh', () => {
  test('reads the package list: the Django stack, PostgreSQL, Neovim, Emacs and eglot', () => {
    assert.deepEqual(APT_PACKAGES, ['python3-django', 'python3-psycopg2', 'python3-dj-database-url', 'python3-django-environ', 'postgresql', 'neovim', 'emacs-nox', 'elpa-eglot']);
  });

  test('nothing missing: nothing to say, apt-get is not called', () => {
    const result = install({ uid: 0, missing: [] });
    assert.deepEqual(result, { status: 0, stderr: '', aptCalls: [] });
  });

  test('as root: apt-get update, then installs only the missing packages, quietly and without prompts', () => {
    const result = install({ uid: 0, missing: ['neovim', 'elpa-eglot'] });
    assert.equal(result.status, 0, result.stderr);
    assert.deepEqual(result.aptCalls, ['noninteractive update -qq', 'noninteractive install -y -qq --no-install-recommends neovim elpa-eglot']);
    assert.equal(result.stderr, 'test:integration: apt-get install neovim elpa-eglot\n');
  });

  test('not root: names the one command and installs nothing', () => {
    const result = install({ uid: 1000, missing: ['postgresql'] });
    assert.equal(result.status, 0);
    assert.deepEqual(result.aptCalls, []);
    assert.equal(result.stderr, 'test:integration: missing postgresql. Install them as root, then run the tests again: sudo apt-get install -y --no-install-recommends postgresql\n');
  });

  test('no apt-get: says these are Debian packages and the command for Debian', () => {
    const result = install({ uid: 0, missing: ['neovim'], apt: false });
    assert.equal(result.status, 0);
    assert.match(result.stderr, /^test:integration: missing neovim\. These tests use Debian's packages .*: apt-get install -y --no-install-recommends neovim\n$/);
  });
});
