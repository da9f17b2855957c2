// Rule docs inside the editor, offline: read-only markdown documents `migration-guard-docs:/MG101.md` whose text
// the server answers from the rules' own docs data, and "Migration Guard: Show Rules", a picker over every rule.
import * as vscode from 'vscode';
import type { BaseLanguageClient, StaticFeature } from 'vscode-languageclient/node';

export const DOCS_SCHEME = 'migration-guard-docs';
const RULE_DOCS_REQUEST = 'migrationGuard/ruleDocs';
const RULES_REQUEST = 'migrationGuard/rules';

interface RuleSummary {
  code: string;
  name: string;
  severity: string;
  fix: string;
  summary: string;
  url: string;
}

/** Tells the server (experimental capability) that this client shows rule docs under DOCS_SCHEME. */
export const docsFeature: StaticFeature = {
  fillClientCapabilities(capabilities) {
    capabilities.experimental = { ...(capabilities.experimental as object | undefined), migrationGuardDocs: DOCS_SCHEME };
  },
  initialize() {},
  getState() {
    return { kind: 'static' };
  },
  clear() {},
};

export function docsUri(code: string): vscode.Uri {
  return vscode.Uri.from({ scheme: DOCS_SCHEME, path: `/${code}.md` });
}

/** Serves the docs documents; the text comes from the running server. */
export class RuleDocsProvider implements vscode.TextDocumentContentProvider {
  constructor(private readonly client: () => BaseLanguageClient | undefined) {}

  async provideTextDocumentContent(uri: vscode.Uri): Promise<string> {
    const code = /^\/?(MG\d{3})\.md$/i.exec(uri.path)?.[1]?.toUpperCase();
    const client = this.client();
    if (!code) return `No such rule: ${uri.path}`;
    if (!client) return `# ${code}\n\nThe Migration Guard server is not running: run "Migration Guard: Restart Server" to read this rule's documentation.\n`;
    return (await client.sendRequest<string | null>(RULE_DOCS_REQUEST, { code })) ?? `No rule ${code}.`;
  }
}

/** Opens a rule's docs: the markdown preview when the markdown extension is there, else the read-only document. */
export async function showRuleDocs(code: string): Promise<void> {
  const uri = docsUri(code);
  const document = await vscode.workspace.openTextDocument(uri);
  await vscode.languages.setTextDocumentLanguage(document, 'markdown');
  const commands = await vscode.commands.getCommands(true);
  if (commands.includes('markdown.showPreview')) await vscode.commands.executeCommand('markdown.showPreview', uri);
  else await vscode.window.showTextDocument(document, { preview: true });
}

/** "Migration Guard: Show Rules": code, name, severity and fix of every rule; picking one opens its docs. */
export async function showRules(client: BaseLanguageClient | undefined): Promise<void> {
  if (!client) {
    void vscode.window.showWarningMessage('Migration Guard: the server is not running. Run "Migration Guard: Restart Server" first.');
    return;
  }
  const rules = await client.sendRequest<RuleSummary[]>(RULES_REQUEST);
  const fixLabel: Record<string, string> = { always: 'fix', sometimes: 'fix sometimes', never: 'no fix' };
  const items = rules.map((rule) => ({
    label: `${rule.code} ${rule.name}`,
    description: `${rule.severity} · ${fixLabel[rule.fix] ?? rule.fix}`,
    detail: rule.summary.replace(/`/g, ''),
    code: rule.code,
  }));
  const picked = await vscode.window.showQuickPick(items, { title: 'Migration Guard: rules', placeHolder: 'Pick a rule to read its documentation', matchOnDescription: true, matchOnDetail: true });
  if (picked) await showRuleDocs(picked.code);
}
