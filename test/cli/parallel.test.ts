// `check --jobs N`: worker threads index and lint a large project; the report must be the one a single thread
// gives, byte for byte (findings, their order, related locations, messages for unreadable files, exit code).
import { strict as assert } from 'node:assert';
import { spawn } from 'node:child_process';
import { realpathSync, rmSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { generateRealisticProject } from '../bench/realistic';
import { CLI, run, runJson } from './helpers';

describe('check --jobs', () => {
  let root: string;
  before(() => {
    root = realpathSync(mkdtempSync(join(tmpdir(), 'mg-cli-jobs-')));
    // 4 apps × 60 migrations, cross-app foreign keys, a squashed history, settings modules: over the size
    // (PARALLEL_MIN_FILES) from which workers are used.
    const project = generateRealisticProject(root, { apps: 4, perApp: 60, seed: 11, squashed: [1] });
    assert.ok(project.squashed > 0 && project.crossAppDependencies > 0);
    // Files a worker must report as a single thread does: half-typed code and bytes that are not UTF-8.
    writeFileSync(join(root, 'catalog/migrations/0061_half_typed.py'), 'from django.db import migrations, models\n\nclass Migration(migrations.Migration):\n    dependencies = [("catalog", "0060_x")]\n    operations = [\n        migrations.AddIndex(model_name="order", index=models.Index(fields=["a"], name="a_idx")\n');
    writeFileSync(join(root, 'catalog/migrations/0062_latin1.py'), Buffer.from('# caf\xe9\nfrom django.db import migrations\n', 'latin1'));
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('reports the same with 2 or 3 worker threads as with one thread', () => {
    const single = run(['check', '.', '--format', 'json', '--jobs', '1'], root);
    const found = JSON.parse(single.stdout) as unknown[];
    assert.ok(found.length > 100, `a realistic project has findings (got ${found.length})`);
    assert.match(single.stderr, /0062_latin1\.py: not linted/);
    for (const jobs of ['2', '3']) {
      const parallel = run(['check', '.', '--format', 'json', '--jobs', jobs], root);
      assert.equal(parallel.status, single.status, `exit status with --jobs ${jobs}`);
      assert.equal(parallel.stderr, single.stderr, `standard error with --jobs ${jobs}`);
      assert.ok(parallel.stdout === single.stdout, `the JSON report with --jobs ${jobs} differs from one thread's`);
    }
  });

  it('gives the same text report and summary line', () => {
    const single = run(['check', '.', '-j', '1'], root);
    const parallel = run(['check', '.', '-j', '2'], root);
    assert.match(single.stdout, /Found \d+ problems/);
    assert.equal(parallel.stdout, single.stdout);
  });

  it('lints one migration of a large project knowing its history (index on workers)', () => {
    const file = join(root, 'catalog/migrations/0061_half_typed.py');
    const single = runJson([file, '--jobs', '1'], root);
    const parallel = runJson([file, '--jobs', '2'], root);
    assert.deepEqual(parallel.findings, single.findings);
  });

  it('writes a large JSON report through a pipe whole, and stops quietly when the reader goes away', async () => {
    // The report is far larger than a pipe's buffer: the CLI waits for the pipe to drain between chunks.
    const whole = await new Promise<{ status: number | null; text: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [CLI, 'check', '.', '--format', 'json'], { cwd: root });
      let text = '';
      child.stdout.setEncoding('utf8');
      child.stdout.on('data', (chunk: string) => { text += chunk; });
      child.on('error', reject);
      child.on('close', (status) => resolve({ status, text }));
    });
    assert.equal(whole.status, 1);
    assert.ok((JSON.parse(whole.text) as unknown[]).length > 100);
    assert.ok(whole.text.length > 256 * 1024, `a report larger than a pipe buffer (got ${whole.text.length} characters)`);
    const cut = await new Promise<{ status: number | null; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, [CLI, 'check', '.', '--format', 'json'], { cwd: root });
      let stderr = '';
      child.stderr.on('data', (chunk: Buffer) => { stderr += chunk.toString(); });
      child.stdout.once('data', () => child.stdout.destroy()); // `| head -c 100`
      child.on('error', reject);
      child.on('close', (status) => resolve({ status, stderr }));
    });
    assert.doesNotMatch(cut.stderr, /internal error|EPIPE/);
    assert.notEqual(cut.status, 2);
  });

  it('rejects a --jobs that is not a whole number of threads', () => {
    for (const value of ['0', '-1', 'two', '1.5']) {
      const result = run(['check', '.', `--jobs=${value}`], root);
      assert.equal(result.status, 2, `--jobs ${value}`);
      assert.match(result.stderr, /--jobs/);
    }
  });
});
