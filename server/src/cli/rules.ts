// `migration-guard rules [CODE]`: the rule table, one rule's docs, or the whole reference page (docs/rules.md).
import type { Database } from '../config/defaults';
import { ALL_RULES, findRule } from '../rules';
import { ruleUrl, type Rule, type RuleDocs } from '../rules/types';
import { parseArgs, UsageError, valueOf, type OptionSpec } from './args';
import { CONFIG_CODE, CONFIG_NAME, CONFIG_URL } from './findings';
import type { Io } from './io';

export const RULES_OPTIONS: readonly OptionSpec[] = [
  { name: 'format', value: true, choices: ['text', 'json', 'markdown'] },
  { name: 'help', short: 'h' },
];

export const RULES_HELP = `Show the rules and their documentation.

Usage: migration-guard rules [CODE] [--format text|json|markdown]

Without CODE: a table of every rule (markdown: the full reference page, docs/rules.md).
With CODE (MG101) or a rule name (add-index-blocking): that rule's documentation.

Options:
  --format text|json|markdown  Output format (default: text).
  -h, --help                   Show this help.
`;

/** What the docs show for a rule; MG000 (configuration problems) is reported by the CLI and editors, not a rule. */
export interface RuleInfo {
  code: string;
  name: string;
  severity: string;
  fix: Rule['fix'];
  fileKinds: string[];
  databases?: Database[];
  docs: RuleDocs;
  url: string;
}

const CONFIG_INFO: RuleInfo = {
  code: CONFIG_CODE,
  name: CONFIG_NAME,
  severity: 'error',
  fix: 'never',
  fileKinds: ['pyproject.toml'],
  docs: {
    summary: 'The `[tool.migration-guard]` configuration could not be read or has a bad value.',
    why: 'A configuration problem is reported on the configuration file instead of silently disabling the linter: the value that could not be used is ignored, and the defaults apply in its place. The CLI exits with status 2 until the configuration is fixed.',
    example: ['[tool.migration-guard]', 'database = "postgres-ql"', 'lock-timeout-ms = "soon"', ''].join('\n'),
    useInstead: ['[tool.migration-guard]', 'database = "postgresql"', 'lock-timeout-ms = 4000', ''].join('\n'),
    fixSafety: 'No automatic fix.',
    references: [],
  },
  url: CONFIG_URL,
};

function info(rule: Rule): RuleInfo {
  return {
    code: rule.code, name: rule.name, severity: rule.defaultSeverity, fix: rule.fix, fileKinds: rule.fileKinds,
    databases: rule.databases, docs: rule.docs, url: ruleUrl(rule),
  };
}

export function allRules(): RuleInfo[] {
  return [CONFIG_INFO, ...ALL_RULES.map(info)];
}

function lookup(query: string): RuleInfo | undefined {
  const rule = findRule(query);
  if (rule) return info(rule);
  const wanted = query.trim().toLowerCase();
  return wanted === CONFIG_CODE.toLowerCase() || wanted === CONFIG_NAME ? CONFIG_INFO : undefined;
}

const FIX_LABEL: Record<Rule['fix'], string> = { always: 'yes', sometimes: 'sometimes', never: 'no' };
const DATABASE_LABEL: Record<Database, string> = { postgresql: 'PostgreSQL', mysql: 'MySQL', sqlite: 'SQLite', oracle: 'Oracle' };
const KIND_LABEL: Record<string, string> = { migration: 'migration files', settings: 'settings modules', 'pyproject.toml': 'pyproject.toml' };

function appliesTo(rule: RuleInfo): string {
  const kinds = rule.fileKinds.map((kind) => KIND_LABEL[kind] ?? kind).join(', ');
  const databases = rule.databases ? rule.databases.map((database) => DATABASE_LABEL[database]).join(', ') : 'every database';
  return rule.code === CONFIG_CODE ? kinds : `${kinds}; ${databases}`;
}

function table(rules: RuleInfo[]): string {
  const header = ['CODE', 'NAME', 'SEVERITY', 'FIX', 'SUMMARY'];
  const rows = rules.map((rule) => [rule.code, rule.name, rule.severity, FIX_LABEL[rule.fix], rule.docs.summary]);
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => row[column].length)));
  const line = (cells: string[]) => cells.map((cell, column) => (column === cells.length - 1 ? cell : cell.padEnd(widths[column]))).join('  ');
  return `${[header, ...rows].map(line).join('\n')}\n`;
}

/** "Before Django 5.0" → "before Django 5.0", after "Or, ". */
function lowerFirst(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

function indent(text: string, prefix: string): string {
  return text.replace(/\n+$/, '').split('\n').map((line) => (line ? prefix + line : line)).join('\n');
}

export function ruleText(rule: RuleInfo): string {
  const { docs } = rule;
  const parts = [
    `${rule.code} ${rule.name}`,
    `Default severity: ${rule.severity}. Fix: ${FIX_LABEL[rule.fix]}. Applies to: ${appliesTo(rule)}.`,
    '',
    docs.summary,
    '',
    'Why it is dangerous:',
    indent(docs.why, '  '),
    '',
    'Example:',
    indent(docs.example, '    '),
    '',
    'Use instead:',
    indent(docs.useInstead, '    '),
    ...(docs.followUps ?? []).flatMap((followUp) => ['', 'Then:', indent(followUp, '    ')]),
    ...(docs.otherRoutes ?? []).flatMap((route) => ['', `Or, ${lowerFirst(route.when)}:`, ...route.steps.flatMap((step, index) => [...(index ? ['', 'Then:'] : []), indent(step, '    ')])]),
  ];
  if (docs.sqlExample) parts.push('', 'In RunSQL:', indent(docs.sqlExample, '    '));
  if (docs.sqlUseInstead) parts.push('', 'In RunSQL, use instead:', indent(docs.sqlUseInstead, '    '));
  parts.push('', 'Fix safety:', indent(docs.fixSafety, '  '));
  if (docs.references.length > 0) parts.push('', 'Equivalent checks in other tools:', ...docs.references.map((reference) => `  - ${reference}`));
  parts.push('', `Docs: ${rule.url}`);
  return `${parts.join('\n')}\n`;
}

function ruleJson(rule: RuleInfo): Record<string, unknown> {
  return {
    code: rule.code,
    name: rule.name,
    severity: rule.severity,
    fix: rule.fix,
    file_kinds: rule.fileKinds,
    databases: rule.databases ?? null,
    summary: rule.docs.summary,
    why: rule.docs.why,
    example: rule.docs.example,
    use_instead: rule.docs.useInstead,
    sql_example: rule.docs.sqlExample ?? null,
    sql_use_instead: rule.docs.sqlUseInstead ?? null,
    follow_ups: rule.docs.followUps ?? [],
    other_routes: (rule.docs.otherRoutes ?? []).map((route) => ({ when: route.when, steps: route.steps })),
    fix_safety: rule.docs.fixSafety,
    references: rule.docs.references,
    url: rule.url,
  };
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

/** The anchor GitHub derives from a heading, which `ruleUrl()` points at. */
export function githubAnchor(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s_-]/gu, '').replace(/\s/g, '-');
}

export function ruleMarkdown(rule: RuleInfo): string {
  const { docs } = rule;
  const language = rule.code === CONFIG_CODE ? 'toml' : 'python';
  const parts = [
    `## ${rule.code} ${rule.name}`,
    '',
    docs.summary,
    '',
    `**Default severity:** ${rule.severity} · **Fix:** ${FIX_LABEL[rule.fix]} · **Applies to:** ${appliesTo(rule)}`,
    '',
    '### Why it is dangerous',
    '',
    docs.why,
    '',
    '### Example',
    '',
    `\`\`\`${language}`,
    docs.example.replace(/\n+$/, ''),
    '```',
    '',
    '### Use instead',
    '',
    `\`\`\`${language}`,
    docs.useInstead.replace(/\n+$/, ''),
    '```',
    ...(docs.followUps ?? []).flatMap((followUp) => ['', 'Then, in a later migration:', '', `\`\`\`${language}`, followUp.replace(/\n+$/, ''), '```']),
    ...(docs.otherRoutes ?? []).flatMap((route) => ['', `### Or, ${lowerFirst(route.when)}`, ...route.steps.flatMap((step, index) => ['', ...(index ? ['Then, in a later migration:', ''] : []), `\`\`\`${language}`, step.replace(/\n+$/, ''), '```'])]),
  ];
  if (docs.sqlExample) parts.push('', '### In RunSQL', '', `\`\`\`${language}`, docs.sqlExample.replace(/\n+$/, ''), '```');
  if (docs.sqlUseInstead) parts.push('', '### In RunSQL, use instead', '', `\`\`\`${language}`, docs.sqlUseInstead.replace(/\n+$/, ''), '```');
  parts.push('', '### Fix safety', '', docs.fixSafety);
  if (docs.references.length > 0) parts.push('', '### Equivalent checks in other tools', '', ...docs.references.map((reference) => `- ${reference}`));
  return `${parts.join('\n')}\n`;
}

/** The reference page committed as docs/rules.md. */
export function rulesMarkdownPage(): string {
  const rules = allRules();
  const lines = [
    '# Rules',
    '',
    '<!-- Generated from the rule definitions by `migration-guard rules --format markdown`. Do not edit by hand;',
    '     regenerate with: npm run build && node dist/cli.js rules --format markdown > docs/rules.md -->',
    '',
    'Every rule Django Migration Guard checks, with why it matters and the safe way to do the same thing.',
    'Severities are the defaults; change them with `severity` in `[tool.migration-guard]`. Silence one finding',
    'with `# noqa: MG101` on the line where it starts, or a whole file with `# migration-guard: ignore-file`',
    '(or `# migration-guard: ignore-file[MG101]`).',
    '',
    '| Code | Name | Severity | Fix | Summary |',
    '|---|---|---|---|---|',
    ...rules.map((rule) => `| [${rule.code}](#${githubAnchor(`${rule.code} ${rule.name}`)}) | ${rule.name} | ${rule.severity} | ${FIX_LABEL[rule.fix]} | ${cell(rule.docs.summary)} |`),
    '',
  ];
  return `${lines.join('\n')}\n${rules.map(ruleMarkdown).join('\n')}`;
}

export function runRules(argv: readonly string[], io: Io): number {
  const args = parseArgs(argv, RULES_OPTIONS, 'rules');
  if (args.flags.has('help')) {
    io.stdout(RULES_HELP);
    return 0;
  }
  if (args.positionals.length > 1) throw new UsageError('`rules` takes at most one rule code');
  const format = valueOf(args, 'format') ?? 'text';
  const query = args.positionals[0];
  if (query === undefined) {
    const rules = allRules();
    if (format === 'json') io.stdout(`${JSON.stringify(rules.map(ruleJson), null, 2)}\n`);
    else if (format === 'markdown') io.stdout(rulesMarkdownPage());
    else io.stdout(table(rules));
    return 0;
  }
  const rule = lookup(query);
  if (!rule) throw new UsageError(`unknown rule \`${query}\` (run \`migration-guard rules\` for the list)`);
  if (format === 'json') io.stdout(`${JSON.stringify(ruleJson(rule), null, 2)}\n`);
  else if (format === 'markdown') io.stdout(ruleMarkdown(rule));
  else io.stdout(ruleText(rule));
  return 0;
}
