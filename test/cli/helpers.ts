// Shared by the CLI tests: run the BUILT dist/cli.js in a child process, lay out temporary Django projects.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

/** The repository root, from out/test/cli (bundled) or test/cli (sources). */
export const ROOT = resolve(__dirname, __dirname.includes(`${join('out', 'test')}`) ? '../../..' : '../..');
export const CLI = join(ROOT, 'dist', 'cli.js');

export interface RunResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function run(args: string[], cwd: string = ROOT): RunResult {
  const child = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
  if (child.error) throw child.error;
  return { status: child.status, stdout: child.stdout, stderr: child.stderr };
}

/** Runs `check … --format json` and parses the output. */
export function runJson(args: string[], cwd: string): { status: number | null; findings: JsonFinding[]; stderr: string } {
  const result = run(['check', ...args, '--format', 'json'], cwd);
  let findings: JsonFinding[];
  try {
    findings = JSON.parse(result.stdout) as JsonFinding[];
  } catch {
    throw new Error(`not JSON (exit ${result.status}):\n${result.stdout}\n${result.stderr}`);
  }
  return { status: result.status, findings, stderr: result.stderr };
}

export interface JsonLocation {
  row: number;
  column: number;
}

export interface JsonFinding {
  code: string;
  name: string;
  severity: string;
  message: string;
  help: string | null;
  filename: string;
  location: JsonLocation;
  end_location: JsonLocation;
  fix: null | { applicability: string; message: string; edits: { content: string; location: JsonLocation; end_location: JsonLocation }[] };
  url: string;
  related: { filename: string; location: JsonLocation; end_location: JsonLocation; message: string }[];
}

const created: string[] = [];

/** A temporary directory with the given files (relative path → text or bytes). Removed by `cleanup()`. */
export function makeProject(files: Record<string, string | Buffer>): string {
  // realpath: macOS and some CI machines have /tmp behind a symlink, and the CLI prints resolved paths.
  const root = realpathSync(mkdtempSync(join(tmpdir(), 'mg-cli-')));
  created.push(root);
  for (const [path, content] of Object.entries(files)) {
    const full = join(root, path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, content);
  }
  return root;
}

export function cleanup(): void {
  for (const dir of created.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/**
 * A migration of app `shop` with the given operations (already indented by 8 spaces), depending on
 * `dependency` (default `0001_initial`). The CLI knows the whole graph: migrations that all depend on
 * `0001_initial` are so many leaves (MG501), so a test with several chains them.
 */
export function migration(operations: string, options: { imports?: string; prelude?: string; attributes?: string; dependency?: string } = {}): string {
  return [
    options.imports ?? 'from django.db import migrations, models',
    '',
    '',
    ...(options.prelude ? [options.prelude, ''] : []),
    'class Migration(migrations.Migration):',
    ...(options.attributes ? [options.attributes, ''] : []),
    `    dependencies = [("shop", "${options.dependency ?? '0001_initial'}")]`,
    '',
    '    operations = [',
    operations,
    '    ]',
    '',
  ].join('\n');
}

export const ADD_INDEX = [
  '        migrations.AddIndex(',
  '            model_name="order",',
  '            index=models.Index(fields=["created_at"], name="order_created_idx"),',
  '        ),',
].join('\n');

export const RUN_PYTHON = '        migrations.RunPython(forwards),';

export const FORWARDS = 'def forwards(apps, schema_editor):\n    pass\n';

export const SAFE_FIELD = '        migrations.AddField("order", "note", models.TextField(null=True)),';

/** 1-based row and code-point column of the first `needle` in `text`. */
export function locate(text: string, needle: string): JsonLocation {
  const offset = text.indexOf(needle);
  if (offset < 0) throw new Error(`${needle} not in text`);
  const before = text.slice(0, offset).split('\n');
  return { row: before.length, column: [...before[before.length - 1]].length + 1 };
}
