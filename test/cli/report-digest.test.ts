// A guard for the performance work (issue 14): the JSON report of `check` on the bench's 1,500-migration project
// must stay byte for byte the same while the engine's passes change. The digest is of this branch's output; when
// a rule change alters the report on purpose, regenerate it with `npm run test:update-report-digest`.
import { strict as assert } from 'node:assert';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BENCH_PROJECT, generateRealisticProject } from '../bench/realistic';
import { ROOT, run } from './helpers';

const DIGEST_FILE = join(ROOT, 'test', 'cli', 'report-digest.sha256');
const UPDATE = process.env.MG_UPDATE_REPORT_DIGEST === '1';

describe('the JSON report on the bench project', () => {
  let root: string;
  before(() => {
    root = realpathSync(mkdtempSync(join(tmpdir(), 'mg-cli-digest-')));
    generateRealisticProject(root, BENCH_PROJECT);
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('is the one whose digest is kept in test/cli/report-digest.sha256', () => {
    const result = run(['check', '.', '--format', 'json', '--exit-zero'], root);
    assert.equal(result.status, 0, result.stderr);
    const findings = JSON.parse(result.stdout) as unknown[];
    assert.ok(findings.length > 1000, `the bench project has findings (got ${findings.length})`);
    // Paths are absolute: the temporary directory is replaced so the digest is the same on every machine.
    const report = result.stdout.split(JSON.stringify(root).slice(1, -1)).join('<root>');
    const digest = createHash('sha256').update(report).digest('hex');
    if (UPDATE) writeFileSync(DIGEST_FILE, `${digest}\n`);
    assert.equal(digest, readFileSync(DIGEST_FILE, 'utf8').trim(), `the report changed (${findings.length} findings); if a rule change meant it, run \`npm run test:update-report-digest\``);
  });
});
