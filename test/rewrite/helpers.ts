// Runs a rewrite the way the CLI does, on a copy of a fixture project (test/fixtures/rewrite/<name>): index the
// project, lint the migration, plan the rewrite of its finding, write the edited migration and the new files.
import { cpSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigResolver } from '../../server/src/config/pyproject';
import { collectPythonFiles, readSource } from '../../server/src/base/files';
import { lintSource, type LintResult } from '../../server/src/engine/lint';
import { Workspace } from '../../server/src/engine/workspace';
import { applyEdits } from '../../server/src/fixes/apply';
import { planRewrite, type Rewrite } from '../../server/src/rewrite';
import { FIXTURES } from '../helpers/paths';

export const REWRITE_FIXTURES = join(FIXTURES, 'rewrite');

/**
 * The rewrite fixtures: project → the migration with the finding, the code, the line of the operation (1-based),
 * and a row the new code (the project's models.py) inserts once step 1 is deployed.
 */
export const CASES = [
  { project: 'set-not-null', migration: 'shop/migrations/0002_alter_order_note.py', code: 'MG106', line: 11, insert: { model: 'Order', values: { note: 'x' } } },
  { project: 'set-not-null-default', migration: 'shop/migrations/0002_alter_order_note.py', code: 'MG106', line: 11, insert: { model: 'Order', values: { note: 'x' } } },
  { project: 'remove-field', migration: 'shop/migrations/0002_remove_order_note.py', code: 'MG202', line: 11, insert: { model: 'Order', values: { total: 1 } } },
  { project: 'remove-field-nullable', migration: 'shop/migrations/0002_remove_order_total.py', code: 'MG202', line: 11, insert: { model: 'Order', values: { note: 'x' } } },
  { project: 'rename-field', migration: 'shop/migrations/0002_rename_note_order_comment.py', code: 'MG204', line: 11, insert: { model: 'Order', values: { comment: 'x' } } },
  { project: 'unique-constraint', migration: 'shop/migrations/0002_order_order_reference_uniq.py', code: 'MG103', line: 11, insert: { model: 'Order', values: { reference: 'new' } } },
  { project: 'unique-constraint-moved', migration: 'shop/migrations/0002_order_order_reference_uniq.py', code: 'MG103', line: 15, insert: { model: 'Order', values: { reference: 'new' } } },
  { project: 'unique-together', migration: 'shop/migrations/0002_alter_order_unique_together.py', code: 'MG103', line: 11, insert: { model: 'Order', values: { reference: 'new' } } },
  { project: 'unique-field', migration: 'shop/migrations/0002_alter_order_reference.py', code: 'MG103', line: 11, insert: { model: 'Order', values: { reference: 'new' } } },
  { project: 'add-not-null', migration: 'shop/migrations/0002_order_status.py', code: 'MG201', line: 11, insert: { model: 'Order', values: { note: 'x' } } },
  // Django 3.2 (no AddConstraintNotValid): the CHECK added and validated through RunSQL.
  { project: 'set-not-null-django32', migration: 'shop/migrations/0002_alter_order_note.py', code: 'MG106', line: 11, insert: { model: 'Order', values: { note: 'x' } } },
  { project: 'add-not-null-django32', migration: 'shop/migrations/0002_order_status.py', code: 'MG201', line: 11, insert: { model: 'Order', values: { note: 'x' } } },
  { project: 'foreign-key', migration: 'shop/migrations/0002_alter_order_coupon.py', code: 'MG105', line: 12, insert: { model: 'Order', values: { note: 'x' } } },
  { project: 'foreign-key-add', migration: 'shop/migrations/0002_order_coupon.py', code: 'MG105', line: 12, insert: { model: 'Order', values: { note: 'x' } } },
  // The foreign key with its index (db_index=True, the default): the index built CONCURRENTLY in a step of its own.
  { project: 'foreign-key-add-indexed', migration: 'shop/migrations/0002_order_coupon.py', code: 'MG105', line: 12, insert: { model: 'Order', values: { note: 'x' } } },
  { project: 'rename-model', migration: 'shop/migrations/0002_rename_order_purchase.py', code: 'MG205', line: 11, insert: { model: 'Purchase', values: { note: 'x' } } },
  { project: 'delete-model', migration: 'shop/migrations/0002_delete_order.py', code: 'MG203', line: 11, insert: { model: 'Item', values: { name: 'x' } } },
] as const;

export type Case = (typeof CASES)[number];

/** A copy of the fixture project in a temp dir. */
export function copyProject(project: string): string {
  const dir = mkdtempSync(join(tmpdir(), `mg-rewrite-${project}-`));
  cpSync(join(REWRITE_FIXTURES, project), dir, { recursive: true });
  return dir;
}

/** Every migration and settings module of the project indexed, as `migration-guard check` does. */
export function indexDir(dir: string): Workspace {
  const workspace = new Workspace();
  for (const file of collectPythonFiles([dir])) {
    const source = readSource(file);
    if (source.ok) workspace.indexText(file, source.text);
  }
  return workspace;
}

export function lintFile(path: string, workspace: Workspace): LintResult {
  const text = readFileSync(path, 'utf8');
  const { config } = new ConfigResolver({}).forFile(path);
  return lintSource({ path, text, config, workspace, onRuleError: (rule, error) => { throw new Error(`${rule.code} threw: ${(error as Error).stack}`); } });
}

/** Plans the rewrite of the case's finding in `dir` (a copy of its project) and writes it; returns it. */
export function rewriteProject(dir: string, testCase: Case): Rewrite {
  const path = join(dir, testCase.migration);
  const workspace = indexDir(dir);
  const text = readFileSync(path, 'utf8');
  const result = lintFile(path, workspace);
  result.tree.delete();
  const finding = result.violations.find((violation) => violation.code === testCase.code && text.slice(0, violation.range.start).split('\n').length === testCase.line);
  if (!finding) throw new Error(`${testCase.project}: no ${testCase.code} on line ${testCase.line}: ${result.violations.map((v) => v.code).join(', ')}`);
  const { config } = new ConfigResolver({}).forFile(path);
  const outcome = planRewrite({ path, text, config, workspace, code: testCase.code, offset: finding.range.start });
  if (!outcome?.ok) throw new Error(`${testCase.project}: not rewritten: ${outcome ? outcome.reason : 'no rewrite'}`);
  writeFileSync(path, applyEdits(text, outcome.rewrite.edits));
  for (const other of outcome.rewrite.otherFiles) writeFileSync(other.path, applyEdits(other.text, other.edits));
  for (const created of outcome.rewrite.files) writeFileSync(created.path, created.text, { flag: 'wx' });
  return outcome.rewrite;
}
