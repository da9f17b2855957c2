// What a rule is given about the project around the file it checks: analysis builds it, rules read it.
import type { MigrationGraph } from './graph';
import type { Operation } from './migration';
import type { OperationState, ProjectState } from './state';
import type { MigrationSummary } from './summary';
import type { SettingsIndex } from './settings-index';
import type { EffectiveSettings } from './settings-eval';
import type { SettingsModule } from './settings';

/** What a migration rule knows of the project around the file. */
export interface ProjectContext {
  /** `app.name` of this migration in the graph. */
  key: string;
  summary: MigrationSummary;
  /** The workspace's migration graph; only this migration when linted without a workspace. */
  graph: MigrationGraph;
  /** False when the file is linted alone or the workspace is still being indexed: graph rules stay silent. */
  hasWorkspace: boolean;
  /** The project state before the migration (its dependencies replayed). */
  stateBefore: ProjectState;
  /** The model an operation touches, and its field, just before the operation. */
  before(op: Operation): OperationState;
  /** The workspace's settings modules (MG110/MG111); undefined when linting without a workspace. */
  settings?: SettingsIndex;
}

/** What a settings rule knows: this module, and every entry point whose effective settings include it. */
export interface SettingsContext {
  module: SettingsModule;
  index: SettingsIndex;
  /** Entry points (settings modules no other one star-imports) that include this module, itself included. */
  entryPoints: EffectiveSettings[];
}
