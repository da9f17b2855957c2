// Rule docs inside the editor: `migrationGuard/ruleDocs` answers a rule's documentation as markdown (the same
// content as `migration-guard rules MG101 --format markdown`), `migrationGuard/rules` the list for a picker. A
// client that shows a virtual document scheme (experimental capability `migrationGuardDocs`) gets diagnostics
// linked to `SCHEME:/MG101.md` and "Show documentation" opening it there; others get the web page.
import { allRules, ruleMarkdown, type RuleInfo } from '../cli/rules';

export const RULE_DOCS_REQUEST = 'migrationGuard/ruleDocs';
export const RULES_REQUEST = 'migrationGuard/rules';
/** The client capability (under `experimental`) naming the scheme of its read-only docs documents. */
export const DOCS_CAPABILITY = 'migrationGuardDocs';

export interface RuleSummary {
  code: string;
  name: string;
  severity: string;
  fix: string;
  summary: string;
  url: string;
}

function find(code: unknown): RuleInfo | undefined {
  return typeof code === 'string' ? allRules().find((rule) => rule.code === code.trim().toUpperCase()) : undefined;
}

/** The rule's page: its docs as markdown, then the web page as a second way in. Undefined for an unknown code. */
export function ruleDocsMarkdown(code: unknown): string | undefined {
  const rule = find(code);
  return rule ? `${ruleMarkdown(rule)}\n---\n\n[Open this page on the web](${rule.url})\n` : undefined;
}

export function ruleSummaries(): RuleSummary[] {
  return allRules().map((rule) => ({ code: rule.code, name: rule.name, severity: rule.severity, fix: rule.fix, summary: rule.docs.summary, url: rule.url }));
}

/** The scheme a client asked for, if it is a plain URI scheme. */
export function docsScheme(experimental: unknown): string | undefined {
  const scheme = (experimental as Record<string, unknown> | undefined)?.[DOCS_CAPABILITY];
  return typeof scheme === 'string' && /^[a-z][a-z0-9+.-]*$/.test(scheme) ? scheme : undefined;
}

/** The in-editor address of a rule's docs. */
export function docsUri(scheme: string, code: string): string {
  return `${scheme}:/${code}.md`;
}
