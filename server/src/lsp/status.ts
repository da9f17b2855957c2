// `migrationGuard/status`: what the VS Code status item shows for a document: which database, PostgreSQL and
// Django versions are assumed and where each comes from, what the file is, and how far its folder's index is.
import { dirname } from 'node:path';
import type { Config } from '../config/defaults';
import { detectDjangoVersion, readToolTable, type ResolvedConfig } from '../config/pyproject';

/** Custom request of the VS Code client's language status item. */
export const STATUS_REQUEST = 'migrationGuard/status';

/** Where an assumed value comes from. */
export type ValueSource = 'editor setting' | 'pyproject.toml' | 'requirements' | 'default';

export interface AssumedValue<T> {
  value: T;
  from: ValueSource;
}

export interface ServerStatusInfo {
  /** The pyproject.toml whose `[tool.migration-guard]` applies to the document, if any. */
  configFile?: string;
  /** Migrations and settings modules indexed in the document's workspace folder. */
  migrations: number;
  settingsModules: number;
  indexing: boolean;
  /** What the last lint found the document to be; undefined before its first lint (or for a folder). */
  fileKind?: 'migration' | 'settings' | 'other';
  database?: AssumedValue<Config['database']>;
  postgresVersion?: AssumedValue<number>;
  /** `"4.2"`. */
  djangoVersion?: AssumedValue<string>;
  /** `migrationGuard.since`, when set: the ref, and why it does not apply when it does not. */
  since?: { ref: string; problem?: string };
}

export const EMPTY_STATUS: ServerStatusInfo = { migrations: 0, settingsModules: 0, indexing: false };

/** The table's keys as the engine reads them (`postgres-version`, `postgres_version` → `postgresVersion`). */
function tableKeys(configPath: string | undefined): Set<string> {
  const table = configPath ? readToolTable(configPath, []) : undefined;
  return new Set(Object.keys(table ?? {}).map((key) => key.replace(/[-_]([a-z])/g, (_, letter: string) => letter.toUpperCase())));
}

/** The assumed database and versions, each with its source: editor setting over pyproject.toml over detection. */
export function assumedValues(resolved: ResolvedConfig, overrides: Record<string, unknown>, dir: string): Pick<ServerStatusInfo, 'database' | 'postgresVersion' | 'djangoVersion'> {
  const inTable = tableKeys(resolved.configPath);
  const source = (key: string): ValueSource => {
    if (overrides[key] !== undefined) return 'editor setting';
    return inTable.has(key) ? 'pyproject.toml' : 'default';
  };
  const { config } = resolved;
  let djangoFrom = source('djangoVersion');
  if (djangoFrom === 'default' && detectDjangoVersion(resolved.configPath ? dirname(resolved.configPath) : dir)) djangoFrom = 'requirements';
  return {
    database: { value: config.database, from: source('database') },
    postgresVersion: { value: config.postgresVersion, from: source('postgresVersion') },
    djangoVersion: { value: config.djangoVersion.join('.'), from: djangoFrom },
  };
}
