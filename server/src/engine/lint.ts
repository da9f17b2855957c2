// The engine: (path, text, config) → Violation[]. Knows nothing of LSP, VS Code or the terminal.
import { detectFileKind, type FileKind } from '../analysis/fileKind';
import { nodeKey } from '../analysis/graph';
import { MAX_OPERATIONS, operationAt, parseMigration, type Migration } from '../analysis/migration';
import { alreadyRan } from '../analysis/start-after';
import { replayMigration, runsNoSql } from '../analysis/state';
import { summarizeMigration, type MigrationSummary } from '../analysis/summary';
import { summarizeSettings } from '../analysis/settings';
import { applyTablePolicy, findingTables, hasTablePolicy } from '../analysis/table-policy';
import { isEnabled, type Config, type Severity } from '../config/defaults';
import { ALL_RULES } from '../rules';
import { ruleUrl, type ProjectContext, type Report, type Rule, type RuleContext, type SettingsContext, type Violation } from '../rules/types';
import { parsePython, type Tree } from '../base/parser';
import { findSuppressions, isSuppressed } from '../analysis/suppression';
import { LineIndex } from '../base/text';
import { SettingsIndex } from '../analysis/settings-index';
import { Workspace } from './workspace';

const KNOWN_CODES: ReadonlySet<string> = new Set(ALL_RULES.map((rule) => rule.code));

/**
 * A migration already parsed and extracted by the index's pass over it (CLI): its lint neither parses nor
 * extracts it again. `summary` is what that pass recorded in the workspace.
 */
export interface ParsedMigration {
  tree: Tree;
  migration: Migration | undefined;
  summary: MigrationSummary | undefined;
}

export interface LintInput {
  path: string;
  text: string;
  config: Config;
  /** The previous tree, already `edit`ed to match `text`, for an incremental re-parse. */
  previousTree?: Tree;
  /** The new tree keeps its wasm tree for the next incremental re-parse (an open document in the LSP). */
  keepWasm?: boolean;
  /** The file parsed and extracted already, from this very text (then `previousTree` is not used). */
  parsed?: ParsedMigration;
  /** Modules named by DJANGO_SETTINGS_MODULE in the project. */
  settingsModules?: ReadonlySet<string>;
  /** Only what the file is (its kind, its Migration model): no rule runs (the LSP while the folder is indexed). */
  kindOnly?: boolean;
  /** Rules to run instead of ALL_RULES (tests). */
  rules?: readonly Rule[];
  /** Called when a rule throws; the other rules still run. */
  onRuleError?: (rule: Rule, error: unknown) => void;
  /**
   * The workspace index: gives migration rules the project state and the graph. Linting a migration
   * records its new summary in it. Without one, only what the file itself shows is known.
   */
  workspace?: Workspace;
  /**
   * The workspace's settings modules: settings rules judge each entry point's effective settings, and
   * MG110/MG111 read the project's timeouts. Linting a settings module records its new summary in it.
   */
  settingsIndex?: SettingsIndex;
  /** Another file of the project, as the editor or the disk has it (MG201's fix edits models.py too). */
  readFile?: (path: string) => string | undefined;
}

export interface LintResult {
  tree: Tree;
  fileKind: FileKind;
  migration?: Migration;
  violations: Violation[];
  /** The line index of the linted text, made once (for `# noqa` lines, then the findings' positions). */
  lines(): LineIndex;
}

/** Why a file whose analysis ran out of stack is not linted (CPython's own parser stops at 200 nested brackets). */
export const TOO_DEEP = 'the file nests expressions too deeply to analyse';

/** The analysis of one file ran out of stack: that file is skipped, never the process or the folder's index. */
export function isStackOverflow(error: unknown): boolean {
  return error instanceof RangeError && /call stack/i.test(error.message);
}

/** The one message for a migration past the work bound (MAX_OPERATIONS), or undefined. */
export function workBoundNote(result: LintResult): string | undefined {
  const count = result.migration?.operationsOverLimit;
  if (count === undefined) return undefined;
  return `has ${count.toLocaleString('en-US')} operations, more than ${MAX_OPERATIONS.toLocaleString('en-US')}: its operations are not checked, and the state of its app's models after it is unknown (the dependencies are still checked)`;
}

export function lintSource(input: LintInput): LintResult {
  const tree = input.parsed?.tree ?? parsePython(input.text, input.previousTree, input.keepWasm);
  const root = tree.rootNode;
  // The index's parse (input.parsed) read every vendor branch as PostgreSQL's: another database re-reads them.
  const migration = input.parsed && input.config.database === 'postgresql'
    ? input.parsed.migration
    : parseMigration(input.path, root, input.workspace?.appLabel(input.path), input.config.database);
  const fileKind = detectFileKind(input.path, root, !!migration, input.settingsModules);
  // Line numbers are only needed where a rule reports (to match `# noqa` comments): most files have no finding.
  let lines: LineIndex | undefined;
  const result: LintResult = { tree, fileKind, migration: fileKind === 'migration' ? migration : undefined, violations: [], lines: () => (lines ??= new LineIndex(input.text)) };
  if (fileKind === 'other' || input.kindOnly) return result;
  const suppressions = findSuppressions(tree, input.text);
  if (suppressions.ignoreFile === true || result.migration?.ignoredByLinter) return result;
  const lineOf = (offset: number) => result.lines().lineOf(offset);
  const { config } = input;
  const project = result.migration ? projectContext(input, result.migration) : undefined;
  const settings = fileKind === 'settings' ? settingsContext(input, root) : undefined;
  const migrationRulesOff = project ? alreadyRan({ ...project, app: project.summary.app, name: project.summary.name }, config.startAfter) : false;
  const used = new Set<string>();
  const rulesRun = new Set<string>();
  const rules = input.rules ? applicableRules(input.rules, config, fileKind) : enabledRules(config, fileKind);
  // One context and one report function for all the file's rules (40 objects and closures less per file):
  // `rule` and `severity` are the rule running now.
  let rule: Rule;
  let severity: Severity;
  const report = (found: Report) => {
    const range = found.range ?? (found.node ? { start: found.node.startIndex, end: found.node.endIndex } : undefined);
    if (!range) return;
    // An operation on a model Django manages no table for (`managed = False`, a proxy) runs no SQL.
    const op = result.migration && found.node ? operationAt(result.migration, range) : undefined;
    if (op && runsNoSql(project?.before(op).model)) return;
    const line = lineOf(range.start);
    if (isSuppressed(suppressions, rule.code, line)) {
      used.add(`${line}:${rule.code}`);
      return;
    }
    const policy = result.migration && hasTablePolicy(config) ? applyTablePolicy(config, rule, findingTables({ migration: result.migration, project }, input.text, found.node, range)) : undefined;
    result.violations.push({
      code: rule.code, name: rule.name, severity: policy?.severity ?? severity, message: policy ? `${found.message} ${policy.note}` : found.message, help: found.help, range,
      fixes: (found.fixes ?? []).filter((fix) => fix.edits.length > 0), related: found.related, url: ruleUrl(rule),
    });
  };
  const context: RuleContext = {
    path: input.path, text: input.text, tree, config, migration: result.migration, project, settings, readFile: input.readFile,
    noqa: { comments: suppressions.noqa, used, rulesRun, knownCodes: KNOWN_CODES }, report,
  };
  for (const current of rules) {
    if (fileKind === 'migration' && migrationRulesOff) continue;
    rule = current;
    rulesRun.add(rule.code);
    severity = config.severity[rule.code] ?? rule.defaultSeverity;
    try {
      rule.check(context);
    } catch (error) {
      input.onRuleError?.(rule, error);
    }
  }
  // Codes are `MG` and three digits: compared as plain strings (localeCompare asks ICU, ~10× slower).
  result.violations.sort((a, b) => a.range.start - b.range.start || (a.code < b.code ? -1 : a.code > b.code ? 1 : 0));
  return result;
}

function applicableRules(rules: readonly Rule[], config: Config, fileKind: FileKind): Rule[] {
  return rules.filter((rule) => rule.fileKinds.includes(fileKind) && isEnabled(config, rule.code) && (!rule.databases || rule.databases.includes(config.database)));
}

/** ALL_RULES enabled by a config for a file kind, worked out once per config (one per pyproject.toml). */
const enabledByConfig = new WeakMap<Config, Map<FileKind, Rule[]>>();

function enabledRules(config: Config, fileKind: FileKind): Rule[] {
  let byKind = enabledByConfig.get(config);
  if (!byKind) enabledByConfig.set(config, (byKind = new Map()));
  let rules = byKind.get(fileKind);
  if (!rules) byKind.set(fileKind, (rules = applicableRules(ALL_RULES, config, fileKind)));
  return rules;
}

/** The state replayed up to each operation of a migration, on top of what the workspace knows before it. */
export function replayedState(summary: MigrationSummary, workspace: Workspace | undefined): Pick<ProjectContext, 'summary' | 'stateBefore' | 'before'> {
  // A migration in the graph was (or is now) replayed once for the states after it: the same replay, and the
  // start state merged for it, serve here.
  const kept = workspace?.replayOf(summary);
  const stateBefore = kept?.start ?? (workspace ? workspace.stateBeforeMigration(summary) : new Map());
  const replay = kept ?? replayMigration(stateBefore, summary);
  return { summary, stateBefore, before: (op) => replay.before.get(op.index) ?? {} };
}

/** The migration's place in the workspace and the state replayed up to each of its operations. */
function projectContext(input: LintInput, migration: Migration): ProjectContext {
  const workspace = input.workspace;
  // Parsed by the index's pass: its summary is recorded already.
  const recorded = input.parsed?.summary;
  const summary = recorded ?? (workspace ? workspace.migrationSummary(input.path, migration) : summarizeMigration(migration));
  const key = nodeKey(summary.app, summary.name);
  if (workspace && !recorded) workspace.setMigration(input.path, summary);
  const graph = (workspace ?? new Workspace()).graph();
  return { key, graph, hasWorkspace: !!workspace && !workspace.indexing, ...replayedState(summary, workspace), settings: input.settingsIndex };
}

/** The settings module's summary, recorded in the index, and the entry points whose settings include it. */
function settingsContext(input: LintInput, root: Parameters<typeof summarizeSettings>[1]): SettingsContext {
  const module = summarizeSettings(input.path, root, input.settingsModules?.has(input.path));
  const index = input.settingsIndex ?? new SettingsIndex();
  index.set(input.path, module);
  return { module, index, entryPoints: index.entryPointsIncluding(input.path) };
}
