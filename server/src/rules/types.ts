// What a rule is: metadata, docs as data, and a check over one file's model.
import type { ClaimId } from '../analysis/claims';
import type { Migration } from '../analysis/migration';
import type { NoqaComment } from '../analysis/suppression';
import type { FileKind } from '../analysis/fileKind';
import type { Config, Database, Severity } from '../config/defaults';
import type { Node, Tree } from '../base/parser';
import type { Range } from '../base/text';
import type { Fix } from '../fixes/types';

export interface RuleDocs {
  /** One line. */
  summary: string;
  /** Markdown: what breaks in production and why. */
  why: string;
  /** Python source that triggers the rule (linted by a test: must trigger). */
  example: string;
  /** Python source of the safe way (linted by a test: must not trigger). */
  useInstead: string;
  /**
   * The later migrations of a safe route that spans deploys (MG202: drop the column after the state-only
   * removal), each a whole file naming its path in its first line; linted after `useInstead`, in order
   * (must not trigger), and applied by Django in the integration tests.
   */
  followUps?: string[];
  /**
   * Safe routes for when `useInstead` does not fit (an older Django, renaming the column itself), shown after it:
   * each linted like `useInstead` + `followUps` (on `history`, default the docs', with `config` over `exampleConfig`)
   * and applied by Django in the integration tests.
   */
  otherRoutes?: OtherRoute[];
  fixSafety: string;
  /**
   * For rules that also read RunSQL: the same hazard written in SQL (Python source, linted by a test: must
   * trigger), and optionally its safe SQL form (must not trigger anything).
   */
  sqlExample?: string;
  sqlUseInstead?: string;
  /**
   * For rules that need the project around the migration: the app's earlier migrations. Each file may
   * start with a comment naming its path (`# shop/migrations/0002_order_status.py`); the default is
   * `shop/migrations/0001_initial.py`. `example` and `useInstead` may name theirs the same way (default
   * `shop/migrations/0002_example.py`) and are linted on top of the history.
   */
  history?: string | string[];
  /** Configuration the examples assume (e.g. `{ database: 'mysql' }` for a rule that is silent on PostgreSQL). */
  exampleConfig?: Record<string, unknown>;
  /** Equivalent checks in other tools, e.g. "squawk: require-concurrent-index-creation". */
  references: string[];
}

export interface OtherRoute {
  /** When to take it, shown as its heading: "Before Django 5.0 (no `db_default`)". */
  when: string;
  /** Its migrations in order, each a whole file; the later ones name their path in their first line. */
  steps: string[];
  history?: string | string[];
  config?: Record<string, unknown>;
}

export type { RelatedLocation } from '../analysis/operation-context';
import type { RelatedLocation } from '../analysis/operation-context';

export interface Report {
  node?: Node;
  range?: Range;
  message: string;
  /** Starts with "Instead," and gives the safe sequence. */
  help?: string;
  /** The first is the preferred one; more are alternatives (MG201: `null=True` or `db_default=`). */
  fixes?: Fix[];
  related?: RelatedLocation[];
}

export type { ProjectContext, SettingsContext } from '../analysis/context';
import type { ProjectContext, SettingsContext } from '../analysis/context';

export interface RuleContext {
  path: string;
  text: string;
  tree: Tree;
  config: Config;
  /** Present for migration files. */
  migration?: Migration;
  /** Present for migration files. */
  project?: ProjectContext;
  /** Present for settings modules. */
  settings?: SettingsContext;
  /** Another file of the project (the CLI reads the disk, the server its open documents first). */
  readFile?: (path: string) => string | undefined;
  /** The file's `# noqa:` comments, which of them silenced something so far, and which rules ran. */
  noqa: { comments: ReadonlyMap<number, NoqaComment>; used: ReadonlySet<string>; rulesRun: ReadonlySet<string>; knownCodes: ReadonlySet<string> };
  report(report: Report): void;
}

export interface Rule {
  code: string;
  name: string;
  fileKinds: FileKind[];
  /** Databases the rule applies to; absent means every database. */
  databases?: Database[];
  defaultSeverity: Severity;
  fix: 'always' | 'sometimes' | 'never';
  /** The rows of the claims table its docs and messages describe (a test holds the lock words to them). */
  claims?: ClaimId[];
  docs: RuleDocs;
  check(ctx: RuleContext): void;
}

export interface Violation {
  code: string;
  name: string;
  severity: Severity;
  message: string;
  help?: string;
  range: Range;
  fixes: Fix[];
  related?: RelatedLocation[];
  url: string;
}

export const DOCS_BASE_URL = 'https://github.com/django-migration-guard/django-migration-guard/blob/main/docs/rules.md';

export function ruleUrl(rule: Pick<Rule, 'code' | 'name'>): string {
  return `${DOCS_BASE_URL}#${rule.code.toLowerCase()}-${rule.name}`;
}

export function defineRule(rule: Rule): Rule {
  return rule;
}
