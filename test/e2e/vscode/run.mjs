#!/usr/bin/env node
// End-to-end test in a REAL VS Code: code-server 4.100.3 (the VS Code 1.100.3 workbench and a Node extension host),
// driven by playwright-core through Debian's Chromium. Packages the extension into a .vsix, installs it into a
// throw-away code-server profile, opens a copy of examples/ and checks, polling (never a fixed sleep):
//   1. the hover on `AddIndex` in 0002_order_created_idx.py mentions the SHARE lock      (docs/images/hover.png)
//   2. the language status item names the pyproject.toml that applies and how many migrations are indexed
//   3. the Problems panel lists the expected MG codes, MG101 on 0002_order_created_idx.py (docs/images/problems.png)
//   4. the MG101 quick fix through Ctrl+. writes AddIndexConcurrently, its import and atomic = False, and clears MG101
//   5. the MG601/MG602 quick fixes on production_settings.py add the timeouts to the replica's OPTIONS
//   6. `migrationGuard.ignore` in the user settings.json removes a diagnostic
//   7. MG106's "Rewrite as safe steps" through the lightbulb edits the migration and creates the follow-ups, which
//      open in the editor                                                                    (docs/images/rewrite.png)
//   8. a Lint Workspace finding more than 50 problems (a generated 40-migration legacy app) offers Start From Here;
//      choosing it writes start-after into shop/pyproject.toml and the Problems count drops; the next Lint Workspace
//      (start-after removed again) does not offer it a second time              (docs/images/start-from-here-offer.png)
// Needs `test/e2e/vscode/install.sh` first (code-server and playwright-core live in a cache outside the repo);
// builds dist/ itself. Usage: node test/e2e/vscode/run.mjs [--keep] [--headed] (--keep keeps the temp dir; it is
// always kept, with a screenshot, when a step fails). The screenshots go to docs/images/ (hover.png, status.png, problems.png, rewrite.png,
// start-from-here-offer.png).
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { baseSettings, createProfile, installExtension, launchBrowser, poll, repo, requireCodeServer, startCodeServer, workbench } from './harness.mjs';

const keep = process.argv.includes('--keep');
const headed = process.argv.includes('--headed');
const started = Date.now();

function log(message) {
  console.log(`[e2e ${((Date.now() - started) / 1000).toFixed(1).padStart(5)}s] ${message}`);
}

requireCodeServer();

// ---- a throw-away profile and workspace -------------------------------------------------------------------------
const profile = createProfile('mg-e2e-vscode-');
const { temp, settingsPath } = profile;
const workspace = join(temp, 'workspace');
cpSync(join(repo, 'examples'), workspace, { recursive: true });
const migrationPath = join(workspace, 'shop/shop/migrations/0002_order_created_idx.py');
const productionSettingsPath = join(workspace, 'shop/shop_project/production_settings.py');

// ---- build, package and install the extension -----------------------------------------------------------------------
installExtension(profile, log);

/**
 * A legacy app of `count` migrations: the first creates `Item`, each later one adds an index to it and runs a data
 * migration without a reverse (MG101 and MG301 each): a history with far more problems than the offer's threshold.
 * Returns `count`.
 */
function writeLegacyApp(dir, count) {
  mkdirSync(join(dir, 'migrations'), { recursive: true });
  writeFileSync(join(dir, '__init__.py'), '');
  writeFileSync(join(dir, 'migrations/__init__.py'), '');
  const name = (n) => `${String(n).padStart(4, '0')}_${n === 1 ? 'initial' : `item_idx_${n}`}`;
  for (let n = 1; n <= count; n++) {
    const operations = n === 1
      ? ['        migrations.CreateModel(name="Item", fields=[("id", models.BigAutoField(primary_key=True)), ("code", models.IntegerField())]),']
      : [`        migrations.AddIndex(model_name="item", index=models.Index(fields=["code"], name="legacy_item_${n}_idx")),`, '        migrations.RunPython(forwards),'];
    writeFileSync(join(dir, 'migrations', `${name(n)}.py`), [
      'from django.db import migrations, models', '', '',
      'def forwards(apps, schema_editor):', '    pass', '', '',
      'class Migration(migrations.Migration):',
      n === 1 ? '    initial = True' : `    dependencies = [("legacy", "${name(n - 1)}")]`, '',
      '    operations = [', ...operations, '    ]', '',
    ].join('\n'));
  }
  return count;
}

// ---- start code-server and the browser ----------------------------------------------------------------------------
let codeServer;
let browser;
let failed = false;
const results = [];
async function step(name, body) {
  const stepStart = Date.now();
  await body();
  results.push(`${name} (${Date.now() - stepStart} ms)`);
  log(`ok ${results.length} - ${name} (${Date.now() - stepStart} ms)`);
}

try {
  codeServer = await startCodeServer(profile, workspace);
  const { base } = codeServer;
  log(`code-server listening on ${base}`);
  browser = await launchBrowser({ headed });
  const context = await browser.newContext({ viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await page.goto(`${base}/?folder=${encodeURIComponent(workspace)}`);
  await page.locator('.monaco-workbench').waitFor({ timeout: 60_000 });
  log('workbench loaded');

  const { openFile, textBox, save, runCommand, problemRows, problemsIn, applyQuickFix, problemCounts, lintWorkspace, clearNotifications } = workbench(page, log);

  // 1. The hover on AddIndex.
  await step('hover on AddIndex mentions the SHARE lock', async () => {
    await openFile('0002_order_created_idx.py');
    await page.locator('.editor-instance .squiggly-warning, .editor-instance .squiggly-error').first().waitFor({ timeout: 60_000 });
    const box = await textBox('AddIndex', 'migrations.AddIndex(');
    const hover = page.locator('.monaco-hover-content:visible');
    const text = await poll('a hover that mentions the SHARE lock', async () => {
      await page.mouse.move(box.x + 2, box.y + box.height / 2);
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      const texts = await hover.allTextContents();
      const all = texts.join('\n');
      return /SHARE lock/.test(all) ? all : undefined;
    }, 30_000, 300);
    if (!/MG101/.test(text)) throw new Error(`the hover does not name MG101:\n${text}`);
    log(`  hover: ${text.replace(/\s+/g, ' ').slice(0, 200)}…`);
    mkdirSync(join(repo, 'docs/images'), { recursive: true });
    await page.screenshot({ path: join(repo, 'docs/images/hover.png') });
    await page.keyboard.press('Escape');
  });

  // 2. The language status item ({} next to "Python" in the status bar).
  await step('language status shows the file kind, the database and versions assumed with their sources, the pyproject.toml that applies and the index size', async () => {
    const indicator = page.locator('[id="status.languageStatus"]');
    await indicator.waitFor();
    const expectedText = (all) => /Migration Guard: migration/.test(all) && /PostgreSQL 16 \(pyproject\.toml\), Django \d+\.\d+ \(requirements\)/.test(all)
      && /config: [^·]*pyproject\.toml · \d+ migrations and \d+ settings modules indexed/.test(all);
    const hoverText = async () => (await page.locator('.hover-language-status').allTextContents()).join('\n').replace(/\s+/g, ' ');
    // The hover shows after a delay and stays while the pointer does; the counts come once the index is built.
    const text = await poll('the Migration Guard item in the language status hover', async () => {
      await page.mouse.move(1, 1);
      await indicator.hover();
      return poll('the language status hover', async () => { const all = await hoverText(); return expectedText(all) ? all : undefined; }, 3_000).catch(() => undefined);
    }, 30_000);
    log(`  language status: ${text.slice(0, 200)}`);
    await page.screenshot({ path: join(repo, 'docs/images/status.png') });
    const [, migrations] = /(\d+) migrations and/.exec(text);
    if (Number(migrations) !== 10) throw new Error(`expected the 10 migrations of examples/shop indexed: ${text}`);
    await page.mouse.move(1, 1);
  });

  // 3. The Problems panel, filled for the whole workspace.
  const expected = ['MG101', 'MG201', 'MG202', 'MG301', 'MG302', 'MG601', 'MG602', 'MG603', 'MG703', 'MG705'];
  await step(`Problems panel lists ${expected.join(', ')}`, async () => {
    await runCommand('Migration Guard: Lint Workspace');
    await page.keyboard.press('Control+Shift+M');
    await page.locator('.markers-panel').waitFor();
    await runCommand('View: Toggle Maximized Panel');
    const rows = await poll('every expected code in the Problems panel', async () => {
      const labels = await problemRows();
      const all = labels.join('\n');
      return expected.every((code) => all.includes(code)) ? labels : undefined;
    }, 60_000);
    const mg101 = rows.filter((label) => label.includes('MG101'));
    if (!mg101.length) throw new Error('no MG101 row');
    // A marker row's aria-label names the file only through its parent; check the file row precedes the MG101 row.
    const fileRow = rows.slice(0, rows.indexOf(mg101[0])).reverse().find((label) => /\.py/.test(label) && !/MG\d{3}/.test(label));
    if (!fileRow?.includes('0002_order_created_idx.py')) throw new Error(`MG101 is not under 0002_order_created_idx.py:\n${rows.join('\n')}`);
    log(`  ${rows.length} rows, e.g. ${mg101[0].slice(0, 200)}…`);
    await page.mouse.move(1, 1);
    // A clean picture: wait for the lint's progress notification to end, then clear the notifications.
    const toasts = page.locator('.notifications-toasts .notification-toast');
    await poll('the lint progress notification to end', async () => !(await toasts.allTextContents()).some((text) => /linting the workspace/i.test(text)));
    if (await toasts.count()) await runCommand('Notifications: Clear All Notifications');
    await poll('no notification toasts', async () => (await toasts.count()) === 0);
    await page.screenshot({ path: join(repo, 'docs/images/problems.png') });
    await runCommand('View: Toggle Maximized Panel');
  });

  // 4. The MG101 quick fix through Ctrl+. and Ctrl+S.
  await step('MG101 quick fix writes AddIndexConcurrently, its import and atomic = False, and clears MG101', async () => {
    await openFile('0002_order_created_idx.py');
    const box = await textBox('AddIndex', 'migrations.AddIndex(');
    await applyQuickFix(box, ['MG101', 'AddIndexConcurrently']);
    const text = await save('the fixed migration on disk', () => {
      const text = readFileSync(migrationPath, 'utf8');
      return /AddIndexConcurrently\(/.test(text) ? text : undefined;
    });
    for (const expectedText of [/from django\.contrib\.postgres\.operations import AddIndexConcurrently/, /^\s+atomic = False$/m, /AddIndexConcurrently\(/]) {
      if (!expectedText.test(text)) throw new Error(`the fixed migration lacks ${expectedText}:\n${text}`);
    }
    if (/migrations\.AddIndex\(/.test(text)) throw new Error(`migrations.AddIndex( is still there:\n${text}`);
    await poll('MG101 to leave the Problems panel (MG111 stays)', async () => {
      const rows = await problemsIn('0002_order_created_idx.py');
      return !rows.some((row) => row.includes('MG101')) && rows.some((row) => row.includes('MG111'));
    }, 30_000);
  });

  // 5. The settings quick fixes on production_settings.py.
  await step('the one MG601, MG602 quick fix adds the timeouts to production_settings.py', async () => {
    await openFile('production_settings.py');
    await poll('MG601 on production_settings.py', async () => (await problemsIn('production_settings.py')).some((row) => row.includes('MG601')), 30_000);
    const box = await textBox('DATABASES', 'DATABASES["replica"]');
    await applyQuickFix(box, ['Migration Guard (MG601, MG602)']);
    await save('statement_timeout in production_settings.py on disk', () => /statement_timeout=\d+/.test(readFileSync(productionSettingsPath, 'utf8')));
    if (!/lock_timeout=\d+/.test(readFileSync(productionSettingsPath, 'utf8'))) {
      await poll('MG602 still reported', async () => (await problemsIn('production_settings.py')).some((row) => row.includes('MG602')), 30_000);
      await applyQuickFix(await textBox('DATABASES', 'DATABASES["replica"]'), ['Migration Guard (MG602)']);
      await save('lock_timeout in production_settings.py on disk', () => /lock_timeout=\d+/.test(readFileSync(productionSettingsPath, 'utf8')));
    }
    await poll('MG601 and MG602 to leave the Problems panel (MG603 stays)', async () => {
      const rows = await problemsIn('production_settings.py');
      return !rows.some((row) => /MG60[12]/.test(row)) && rows.some((row) => row.includes('MG603'));
    }, 30_000);
    log(`  production_settings.py now:\n${readFileSync(productionSettingsPath, 'utf8').replace(/^/gm, '    ')}`);
  });

  // 6. migrationGuard.ignore in the user settings.
  await step('migrationGuard.ignore ["MG703"] in the user settings.json (edited in VS Code) removes MG703 and keeps MG705', async () => {
    await poll('MG703 before the setting', async () => (await problemsIn('production_settings.py')).some((row) => row.includes('MG703')), 30_000);
    // Through the editor, as a user would: code-server does not notice an outside write to its settings.json.
    await runCommand('Preferences: Open User Settings (JSON)');
    await page.locator('.tab.active[aria-label*="settings.json"]').waitFor();
    await page.locator('.editor-instance .monaco-editor textarea').first().focus();
    await page.keyboard.press('Control+A');
    await page.keyboard.insertText(JSON.stringify({ ...baseSettings, 'migrationGuard.ignore': ['MG703'] }, null, 2));
    await page.keyboard.press('Control+S');
    await poll('settings.json saved', () => /"MG703"/.test(readFileSync(settingsPath, 'utf8')));
    await poll('MG703 to leave the Problems panel', async () => {
      const labels = await problemsIn('production_settings.py');
      return !labels.some((label) => label.includes('MG703')) && labels.some((label) => label.includes('MG705'));
    }, 30_000);
  });

  // 7. "Rewrite as safe steps" for MG106, through the lightbulb menu.
  await step('MG106 "Rewrite as safe steps" edits the migration and creates its two follow-ups', async () => {
    const migrations = join(workspace, 'shop/shop/migrations');
    const alterPath = join(migrations, '0011_alter_order_tracking_number.py');
    writeFileSync(alterPath, [
      'from django.db import migrations, models', '', '',
      'class Migration(migrations.Migration):', '    dependencies = [', '        ("shop", "0010_normalize_customer_emails"),', '    ]', '',
      '    operations = [', '        migrations.AlterField(', '            model_name="order",', '            name="tracking_number",',
      '            field=models.CharField(blank=True, max_length=64),', '        ),', '    ]', '',
    ].join('\n'));
    await openFile('0011_alter_order_tracking_number.py');
    await poll('MG106 on 0011_alter_order_tracking_number.py', async () => (await problemsIn('0011_alter_order_tracking_number.py')).some((row) => row.includes('MG106')), 30_000);
    await applyQuickFix(await textBox('AlterField', 'migrations.AlterField('), ['MG106', 'Rewrite as safe steps']);
    const followUps = ['0012_order_validate_order_tracking_number_not_null.py', '0013_alter_order_tracking_number_and_more.py'];
    await poll('the follow-up migrations created on disk', () => followUps.every((name) => existsSync(join(migrations, name))));
    await runCommand('File: Save All');
    await poll('the rewritten migration and its follow-ups saved', () =>
      /AddConstraintNotValid\(/.test(readFileSync(alterPath, 'utf8'))
      && /ValidateConstraint\(/.test(readFileSync(join(migrations, followUps[0]), 'utf8'))
      && /RemoveConstraint\(/.test(readFileSync(join(migrations, followUps[1]), 'utf8')));
    // The rewritten migration has no problem left, so the filtered panel shows no row for it at all.
    await page.locator('.viewpane-filter input, .markers-panel-action-filter input').first().fill('**/0011_alter_order_tracking_number.py');
    await poll('MG106 to leave the Problems panel', async () => !(await problemRows()).some((row) => row.includes('MG106')), 30_000);
    // The action's command (window/showDocument) opened the first follow-up: it is a tab already. VS Code opens none
    // of the files a WorkspaceEdit creates by itself.
    await page.locator(`.tab[aria-label*="${followUps[0]}"]`).click();
    await page.locator(`.tab.active[aria-label*="${followUps[0]}"]`).waitFor();
    await textBox('ValidateConstraint', 'ValidateConstraint(');
    await page.screenshot({ path: join(repo, 'docs/images/rewrite.png') });
  });

  // 8. The Start From Here offer: a legacy app whose history has more problems than the offer's threshold.
  await step('a Lint Workspace with more than 50 problems offers Start From Here once; choosing it writes start-after and the Problems count drops', async () => {
    const pyprojectPath = join(workspace, 'shop/pyproject.toml');
    const pyprojectBefore = readFileSync(pyprojectPath, 'utf8');
    const legacyCount = writeLegacyApp(join(workspace, 'shop/legacy'), 40);
    const offer = page.locator('.notifications-toasts .notification-toast', { hasText: 'Start From Here silences' });
    const linted = await lintWorkspace();
    const problems = Number(/: (\d+) problems/.exec(linted)?.[1]);
    if (!(problems > 50)) throw new Error(`expected more than 50 problems with the ${legacyCount} legacy migrations: ${linted}`);
    log(`  ${linted.replace(/\s+/g, ' ').slice(0, 120)}`);
    await offer.waitFor({ timeout: 30_000 });
    log(`  offer: ${(await offer.textContent())?.replace(/\s+/g, ' ').slice(0, 200)}`);
    const before = await poll(`the status bar to count the ${problems} problems`, async () => { const counts = await problemCounts(); return counts.total >= problems ? counts : undefined; }, 60_000);
    await page.locator('.viewpane-filter input, .markers-panel-action-filter input').first().fill('');
    await page.screenshot({ path: join(repo, 'docs/images/start-from-here-offer.png') });
    await offer.getByRole('button', { name: 'Start From Here' }).click();
    const written = await poll('start-after written into shop/pyproject.toml', () => {
      const text = readFileSync(pyprojectPath, 'utf8');
      return /\[tool\.migration-guard\.start-after\]\nlegacy = "0040_[\w]+"\nshop = "\d{4}_[\w]+"\n$/.test(text) ? text : undefined;
    });
    if (!written.startsWith(pyprojectBefore.replace(/\n+$/, ''))) throw new Error(`the rest of pyproject.toml changed:\n${written}`);
    const after = await poll('the Problems count to drop', async () => { const counts = await problemCounts(); return counts.total < before.total - legacyCount ? counts : undefined; }, 60_000);
    log(`  status bar before: ${before.label}; after: ${after.label}`);
    // Not again: with the history's problems back (start-after removed), the next Lint Workspace offers nothing.
    writeFileSync(pyprojectPath, pyprojectBefore);
    await poll('the problems back once start-after is gone', async () => (await problemCounts()).total >= before.total, 60_000);
    const again = await lintWorkspace();
    if (!(Number(/: (\d+) problems/.exec(again)?.[1]) > 50)) throw new Error(`the second lint should still find more than 50 problems: ${again}`);
    // The offer is shown in the same turn as the "linted" message: after a second of toasts without it, it is not coming.
    const deadline = Date.now() + 2_000;
    while (Date.now() < deadline) {
      if (await offer.count()) throw new Error('Start From Here was offered a second time');
      await new Promise((done) => setTimeout(done, 100));
    }
    await clearNotifications();
  });

  if (pageErrors.length) log(`page errors (not failures): ${pageErrors.slice(0, 5).join(' | ')}`);
} catch (error) {
  failed = true;
  console.error(`not ok - ${error.stack ?? error}`);
  if (browser) {
    const [page] = browser.contexts()[0]?.pages() ?? [];
    if (page) {
      const shot = join(temp, 'failure.png');
      await page.screenshot({ path: shot }).catch(() => {});
      console.error(`screenshot: ${shot}`);
    }
  }
  if (codeServer) console.error(`code-server log (tail):\n${codeServer.log().slice(-4000)}`);
} finally {
  await browser?.close().catch(() => {});
  await codeServer?.stop();
  if (keep || failed) log(`kept ${temp}`);
  else rmSync(temp, { recursive: true, force: true });
}

log(`${failed ? 'FAILED' : 'passed'}: ${results.length}/8 steps in ${((Date.now() - started) / 1000).toFixed(1)} s`);
process.exit(failed ? 1 : 0);
