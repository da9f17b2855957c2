/// <reference types="mocha" />
// Quick fixes and "fix all" in the real extension host: the code actions the server offers, applied with
// `workspace.applyEdit` or the extension's command, then saved. Every test restores the files it changed.
import * as assert from 'node:assert';
import * as vscode from 'vscode';
import {
  MIGRATION_0002, PRODUCTION_SETTINGS, applyAction, codeActions, has, lacks, open, quickFix, serverStarted, setText,
  waitForDiagnostics, workspaceUri,
} from './helpers';

const FIX_ALL_KIND = 'source.fixAll.migrationGuard';

describe('quick fixes', () => {
  const restore: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const undo of restore.splice(0).reverse()) await undo();
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  /** Opens `relative` and registers its current text to be written back after the test. */
  async function openAndKeep(relative: string): Promise<vscode.TextDocument> {
    const document = await open(relative);
    const original = document.getText();
    restore.push(() => setText(document, original));
    return document;
  }

  it('MG101: AddIndexConcurrently, its import and atomic = False; saving clears MG101', async () => {
    const document = await openAndKeep(MIGRATION_0002);
    await waitForDiagnostics(document.uri, 'MG101', has('MG101'));
    const fix = await quickFix(document, 'MG101', 'AddIndexConcurrently');
    assert.ok(fix.kind && vscode.CodeActionKind.QuickFix.contains(fix.kind), `kind ${fix.kind?.value}`);
    assert.strictEqual(fix.isPreferred, true, 'a safe fix is the preferred one');
    await applyAction(fix);
    const text = document.getText();
    assert.match(text, /^from django\.contrib\.postgres\.operations import AddIndexConcurrently$/m);
    assert.match(text, /^\s+atomic = False$/m);
    assert.match(text, /AddIndexConcurrently\(/);
    assert.doesNotMatch(text, /migrations\.AddIndex\(/);
    assert.ok(await document.save());
    // MG111 (the index build under the project's statement_timeout) takes its place: the file was linted again.
    await waitForDiagnostics(document.uri, 'MG101 to go and MG111 to come', (found) => lacks('MG101')(found) && has('MG111')(found));
  });

  it('MG601/MG602: the settings fix adds statement_timeout and lock_timeout to the replica', async () => {
    const document = await openAndKeep(PRODUCTION_SETTINGS);
    await waitForDiagnostics(document.uri, 'MG601 and MG602', has('MG601', 'MG602'));
    // MG601 and MG602 share one fix (one edit adds both timeouts): one entry for both.
    await applyAction(await quickFix(document, 'MG601', 'Migration Guard (MG601, MG602)'));
    if (!/lock_timeout=\d+/.test(document.getText())) {
      // One fix per rule: MG602's comes once the file is linted again.
      await waitForDiagnostics(document.uri, 'MG602 after the MG601 fix', (found) => lacks('MG601')(found) && has('MG602')(found));
      await applyAction(await quickFix(document, 'MG602', 'Migration Guard (MG602)'));
    }
    const text = document.getText();
    assert.match(text, /statement_timeout=\d+/);
    assert.match(text, /lock_timeout=\d+/);
    assert.ok(await document.save());
    await waitForDiagnostics(document.uri, 'MG601 and MG602 to go (MG603 stays)', (found) => lacks('MG601', 'MG602')(found) && has('MG603')(found));
  });

  it('fix all applies the safe fixes only', async () => {
    await serverStarted();
    // A migration with a safe fix (MG900: an unused noqa code is removed) and an unsafe one (MG301:
    // reverse_code=noop changes what a rollback does). MG201's db_default fix edits models.py too, so it is not
    // offered for a field the example's models.py does not declare (`gift`).
    const uri = workspaceUri('shop/shop/migrations/0011_fix_all.py');
    const source = [
      'from django.db import migrations, models',
      '',
      '',
      'def mark_gifts(apps, schema_editor):',
      '    pass',
      '',
      '',
      'class Migration(migrations.Migration):',
      '    dependencies = [',
      '        ("shop", "0010_normalize_customer_emails"),',
      '    ]',
      '',
      '    operations = [',
      '        migrations.AddField(',
      '            model_name="order",',
      '            name="gift",',
      '            field=models.BooleanField(default=False),',
      '        ),',
      '        migrations.RunPython(mark_gifts),  # noqa: MG203',
      '    ]',
      '',
    ].join('\n');
    await vscode.workspace.fs.writeFile(uri, Buffer.from(source));
    restore.push(async () => {
      await vscode.commands.executeCommand('workbench.action.closeAllEditors');
      await vscode.workspace.fs.delete(uri);
    });
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    await waitForDiagnostics(uri, 'MG900 and MG301', has('MG900', 'MG301'));

    const whole = new vscode.Range(0, 0, document.lineCount, 0);
    const fixAll = (await codeActions(uri, whole, FIX_ALL_KIND)).filter((action) => action.kind?.value === FIX_ALL_KIND);
    assert.strictEqual(fixAll.length, 1, `one ${FIX_ALL_KIND} action`);

    await vscode.commands.executeCommand('migrationGuard.fixAll');
    const text = document.getText();
    assert.doesNotMatch(text, /noqa: MG203/, 'the safe MG900 fix is applied');
    assert.match(text, /migrations\.RunPython\(mark_gifts\),/, 'the unsafe MG301 fix (reverse_code) is not');
    assert.ok(await document.save());
    await waitForDiagnostics(uri, 'MG900 to go (MG301 stays)', (found) => lacks('MG900')(found) && has('MG301')(found));

    // production_settings.py has fixes, all unsafe: no fix-all action.
    const settings = await open(PRODUCTION_SETTINGS);
    await waitForDiagnostics(settings.uri, 'MG601', has('MG601'));
    const settingsFixAll = await codeActions(settings.uri, new vscode.Range(0, 0, settings.lineCount, 0), FIX_ALL_KIND);
    assert.deepStrictEqual(settingsFixAll.filter((action) => action.kind?.value === FIX_ALL_KIND).map((action) => action.title), []);
  });
});
