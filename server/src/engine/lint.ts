// The engine: (path, text, config) → Violation[]. Knows nothing of LSP, VS Code or the terminal.
import { detectFileKind, type FileKind } from '../analysis/fileKind';
import { parseMigration, type Migration } from '../analysis/migration';
import { isEnabled, type Config } from '../config/defaults';
import { ALL_RULES } from '../rules';
import { ruleUrl, type Report, type Rule, type Violation } from '../rules/types';
import { parsePython, type Tree } from './parser';
import { findSuppressions, isSuppressed } from './suppression';
import { LineIndex } from './text';

export interface LintInput {
  path: string;
  text: string;
  config: Config;
  /** The previous tree, already `edit`ed to match `text`, for an incremental re-parse. */
  previousTree?: Tree;
  /** Modules named by DJANGO_SETTINGS_MODULE in the project. */
  settingsModules?: ReadonlySet<string>;
  /** Rules to run instead of ALL_RULES (tests). */
  rules?: readonly Rule[];
  /** Called when a rule throws; the other rules still run. */
  onRuleError?: (rule: Rule, error: unknown) => void;
}

export interface LintResult {
  tree: Tree;
  fileKind: FileKind;
  migration?: Migration;
  violations: Violation[];
}

export function lintSource(input: LintInput): LintResult {
  const tree = parsePython(input.text, input.previousTree);
  const root = tree.rootNode;
  const migration = parseMigration(input.path, root);
  const fileKind = detectFileKind(input.path, root, !!migration, input.settingsModules);
  const result: LintResult = { tree, fileKind, migration: fileKind === 'migration' ? migration : undefined, violations: [] };
  if (fileKind === 'other') return result;
  const suppressions = findSuppressions(tree);
  if (suppressions.ignoreFile === true || result.migration?.ignoredByLinter) return result;
  const lines = new LineIndex(input.text);
  const { config } = input;
  for (const rule of input.rules ?? ALL_RULES) {
    if (!rule.fileKinds.includes(fileKind) || !isEnabled(config, rule.code)) continue;
    if (rule.databases && !rule.databases.includes(config.database)) continue;
    const severity = config.severity[rule.code] ?? rule.defaultSeverity;
    const report = (found: Report) => {
      const range = found.range ?? (found.node ? { start: found.node.startIndex, end: found.node.endIndex } : undefined);
      if (!range || isSuppressed(suppressions, rule.code, lines.lineOf(range.start))) return;
      result.violations.push({
        code: rule.code, name: rule.name, severity, message: found.message, help: found.help, range,
        fixes: (found.fixes ?? []).filter((fix) => fix.edits.length > 0), related: found.related, url: ruleUrl(rule),
      });
    };
    try {
      rule.check({ path: input.path, text: input.text, tree, config, migration: result.migration, report });
    } catch (error) {
      input.onRuleError?.(rule, error);
    }
  }
  result.violations.sort((a, b) => a.range.start - b.range.start || a.code.localeCompare(b.code));
  return result;
}
