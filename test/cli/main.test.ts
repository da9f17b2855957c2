// The command line itself: version, help, unknown commands, the server subcommand.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { CLI, ROOT, run } from './helpers';

const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };

test('--version prints the package version', () => {
  for (const flag of ['--version', '-V']) {
    const result = run([flag]);
    assert.equal(result.status, 0);
    assert.equal(result.stdout, `migration-guard ${version}\n`);
  }
});

test('--help lists the commands; check --help lists the options', () => {
  const help = run(['--help']);
  assert.equal(help.status, 0);
  for (const command of ['check', 'rules', 'server']) assert.match(help.stdout, new RegExp(`^  ${command} `, 'm'));
  const check = run(['check', '--help']);
  assert.equal(check.status, 0);
  for (const option of ['--format', '--select', '--ignore', '--config', '--exit-zero', '--quiet', '--fix']) assert.ok(check.stdout.includes(option), option);
  assert.equal(run(['help', 'check']).stdout, check.stdout);
  assert.match(run(['rules', '-h']).stdout, /^Usage: migration-guard rules/m);
  assert.match(run(['server', '--help']).stdout, /--stdio/);
});

test('no command, or an unknown one → 2 with a hint', () => {
  const none = run([]);
  assert.equal(none.status, 2);
  assert.match(none.stderr, /Usage: migration-guard <COMMAND>/);
  const typo = run(['chek']);
  assert.equal(typo.status, 2);
  assert.match(typo.stderr, /unknown command `chek` \(did you mean `check`\?\)/);
  const flag = run(['--verbose']);
  assert.equal(flag.status, 2);
  assert.match(flag.stderr, /unknown option `--verbose`/);
});

test('server needs a transport', () => {
  const result = run(['server']);
  assert.equal(result.status, 2);
  assert.match(result.stderr, /--stdio or --node-ipc/);
});

test('server --stdio answers initialize over LSP', { skip: !existsSync(join(ROOT, 'server/src/lsp/start.ts')) && 'server/src/lsp/start.ts not written yet' }, async () => {
  const child = spawn(process.execPath, [CLI, 'server', '--stdio'], { cwd: ROOT, stdio: ['pipe', 'pipe', 'pipe'] });
  try {
    const body = JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'initialize', params: { processId: process.pid, rootUri: null, capabilities: {} } });
    child.stdin.write(`Content-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`);
    const response = await new Promise<string>((resolve, reject) => {
      let received = '';
      const timer = setTimeout(() => reject(new Error(`no initialize response; got ${JSON.stringify(received)}`)), 15_000);
      child.stdout.on('data', (chunk: Buffer) => {
        received += chunk.toString('utf8');
        if (/"id"\s*:\s*1\b/.test(received) && received.includes('capabilities')) {
          clearTimeout(timer);
          resolve(received);
        }
      });
      child.on('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`server exited with ${code}; stdout: ${received}`));
      });
    });
    assert.match(response, /^Content-Length: \d+\r\n/);
    assert.match(response, /"capabilities"/);
  } finally {
    child.kill();
  }
});
