// Bundles the extension, the language server and the CLI (and, with --tests, the test files) with esbuild.
// Usage: node esbuild.mjs [--production] [--tests] [--integration] [--bench] [--electron] [--watch]
import * as esbuild from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, statSync, rmSync } from 'node:fs';
import { join } from 'node:path';

const production = process.argv.includes('--production');
const withTests = process.argv.includes('--tests');
const withIntegration = process.argv.includes('--integration');
const withBench = process.argv.includes('--bench');
const withElectron = process.argv.includes('--electron');
const watch = process.argv.includes('--watch');

// A TS `import` would make esbuild pick web-tree-sitter's ESM build, which crashes in a CJS bundle
// (`createRequire(undefined)`): point it at the CJS build instead.
const alias = { 'web-tree-sitter': './node_modules/web-tree-sitter/web-tree-sitter.cjs' };

const common = {
  bundle: true,
  platform: 'node',
  format: 'cjs',
  target: 'node20',
  sourcemap: !production,
  minify: production,
  logLevel: 'warning',
  alias,
};

/** The wasm files are looked up next to the bundle that loads them (base/parser.ts, base/sql-parser.ts). */
function copyWasm(dir) {
  mkdirSync(dir, { recursive: true });
  copyFileSync('node_modules/web-tree-sitter/web-tree-sitter.wasm', join(dir, 'web-tree-sitter.wasm'));
  copyFileSync('grammars/tree-sitter-python.wasm', join(dir, 'tree-sitter-python.wasm'));
  copyFileSync('node_modules/libpg-query/wasm/libpg-query.wasm', join(dir, 'libpg-query.wasm'));
}

/** The *.test.ts files under `dir`, at any depth, outside the folders in `skip`. */
function findTests(dir, skip = new Set()) {
  const found = [];
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (skip.has(name)) continue;
    if (statSync(path).isDirectory()) found.push(...findTests(path, skip));
    else if (/\.test\.ts$/.test(name)) found.push(path);
  }
  return found;
}

// Not in npm test: e2e/ and electron/ need a VS Code (electron/ the `vscode` module, which --electron builds),
// integration/ needs Debian's programs (--integration builds it).
const NOT_UNIT_TESTS = new Set(['fixtures', 'e2e', 'bench', 'electron', 'integration']);

const builds = [
  { ...common, entryPoints: ['client/src/extension.ts'], outfile: 'dist/extension.js', external: ['vscode'] },
  { ...common, entryPoints: ['server/src/server.ts'], outfile: 'dist/server.js' },
  { ...common, entryPoints: ['server/src/cli.ts'], outfile: 'dist/cli.js', banner: { js: '#!/usr/bin/env node' } },
];
if (withTests) {
  rmSync('out', { recursive: true, force: true });
  // PGlite loads its wasm and data files next to its own module: it stays in node_modules, unbundled.
  builds.push({ ...common, entryPoints: findTests('test', NOT_UNIT_TESTS), outdir: 'out/test', outbase: 'test', sourcemap: true, external: ['@electric-sql/pglite'] });
}

// The integration tests (test/integration, any depth) build outside out/test, which `node --test out/test/` runs whole.
if (withIntegration) {
  rmSync('out/integration', { recursive: true, force: true });
  builds.push({ ...common, entryPoints: findTests('test/integration', new Set(['fixtures'])), outdir: 'out/integration', outbase: 'test/integration', sourcemap: true, external: ['pg'] });
}

// The benchmark lives outside out/test: `node --test out/test/` runs every .js file under a `test` folder.
if (withBench) builds.push({ ...common, entryPoints: ['test/bench/bench.ts'], outfile: 'out/bench/bench.js', sourcemap: true });

// The extension-host suite and bench (test/electron): entries VS Code loads as extensionTestsPath, and the
// @vscode/test-electron runner. `vscode` comes from the extension host; mocha and test-electron from node_modules.
if (withElectron) {
  rmSync('out/electron', { recursive: true, force: true }); // suite/index.js runs every *.test.js it finds there
  const suite = readdirSync('test/electron/suite').filter((name) => /\.test\.ts$/.test(name)).map((name) => join('test/electron/suite', name));
  builds.push({
    ...common,
    entryPoints: ['test/electron/suite/index.ts', ...suite, 'test/electron/bench/index.ts', 'test/electron/runTest.ts'],
    outdir: 'out/electron',
    outbase: 'test/electron',
    external: ['vscode', 'mocha', '@vscode/test-electron'],
    sourcemap: true,
  });
}

copyWasm('dist');
if (withTests) copyWasm('out/test');
if (withIntegration) copyWasm('out/integration');
if (withBench) copyWasm('out/bench');

if (watch) {
  for (const options of builds) await (await esbuild.context(options)).watch();
} else {
  await Promise.all(builds.map((options) => esbuild.build(options)));
}
