// Where two branches of the graph meet (a merge migration), the state is what replaying both gives: each branch's
// changes since their common base stay (saleor's site 0047: a state-only RemoveField in one branch, an AddField in
// the other; "newest model wins" brought the removed fields back and made 3 wrong MG202 findings).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { applyOperation, mergeStates, type ModelState, type ProjectState } from '../../server/src/analysis/state';
import type { StateOperation } from '../../server/src/analysis/summary';
import { initParser } from '../../server/src/base/parser';
import { indexProject } from '../helpers/engine';
import { FIXTURES } from '../helpers/paths';

before(() => initParser());

const KEY = 'site.sitesettings';

function fields(model: ModelState | undefined): string[] {
  return [...(model?.fields.keys() ?? [])].sort();
}

test('the merge keeps one branch\'s state-only removals and the other\'s added field, in either order', () => {
  const { workspace } = indexProject(join(FIXTURES, 'projects', 'merged-branches'));
  const removed = workspace.stateAfter('site.0002_remove_digital_settings_from_state');
  const added = workspace.stateAfter('site.0002_sitesettings_login_mode');
  assert.deepEqual(fields(removed.get(KEY)), ['id', 'name']);
  assert.deepEqual(fields(added.get(KEY)), ['automatic_fulfillment', 'digital_max_downloads', 'id', 'login_mode', 'name']);
  for (const states of [[removed, added], [added, removed]]) {
    assert.deepEqual(fields(mergeStates(states).get(KEY)), ['id', 'login_mode', 'name']);
  }
  assert.deepEqual(fields(workspace.stateAfter('site.0003_merge').get(KEY)), ['id', 'login_mode', 'name']);
  assert.deepEqual(fields(workspace.stateBeforeNode('site.0004_drop_digital_settings').get(KEY)), ['id', 'login_mode', 'name']);
});

const location = { path: '/p/shop/migrations/0001_initial.py', range: { start: 0, end: 0 } };

function op(kind: string, extra: Partial<StateOperation>): StateOperation {
  return { index: 0, kind, scope: 'both', model: 'order', modelWritten: true, location, ...extra };
}

function after(start: ProjectState, ...ops: StateOperation[]): ProjectState {
  const state = new Map(start);
  for (const each of ops) applyOperation(state, 'shop', each);
  return state;
}

test('three-way per index, constraint and option: both branches\' additions, removals and validations stay', () => {
  const base = after(new Map(), op('CreateModel', {
    fields: [{ name: 'id', location }, { name: 'note', location }],
    options: { indexes: [{ name: 'old_idx', fields: ['note'] }], constraints: [{ name: 'note_check', kind: 'CheckConstraint', validated: false }] },
  }));
  const left = after(base,
    op('AddIndex', { indexInfo: { name: 'left_idx', fields: ['id'] } }),
    op('ValidateConstraint', { oldName: 'note_check' }),
    op('AlterModelTable', { table: 'shop_orders' }));
  const right = after(base,
    op('RemoveIndex', { oldName: 'old_idx' }),
    op('AddIndex', { indexInfo: { name: 'right_idx', fields: ['note'] } }),
    op('AddField', { fieldName: 'total', field: undefined }));
  for (const states of [[left, right], [right, left]]) {
    const model = mergeStates(states).get('shop.order')!;
    assert.deepEqual(model.indexes.map((index) => index.name).sort(), ['left_idx', 'right_idx']);
    assert.deepEqual(model.constraints.map((constraint) => [constraint.name, constraint.validated]), [['note_check', true]]);
    assert.equal(model.dbTable, 'shop_orders');
    assert.deepEqual(fields(model), ['id', 'note', 'total']);
  }
});

test('a version made from the other wins whole (one line of history), and a model new in one branch is kept', () => {
  const base = after(new Map(), op('CreateModel', { fields: [{ name: 'id', location }] }));
  const later = after(base, op('AddField', { fieldName: 'note' }), op('CreateModel', { model: 'line', fields: [{ name: 'id', location }] }));
  for (const states of [[base, later], [later, base]]) {
    const merged = mergeStates(states);
    assert.equal(merged.get('shop.order'), later.get('shop.order'));
    assert.ok(merged.has('shop.line'));
  }
});

test('a deletion in one branch stays deleted after the merge', () => {
  const base = after(new Map(), op('CreateModel', { fields: [{ name: 'id', location }] }));
  const deleted = after(base, op('DeleteModel', {}));
  const changed = after(base, op('AddField', { fieldName: 'note' }));
  for (const states of [[deleted, changed], [changed, deleted]]) assert.equal(mergeStates(states).get('shop.order')?.deleted, true);
});
