// State replay of the `shopsite` fixture project compared with a hand-written expected state.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, test } from 'node:test';
import { FieldMap } from '../../server/src/analysis/field-map';
import { tableOf, type ModelState, type ProjectState } from '../../server/src/analysis/state';
import { initParser } from '../../server/src/base/parser';
import { indexProject } from '../helpers/engine';
import { FIXTURES } from '../helpers/paths';

before(() => initParser());

const ROOT = join(FIXTURES, 'projects', 'shopsite');

/** A readable digest of a model: table, `field: Type(null, unique…)`, indexes, constraints, unique sets. */
function digest(model: ModelState | undefined) {
  if (!model) return undefined;
  const fields = Object.fromEntries([...model.fields].map(([name, field]) => {
    const info = field.info;
    if (!info) return [name, '?'];
    const flags = [
      info.null === true ? 'null' : '',
      info.unique === true ? 'unique' : '',
      info.dbIndex === true && !info.isRelation ? 'index' : '',
      info.primaryKey === true ? 'pk' : '',
      info.maxLength !== undefined ? `max_length=${info.maxLength}` : '',
      info.maxDigits !== undefined ? `digits=${info.maxDigits},${info.decimalPlaces}` : '',
      info.to !== undefined ? `to=${info.to}` : '',
      info.hasDbDefault ? 'db_default' : '',
    ].filter(Boolean);
    return [name, `${info.type}(${flags.join(', ')})`];
  }));
  return {
    table: tableOf(model),
    fields,
    indexes: model.indexes.map((index) => `${index.name}: ${JSON.stringify(index.fields)}`),
    constraints: model.constraints.map((constraint) => `${constraint.kind} ${constraint.name}`),
    uniqueTogether: model.uniqueTogether,
    uncertain: model.uncertain,
  };
}

function digestAll(state: ProjectState) {
  return Object.fromEntries([...state].filter(([, model]) => !model.deleted).map(([key, model]) => [key, digest(model)]).sort());
}

test('the graph: squashed migration replaces its nodes, swappable and __first__ resolve, missing history is known', () => {
  const { workspace } = indexProject(ROOT);
  const graph = workspace.graph();
  assert.deepEqual(graph.parents.get('orders.0004_order_reference'), ['orders.0001_squashed_0003_order_status', 'catalog.0003_rename_stock']);
  assert.deepEqual(graph.parents.get('orders.0001_squashed_0003_order_status'), ['accounts.0001_initial', 'catalog.0001_initial']);
  assert.equal(graph.replacedBy.get('orders.0002_order_note'), 'orders.0001_squashed_0003_order_status');
  assert.deepEqual(graph.leaves('orders'), ['orders.0004_order_reference']);
  assert.deepEqual(graph.leaves('catalog'), ['catalog.0003_rename_stock']);
  assert.deepEqual(graph.unresolved.map((u) => [u.from, `${u.dependency.app}.${u.dependency.name}`, u.reason]).sort(), [
    ['accounts.0001_initial', 'auth.0012_alter_user_first_name_max_length', 'external'],
    ['billing.0002_invoice_amount', 'billing.0001_initial', 'missing'],
    ['billing.0002_invoice_amount', 'djstripe.0008_2_5', 'external'],
  ]);
  const order = graph.order;
  assert.ok(order.indexOf('catalog.0003_rename_stock') < order.indexOf('orders.0004_order_reference'));
  assert.ok(order.indexOf('accounts.0001_initial') < order.indexOf('orders.0001_squashed_0003_order_status'));
});

test('replayed state after the leaves equals the hand-written state', () => {
  const { workspace } = indexProject(ROOT);
  const state = workspace.stateAfter('orders.0004_order_reference');
  assert.deepEqual(digestAll(state), {
    'accounts.user': {
      table: 'accounts_user',
      fields: { id: 'BigAutoField(pk)', email: 'EmailField(unique, max_length=254)', is_active: 'BooleanField()' },
      indexes: [], constraints: [], uniqueTogether: [], uncertain: false,
    },
    'catalog.product': {
      table: 'catalog_product',
      fields: {
        id: 'BigAutoField(pk)', name: 'CharField(max_length=100)', price: 'DecimalField(digits=10,2)',
        sku: 'CharField(null, max_length=64)', quantity: 'IntegerField(null)',
      },
      indexes: [],
      constraints: ['UniqueConstraint product_sku_uniq'],
      uniqueTogether: [['name', 'price']],
      uncertain: false,
    },
    'orders.order': {
      table: 'orders_order',
      fields: {
        id: 'BigAutoField(pk)', customer: 'ForeignKey(to=__auth_user_model__)', product: 'ForeignKey(to=catalog.product)',
        total: 'IntegerField()', status: 'CharField(max_length=20, db_default)',
        reference: 'CharField(null, index, max_length=32)', channel: 'CharField(max_length=10)',
      },
      indexes: [], constraints: [], uniqueTogether: [], uncertain: false,
    },
  });
});

test('state before an operation: what the field was, and where it was defined', () => {
  const { workspace } = indexProject(ROOT);
  const before = workspace.stateBeforeNode('catalog.0003_rename_stock');
  const product = before.get('catalog.product')!;
  assert.equal(product.fields.get('sku')!.info!.maxLength, 32);
  assert.ok(product.fields.get('sku')!.location.path.endsWith(join('catalog', 'migrations', '0001_initial.py')));
  assert.deepEqual(product.indexes.map((index) => index.name), ['product_name_idx']);
  assert.equal(workspace.stateBeforeNode('billing.0002_invoice_amount').get('billing.invoice'), undefined, 'missing history is unknown');
});

test('an edit re-replays only the edited migration and its descendants', () => {
  const { workspace } = indexProject(ROOT);
  const first = workspace.stateAfter('orders.0004_order_reference');
  const catalogBefore = workspace.stateAfter('catalog.0002_product_stock');
  const summary = workspace.summary(join(ROOT, 'catalog', 'migrations', '0003_rename_stock.py'))!;
  workspace.setMigration(summary.path, { ...summary, operations: summary.operations.slice(0, 1) });
  assert.equal(workspace.stateAfter('catalog.0002_product_stock'), catalogBefore, 'ancestors are kept');
  const second = workspace.stateAfter('orders.0004_order_reference');
  assert.notEqual(second, first);
  assert.equal(second.get('catalog.product')!.fields.get('sku')!.info!.maxLength, 32);
});

test('FieldMap: versions share one history; an older version changed again starts its own; reads as a Map', async () => {
  const { FieldMap } = await import('../../server/src/analysis/field-map');
  const fields = Array.from({ length: 5 }, (_, n) => ({ info: undefined, location: { path: 'p', range: { start: n, end: n } } }) as never);
  const field = (n: number) => fields[n];
  const v0 = FieldMap.of([['id', field(0)]]);
  const v1 = v0.with([['a', field(1)]]);
  const v2 = v1.with([['id', undefined], ['b', field(2)]]);
  assert.deepEqual([...v0.keys()], ['id']);
  assert.deepEqual([...v1.keys()].sort(), ['a', 'id']);
  assert.deepEqual([...v2.keys()].sort(), ['a', 'b']);
  assert.equal(v2.size, 2);
  assert.equal(v1.get('b'), undefined);
  assert.equal(v2.get('b'), field(2));
  // A branch from v1 (another migration with the same parent) does not see v2's changes, nor v2 the branch's.
  const branch = v1.with([['c', field(3)]]);
  assert.deepEqual([...branch.keys()].sort(), ['a', 'c', 'id']);
  assert.deepEqual([...v2.keys()].sort(), ['a', 'b']);
  assert.equal(v2.has('c'), false);
  const renamed = v2.with([['a', undefined], ['a', field(4)]]);
  assert.equal(renamed.get('a'), field(4), 'the last change of one version wins');
});

test('a migration in the graph is replayed once: its lint reads the replay the states after it came from', () => {
  const { workspace } = indexProject(ROOT);
  const path = [...workspace.migrationPaths()].find((file) => workspace.graph().parents.get(`${workspace.summary(file)!.app}.${workspace.summary(file)!.name}`)?.length);
  assert.ok(path, 'the fixture has a migration with a parent');
  const summary = workspace.summary(path)!;
  const key = `${summary.app}.${summary.name}`;
  const replay = workspace.replayOf(summary);
  assert.ok(replay);
  assert.equal(workspace.stateAfter(key), replay.after, 'the state after it is that replay\'s');
  assert.equal(workspace.replayOf(summary), undefined, 'handed out once: its before-states are not kept after');
  assert.equal(workspace.stateAfter(key), replay.after, 'the state after it stays');
  // A summary that is not the graph's node (a file being typed, a hover) is not answered from the cache.
  assert.equal(workspace.replayOf({ ...summary }), undefined);
});

/** A replay as plain data: what each operation saw and the state after (stamps and version links left out). */
function replayDigest(replay: { before: ReadonlyMap<number, unknown>; after: ProjectState }): string {
  return JSON.stringify({ before: [...replay.before], after: [...replay.after] }, (key, value) => {
    if (key === 'stamp' || key === 'previous') return undefined;
    return value instanceof FieldMap || value instanceof Map ? [...value] : value;
  });
}

test('a check that forgets used states gives every lint the replay it would have had, and keeps only what is still needed', () => {
  const keeping = indexProject(ROOT).workspace;
  const forgetting = indexProject(ROOT).workspace;
  forgetting.forgetUsedStates = true;
  const paths = [...keeping.migrationPaths()];
  assert.ok(paths.length >= 8);
  for (const path of paths) {
    const kept = keeping.replayOf(keeping.summary(path)!);
    const forgotten = forgetting.replayOf(forgetting.summary(path)!);
    assert.equal(forgotten === undefined, kept === undefined, path);
    if (kept && forgotten) assert.equal(replayDigest(forgotten), replayDigest(kept), path);
  }
  assert.equal(keeping.statesKept, keeping.graph().nodes.size);
  assert.ok(forgetting.statesKept < keeping.statesKept / 2, `${forgetting.statesKept} of ${keeping.statesKept} states kept`);
  // A state asked for again is replayed again, the same.
  for (const key of keeping.graph().order) assert.equal(replayDigest({ before: new Map(), after: forgetting.stateAfter(key) }), replayDigest({ before: new Map(), after: keeping.stateAfter(key) }), key);
});

test('FieldMap: a fork of an older version reads and lists its fields as the copy it replaces would', async () => {
  const { FieldMap } = await import('../../server/src/analysis/field-map');
  type Value = { info: undefined; location: { path: string; range: { start: number; end: number } } };
  const value = (n: number) => ({ info: undefined, location: { path: 'p', range: { start: n, end: n } } }) as Value;
  /** The versions as the copy-on-branch history had them: an older version changed again copied its live fields. */
  class CopiedFields {
    constructor(private readonly line: { names: string[]; changes: Map<string, Array<[number, Value | undefined]>>; latest: number }, private readonly version: number) {}
    static of(entries: Array<[string, Value]>): CopiedFields {
      const line = { names: [] as string[], changes: new Map<string, Array<[number, Value | undefined]>>(), latest: 0 };
      for (const [name, field] of entries) CopiedFields.record(line, 0, name, field);
      return new CopiedFields(line, 0);
    }
    private static record(line: CopiedFields['line'], version: number, name: string, field: Value | undefined): void {
      if (!line.changes.has(name)) {
        line.names.push(name);
        line.changes.set(name, []);
      }
      line.changes.get(name)!.push([version, field]);
    }
    with(changes: Array<[string, Value | undefined]>): CopiedFields {
      if (this.version !== this.line.latest) return CopiedFields.of(this.entries()).with(changes);
      const version = ++this.line.latest;
      for (const [name, field] of changes) CopiedFields.record(this.line, version, name, field);
      return new CopiedFields(this.line, version);
    }
    get(name: string): Value | undefined {
      return (this.line.changes.get(name) ?? []).filter(([version]) => version <= this.version).pop()?.[1];
    }
    entries(): Array<[string, Value]> {
      return this.line.names.flatMap((name) => (this.get(name) ? [[name, this.get(name)!] as [string, Value]] : []));
    }
  }
  // A pseudo-random tree of versions (fixed seed): each step changes a random earlier version, so most steps fork,
  // and chains of forks go past the depth where the fields are copied instead.
  let seed = 7;
  const random = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2147483648) % n);
  const names = ['id', 'a', 'b', 'c', 'd', 'e'];
  const start: Array<[string, Value]> = [['id', value(0)], ['a', value(1)]];
  const forks = [FieldMap.of(start)];
  const copies = [CopiedFields.of(start)];
  for (let step = 1; step < 400; step++) {
    const from = random(3) === 0 ? random(forks.length) : forks.length - 1 - random(Math.min(3, forks.length));
    const changes: Array<[string, Value | undefined]> = Array.from({ length: 1 + random(3) }, () => [names[random(names.length)], random(3) === 0 ? undefined : value(step)]);
    forks.push(forks[from].with(changes));
    copies.push(copies[from].with(changes));
  }
  for (const [index, fork] of forks.entries()) {
    assert.deepEqual([...fork.entries()], copies[index].entries(), `version ${index} lists the same fields in the same order`);
    assert.equal(fork.size, copies[index].entries().length);
    for (const name of names) assert.equal(fork.get(name), copies[index].get(name), `version ${index}, ${name}`);
  }
  assert.ok(forks.some((fork) => fork.forkDepth === 8), 'the tree has chains of forks as deep as a fork goes');
  assert.ok(forks.every((fork) => fork.forkDepth <= 8), 'deeper, the fields were copied');
});
