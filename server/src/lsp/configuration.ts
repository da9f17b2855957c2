// Editor settings (`migrationGuard.*`), the per-settings ConfigResolver, and MG000 diagnostics for broken
// pyproject.toml files.
import { DiagnosticSeverity, MessageType, ShowMessageNotification, type Connection, type Diagnostic } from 'vscode-languageserver/node';
import { defaultConfig, mergeConfig, type ConfigProblem, type RawConfig } from '../config/defaults';
import { locateProblem } from '../config/locate';
import { ConfigResolver, type ResolvedConfig } from '../config/pyproject';
import { readWorkspaceText } from '../base/files';
import { describeError, isLogLevel, type Logger, type LogLevel } from './logger';
import { pathToUri } from './uri';

export { locateProblem };

export const SECTION = 'migrationGuard';
export const SOURCE = 'migration-guard';
const CONFIGURATION_TIMEOUT_MS = 5000;

/** Settings for one document, sanitized once at the boundary. */
export interface ServerSettings {
  /** false: no diagnostics and no code actions. */
  enable: boolean;
  logLevel?: LogLevel;
  /** `migrationGuard.since`: a git ref; Lint Workspace then lints only the migrations changed since its merge base. */
  since?: string;
  /** Passed to ConfigResolver.setOverrides: they win over pyproject.toml. */
  overrides: RawConfig;
  /** Bad values, with what was done about them. */
  problems: string[];
}

/** Engine options an editor may override (normalized to camelCase); the manifest test compares them with package.json. */
export const ENGINE_KEYS: ReadonlySet<string> = new Set([
  'database', 'postgresVersion', 'djangoVersion', 'select', 'ignore', 'severity', 'exclude', 'productionSettings',
  'statementTimeoutMs', 'lockTimeoutMs', 'maxLockTimeoutMs', 'maxStatementTimeoutMs', 'maxTimeoutMs', 'startAfter', 'tables',
]);

/** Settings the server reads besides the engine options (`trace.server` is the client library's). */
export const SERVER_KEYS: ReadonlySet<string> = new Set(['enable', 'logLevel', 'since']);

function normalizeKey(key: string): string {
  return key.replace(/[-_]([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * An editor sends every setting, defaults included: an empty list or string means "not set" (otherwise
 * VS Code's default `ignore: []` would wipe the `ignore` list of pyproject.toml).
 */
function isUnset(value: unknown): boolean {
  return value === undefined || value === null || value === ''
    || (Array.isArray(value) && value.length === 0) || (isRecord(value) && Object.values(value).every(isUnset));
}

/**
 * `initializationOptions` may be the settings object itself or wrap it (`{settings}` / `{migrationGuard}`).
 */
export function unwrapSettings(raw: unknown): Record<string, unknown> {
  if (!isRecord(raw)) return {};
  if (isRecord(raw[SECTION])) return raw[SECTION];
  if (isRecord(raw.settings)) return raw.settings;
  return raw;
}

export function parseSettings(raw: unknown): ServerSettings {
  const settings: ServerSettings = { enable: true, overrides: {}, problems: [] };
  for (const [key, value] of Object.entries(unwrapSettings(raw))) {
    const normalized = normalizeKey(key);
    if (normalized === 'enable') {
      if (typeof value === 'boolean') settings.enable = value;
      else if (!isUnset(value)) settings.problems.push(`\`migrationGuard.enable\` must be true or false; got ${JSON.stringify(value)}`);
      continue;
    }
    if (normalized === 'logLevel') {
      if (isLogLevel(value)) settings.logLevel = value;
      else if (!isUnset(value)) settings.problems.push(`\`migrationGuard.logLevel\` must be one of error, warn, info, debug; got ${JSON.stringify(value)}`);
      continue;
    }
    if (normalized === 'since') {
      if (typeof value === 'string') settings.since = value.trim() || undefined;
      else if (!isUnset(value)) settings.problems.push(`\`migrationGuard.since\` must be a git ref such as "origin/main"; got ${JSON.stringify(value)}`);
      continue;
    }
    // `trace` (trace.server) is handled by the client library; other client-side keys are not ours either.
    if (!ENGINE_KEYS.has(normalized) || isUnset(value)) continue;
    const problems: ConfigProblem[] = [];
    const merged = mergeConfig(defaultConfig(), { [key]: value }, problems);
    if (problems.length === 0) {
      settings.overrides[normalized] = value;
      continue;
    }
    settings.problems.push(...problems.map((problem) => `setting \`migrationGuard.${problem.key}\`: ${problem.message}`));
    // Keep the valid part of a partly wrong list or table; drop anything else (the default applies).
    if ((normalized === 'select' || normalized === 'ignore') && merged[normalized].length > 0) settings.overrides[normalized] = merged[normalized];
    if (normalized === 'severity' && Object.keys(merged.severity).length > 0) settings.overrides.severity = { ...merged.severity }; // rule codes only: a plain object
  }
  return settings;
}

/**
 * Where settings come from: `workspace/configuration` (per document, cached until the next
 * `didChangeConfiguration`) when the client supports it; else `initializationOptions` plus whatever
 * `didChangeConfiguration` pushes.
 */
export class SettingsStore {
  private readonly cache = new Map<string, Promise<ServerSettings>>();
  private readonly resolvers = new Map<string, ConfigResolver>();
  private readonly reported = new Set<string>();
  private base: Record<string, unknown>;

  constructor(
    private readonly connection: Connection,
    private readonly logger: Logger,
    initializationOptions: unknown,
    private readonly pull: boolean,
  ) {
    this.base = unwrapSettings(initializationOptions);
    this.apply(parseSettings(this.base));
  }

  /** `didChangeConfiguration`: forget cached settings; a pushing client sends the new values. */
  changed(pushed: unknown): void {
    this.cache.clear();
    if (!this.pull && isRecord(pushed) && isRecord(pushed[SECTION])) {
      this.base = pushed[SECTION];
      this.apply(parseSettings(this.base));
    }
  }

  /** The document closed: its settings are asked for again if it opens again. */
  forget(uri: string): void {
    this.cache.delete(uri);
  }

  forUri(uri: string | undefined): Promise<ServerSettings> {
    const key = uri ?? '';
    let settings = this.cache.get(key);
    if (!settings) {
      settings = this.fetch(uri);
      this.cache.set(key, settings);
    }
    return settings;
  }

  private async fetch(uri: string | undefined): Promise<ServerSettings> {
    let raw: Record<string, unknown> = this.base;
    if (this.pull) {
      try {
        // A client that never answers must not stall linting: after a while the initialization options apply.
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>((_, reject) => {
          timer = setTimeout(() => reject(new Error(`no answer in ${CONFIGURATION_TIMEOUT_MS / 1000} s`)), CONFIGURATION_TIMEOUT_MS);
        });
        const request = this.connection.workspace.getConfiguration([{ scopeUri: uri, section: SECTION }]) as Promise<unknown[]>;
        const [fetched] = await Promise.race([request, timeout]).finally(() => clearTimeout(timer));
        raw = { ...this.base, ...unwrapSettings(fetched) };
      } catch (error) {
        this.logger.warn(`workspace/configuration failed, using the initialization options: ${describeError(error)}`);
      }
    }
    const settings = parseSettings(raw);
    this.apply(settings);
    return settings;
  }

  /** The log level is server-wide: the last settings read win. Bad values are shown once each. */
  private apply(settings: ServerSettings): void {
    if (settings.logLevel) this.logger.level = settings.logLevel;
    for (const problem of settings.problems) {
      if (this.reported.has(problem)) continue;
      this.reported.add(problem);
      this.logger.warn(`Migration Guard: ${problem}; using the default.`);
      // A notification: `window.showWarningMessage` would send a request whose answer nobody waits for.
      void this.connection.sendNotification(ShowMessageNotification.type, { type: MessageType.Warning, message: `Migration Guard: ${problem}; using the default.` }).catch(() => undefined);
    }
  }

  /** One resolver per distinct set of overrides (workspace folders may differ), each with its own cache. */
  resolverFor(settings: ServerSettings): ConfigResolver {
    const key = JSON.stringify(settings.overrides);
    let resolver = this.resolvers.get(key);
    if (!resolver) {
      resolver = new ConfigResolver(settings.overrides);
      this.resolvers.set(key, resolver);
    }
    return resolver;
  }

  /** A pyproject.toml (or a requirements file) changed on disk. */
  clearResolvers(): void {
    for (const resolver of this.resolvers.values()) resolver.clear();
  }

  /** Settings changed: drop resolvers whose overrides nobody uses any more. */
  resetResolvers(): void {
    this.resolvers.clear();
  }
}

/**
 * MG000: config problems of a pyproject.toml, published once per distinct set of problems (every file under
 * that pyproject resolves to the same problems; the diagnostic is not republished for each).
 */
export class ConfigDiagnostics {
  private readonly published = new Map<string, string>();

  constructor(private readonly connection: Connection, private readonly logger: Logger) {}

  report(resolved: ResolvedConfig): void {
    const path = resolved.configPath;
    if (!path) return;
    // Problems of editor settings were shown by SettingsStore; only the file's own belong on the file.
    const problems = resolved.problems.filter((problem) => !problem.message.endsWith('(editor or command-line setting)'));
    const key = JSON.stringify(problems);
    const before = this.published.get(path);
    this.published.set(path, key);
    if (before === key || (before === undefined && problems.length === 0)) return;
    const text = readWorkspaceText(path) ?? ''; // unreadable: line 0
    const lines = text.split('\n');
    const diagnostics: Diagnostic[] = problems.map((problem) => {
      const line = locateProblem(text, problem.key);
      const length = (lines[line] ?? '').replace(/\r$/, '').length;
      return {
        range: { start: { line, character: 0 }, end: { line, character: length } },
        severity: DiagnosticSeverity.Error,
        code: 'MG000',
        source: SOURCE,
        message: problem.message,
      };
    });
    for (const problem of problems) this.logger.warn(`${path}: ${problem.message}`);
    void this.connection.sendDiagnostics({ uri: pathToUri(path), diagnostics }).catch(() => undefined);
  }

  /**
   * The file changed: the next report publishes again, even the same problems. Deleted: its
   * diagnostics go now.
   */
  forget(path: string, deleted: boolean): void {
    const before = this.published.get(path);
    if (before === undefined) return;
    if (deleted) {
      this.published.delete(path);
      if (before !== '[]') void this.connection.sendDiagnostics({ uri: pathToUri(path), diagnostics: [] }).catch(() => undefined);
    } else {
      this.published.set(path, 'stale');
    }
  }
}
