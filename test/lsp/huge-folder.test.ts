// Issue 11 item 8: a workspace folder of a huge tree (60,000 Python files) keeps answering while it is indexed
// and while Lint Workspace walks it, and the 50,000-file cap says so. No timing assertion: "answered before the
// index (or the walk) ended" is the bound.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { ADD_INDEX_MIGRATION, INITIAL_MIGRATION, TestClient, makeProject } from './client';

const FILES = 60_000;

test('a 60,000-file folder: hovers answered while indexing and while Lint Workspace walks it; the cap warning', async () => {
  const project = makeProject({
    'aaa/migrations/__init__.py': '',
    'aaa/migrations/0001_initial.py': INITIAL_MIGRATION.replace(/"shop"/g, '"aaa"'),
  });
  for (let dir = 0; dir < FILES / 500; dir++) {
    const folder = join(project.root, 'vendor', `pkg${dir}`);
    mkdirSync(folder, { recursive: true });
    for (let file = 0; file < 500; file++) writeFileSync(join(folder, `m${file}.py`), 'x = 1\n');
  }
  const client = new TestClient({ rootPath: project.root, workDoneProgress: true });
  // The index waits for its progress to be accepted (after its walk): still indexing, however fast it would be.
  const releaseIndex = client.holdProgress();
  try {
    await client.initialize();
    const text = ADD_INDEX_MIGRATION.replace(/"shop"/g, '"aaa"');
    const uri = await client.open(project.write('aaa/migrations/0002_idx.py', text), text);
    const position = { line: 7, character: 20 }; // on `AddIndex`
    const status = () => client.connection.sendRequest<{ indexing: boolean }>('migrationGuard/status', { uri });
    // A hover while the index is being built (its walk of the folder done, its files not read yet) is answered.
    await client.waitFor(() => (client.progressTokens.length > 0 ? true : undefined), 'the index asking for its progress');
    assert.ok(await client.hover(uri, position), 'a hover was answered while the folder was being indexed');
    assert.equal((await status()).indexing, true, 'the folder was still being indexed');
    releaseIndex();
    await client.waitFor(() => (client.progress.some((item) => item.value.kind === 'end') ? true : undefined), 'the end of the index');
    await client.waitFor(() => (client.logs.some((line) => /more than 50,000 Python files: only the first 50,000 are indexed/.test(line)) ? true : undefined), 'the cap warning');
    // Lint Workspace walks the same tree: a hover sent after it is answered before it ends.
    let lintDone = false;
    const lint = client.lintWorkspace().then((result) => { lintDone = true; return result; });
    const hover = await client.hover(uri, position);
    assert.ok(hover, 'the hover is answered');
    assert.equal(lintDone, false, 'the hover was answered before Lint Workspace ended');
    // Messages arrive in order: a walk that blocked would have logged its cap before the hover's answer.
    assert.ok(!client.logs.some((line) => /Lint Workspace: .* more than 50,000 Python files/.test(line)), 'the hover was answered while the walk was still going');
    await lint;
    assert.ok(client.logs.some((line) => /Lint Workspace: .* more than 50,000 Python files/.test(line)), 'the walk capped too');
  } finally {
    releaseIndex();
    await client.dispose();
    project.dispose();
  }
});
