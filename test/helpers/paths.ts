// Paths of the repository, from a test bundle in out/test/<folder>/.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';

function findRoot(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'esbuild.mjs'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`repository root not found above ${__dirname}`);
    dir = parent;
  }
  return dir;
}

export const REPO_ROOT = findRoot();
export const FIXTURES = join(REPO_ROOT, 'test', 'fixtures');
