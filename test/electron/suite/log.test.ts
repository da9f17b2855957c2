/// <reference types="mocha" />
// The output channel logs each event once, at its level: read from the channel's log file (the extension's log folder).
import * as assert from 'node:assert';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { EXTENSION_ID, serverStarted } from './helpers';

function logText(): string {
  const folder = vscode.extensions.getExtension<{ logFolder: string }>(EXTENSION_ID)!.exports.logFolder;
  const file = join(folder, 'Migration Guard.log');
  return existsSync(file) ? readFileSync(file, 'utf8') : '';
}

async function waitForLog(pattern: RegExp, timeoutMs = 20_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const text = logText();
    if (pattern.test(text)) return text;
    if (Date.now() > deadline) throw new Error(`the log never showed ${pattern}:\n${text.slice(-2000)}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('output channel', () => {
  it('a start and a Lint Workspace run are logged once each, at info', async () => {
    await serverStarted();
    const before = (logText().match(/linted the workspace/gi) ?? []).length;
    await vscode.commands.executeCommand('migrationGuard.lintWorkspace');
    const text = await waitForLog(/Linted the workspace: \d+ files/);
    const lines = text.split('\n');
    assert.strictEqual((text.match(/linted the workspace|linted \d+ files/gi) ?? []).length, before + 1, 'one line for the run');
    // One start, one line saying the server is up (the server's "ready" line), per start.
    const starts = lines.filter((line) => /Starting the server:/.test(line)).length;
    const ready = lines.filter((line) => /ready \(node /.test(line)).length;
    assert.strictEqual(ready, starts, text);
    assert.ok(!lines.some((line) => /The server is running\./.test(line)), 'no second line for the same start');
    for (const line of lines.filter((candidate) => /Linted the workspace|ready \(node /.test(candidate))) assert.match(line, /\[info\]/);
  });
});
