// The Debian packages the integration tests use (../apt-packages.txt, which install.sh installs), and the error a
// test throws when a program it needs is missing: the tests fail, never skip, and say how to get the programs.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { REPO_ROOT } from '../../helpers/paths';

export const INTEGRATION_DIR = join(REPO_ROOT, 'test', 'integration');

export const APT_PACKAGES = readFileSync(join(INTEGRATION_DIR, 'apt-packages.txt'), 'utf8')
  .split('\n')
  .map((line) => line.replace(/#.*/, '').trim())
  .filter(Boolean);

/** "<what>: <problems>. <how to install>": what the tests' `require…` checks throw. */
export function missingPrograms(what: string, problems: string[]): Error {
  return new Error(`${what}: ${problems.join('; ')}. \`npm run test:integration\`, run as root, installs those of `
    + `test/integration/apt-packages.txt that dpkg does not list as installed; or run \`sudo apt-get install -y `
    + `--no-install-recommends ${APT_PACKAGES.join(' ')}\` (with \`--reinstall\` if dpkg lists them but they are broken).`);
}

/** Throws `missingPrograms(what, problems)` unless `problems` is empty. */
export function requirePrograms(what: string, problems: string[]): void {
  if (problems.length) throw missingPrograms(what, problems);
}
