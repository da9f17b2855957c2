// `migration-guard rules`, and the committed docs/rules.md it generates.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { ALL_RULES } from '../../server/src/rules';
import { ruleUrl } from '../../server/src/rules/types';
import { ROOT, run } from './helpers';

/** GitHub's heading anchors: lower case, punctuation dropped, spaces to dashes. */
function anchors(markdown: string): Set<string> {
  const found = new Set<string>();
  for (const match of markdown.matchAll(/^#{1,6} (.+)$/gm)) {
    found.add(match[1].trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-'));
  }
  return found;
}

describe('rules', () => {
  test('without a code: a table of every rule with severity, fix availability and summary', () => {
    const result = run(['rules']);
    assert.equal(result.status, 0, result.stderr);
    const lines = result.stdout.trimEnd().split('\n');
    assert.match(lines[0], /^CODE\s+NAME\s+SEVERITY\s+FIX\s+SUMMARY$/);
    for (const rule of ALL_RULES) {
      const line = lines.find((candidate) => candidate.startsWith(`${rule.code} `));
      assert.ok(line, `${rule.code} is listed`);
      assert.match(line, new RegExp(`^${rule.code}\\s+${rule.name}\\s+${rule.defaultSeverity}\\s+(yes|sometimes|no)\\s+\\S`));
      assert.ok(line.includes(rule.docs.summary));
    }
    assert.ok(lines.some((line) => line.startsWith('MG000 ')), 'configuration problems are documented too');
  });

  test('with a code or a name: the full documentation', () => {
    const result = run(['rules', 'MG101']);
    assert.equal(result.status, 0, result.stderr);
    const rule = ALL_RULES.find((candidate) => candidate.code === 'MG101')!;
    assert.match(result.stdout, /^MG101 add-index-blocking\n/);
    assert.match(result.stdout, /Default severity: warning\. Fix: sometimes\. Applies to: migration files; PostgreSQL\./);
    for (const heading of ['Why it is dangerous:', 'Example:', 'Use instead:', 'Fix safety:', 'Equivalent checks in other tools:']) {
      assert.ok(result.stdout.includes(`\n${heading}\n`), heading);
    }
    assert.ok(result.stdout.includes(rule.docs.summary));
    assert.ok(result.stdout.includes('    migrations.AddIndex('), 'the example is shown indented');
    assert.ok(result.stdout.includes('AddIndexConcurrently('));
    for (const reference of rule.docs.references) assert.ok(result.stdout.includes(`  - ${reference}`), reference);
    assert.ok(result.stdout.includes(`Docs: ${ruleUrl(rule)}`));
    assert.equal(run(['rules', 'add-index-blocking']).stdout, result.stdout);
    assert.equal(run(['rules', 'mg101']).stdout, result.stdout);
  });

  test('every rule has docs that print', () => {
    for (const rule of ALL_RULES) {
      const result = run(['rules', rule.code]);
      assert.equal(result.status, 0, `${rule.code}: ${result.stderr}`);
      assert.ok(result.stdout.startsWith(`${rule.code} ${rule.name}\n`));
    }
  });

  test('an unknown rule → 2', () => {
    const result = run(['rules', 'MG999']);
    assert.equal(result.status, 2);
    assert.equal(result.stdout, '');
    assert.match(result.stderr, /unknown rule `MG999`/);
    assert.equal(run(['rules', 'MG101', '--format', 'yaml']).status, 2);
    assert.equal(run(['rules', 'MG101', 'MG109']).status, 2);
  });

  test('--format json', () => {
    const all = JSON.parse(run(['rules', '--format', 'json']).stdout) as { code: string; url: string; references: string[] }[];
    assert.deepEqual(all.map((rule) => rule.code), ['MG000', ...ALL_RULES.map((rule) => rule.code)]);
    const one = JSON.parse(run(['rules', 'MG109', '--format=json']).stdout) as Record<string, unknown>;
    assert.equal(one.code, 'MG109');
    assert.equal(one.name, 'concurrently-in-atomic');
    assert.equal(one.severity, 'error');
    assert.equal(typeof one.why, 'string');
    assert.equal(typeof one.example, 'string');
    assert.equal(typeof one.use_instead, 'string');
    assert.deepEqual(one.databases, ['postgresql']);
  });

  test('--format markdown for one rule is its section of the page', () => {
    const section = run(['rules', 'MG302', '--format', 'markdown']).stdout;
    assert.match(section, /^## MG302 runsql-no-reverse\n/);
    assert.ok(run(['rules', '--format', 'markdown']).stdout.includes(section));
  });
});

describe('docs/rules.md', () => {
  test('is up to date with the rule definitions', () => {
    const generated = run(['rules', '--format', 'markdown']);
    assert.equal(generated.status, 0, generated.stderr);
    const committed = readFileSync(join(ROOT, 'docs', 'rules.md'), 'utf8');
    assert.ok(
      committed === generated.stdout,
      'docs/rules.md is stale: regenerate it with `npm run build && node dist/cli.js rules --format markdown > docs/rules.md`',
    );
  });

  test('has a heading for every rule at the anchor ruleUrl() links to', () => {
    const committed = readFileSync(join(ROOT, 'docs', 'rules.md'), 'utf8');
    const found = anchors(committed);
    for (const rule of ALL_RULES) {
      const fragment = ruleUrl(rule).split('#')[1];
      assert.equal(fragment, `${rule.code.toLowerCase()}-${rule.name}`);
      assert.ok(found.has(fragment), `#${fragment} is a heading of docs/rules.md`);
      assert.ok(committed.includes(`](#${fragment})`), `the table links to #${fragment}`);
    }
    assert.ok(found.has('mg000-invalid-configuration'));
  });
});
