// "Start From Here" writes [tool.migration-guard.start-after] into real pyproject.toml files (saleor, wagtail,
// netbox as they ship): the result parses, holds exactly the entries, and every other line is kept byte for byte.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { parse } from 'smol-toml';
import { writeStartAfter } from '../../server/src/config/start-after-write';
import { FIXTURES } from '../helpers/paths';

const ENTRIES = { account: '0093_alter_user_options', order: '0210_order_lines_count', checkout: '0075_auto' };

type Toml = Record<string, unknown> & { tool?: Record<string, unknown> & { 'migration-guard'?: Record<string, unknown> } };

function startAfter(text: string): unknown {
  const table = (parse(text) as Toml).tool?.['migration-guard']?.['start-after'];
  return table ? { ...(table as object) } : undefined; // smol-toml's tables have no prototype
}

/** The parsed document without tool.migration-guard.start-after. */
function withoutStartAfter(text: string): unknown {
  const document = parse(text) as Toml;
  const table = document.tool?.['migration-guard'];
  if (table) {
    delete table['start-after'];
    if (Object.keys(table).length === 0) delete document.tool!['migration-guard'];
  }
  return document;
}

const dir = join(FIXTURES, 'pyproject');
const PYPROJECTS = readdirSync(dir).filter((file) => file.endsWith('.toml')).sort();

test('the real pyproject files are all here (a move would run none of the tests below)', () => {
  assert.deepEqual(PYPROJECTS, ['netbox.toml', 'saleor.toml', 'wagtail.toml']);
});

for (const name of PYPROJECTS) {
  test(`${name}: start-after appended as a table; the rest of the file unchanged; a second run updates in place`, () => {
    const original = readFileSync(join(dir, name), 'utf8');
    const written = writeStartAfter(original, ENTRIES);
    assert.ok(written.startsWith(original.replace(/\n+$/, '')), 'the original text is kept as it was');
    assert.deepEqual(startAfter(written), ENTRIES);
    assert.deepEqual(withoutStartAfter(written), withoutStartAfter(original));
    // Again, with one app moved on and one new: values change in place, the new key joins the table.
    const again = writeStartAfter(written, { ...ENTRIES, order: '0211_x', shipping: '0030_y' });
    assert.deepEqual(startAfter(again), { ...ENTRIES, order: '0211_x', shipping: '0030_y' });
    assert.equal(again.split('\n').length, written.split('\n').length + 1);
    assert.deepEqual(withoutStartAfter(again), withoutStartAfter(original));
  });
}

test('an existing table between others: keys updated in place, comments and the next table kept', () => {
  const text = '[project]\nname = "x"\n\n[tool.migration-guard]\ndatabase = "postgresql"\n\n[tool.migration-guard.start-after]\nshop = "0001"  # first deploy\n\n[tool.ruff]\nline-length = 100\n';
  const written = writeStartAfter(text, { shop: '0042_order', blog: '0003_post' });
  assert.equal(written, '[project]\nname = "x"\n\n[tool.migration-guard]\ndatabase = "postgresql"\n\n[tool.migration-guard.start-after]\nshop = "0042_order"  # first deploy\nblog = "0003_post"\n\n[tool.ruff]\nline-length = 100\n');
});

test('CRLF files stay CRLF; no file at all gets just the table; an inline table is replaced on its line', () => {
  const crlf = '[project]\r\nname = "x"\r\n';
  assert.equal(writeStartAfter(crlf, { shop: '0042' }), '[project]\r\nname = "x"\r\n\r\n[tool.migration-guard.start-after]\r\nshop = "0042"\r\n');
  assert.equal(writeStartAfter(undefined, { shop: '0042' }), '[tool.migration-guard.start-after]\nshop = "0042"\n');
  const inline = '[tool.migration-guard]\nstart-after = { shop = "0001" }\nignore = ["MG9"]\n';
  const written = writeStartAfter(inline, { shop: '0042', blog: '0003' });
  assert.deepEqual(startAfter(written), { blog: '0003', shop: '0042' });
  assert.match(written, /ignore = \["MG9"\]\n$/);
});
