// Configuration shape, defaults, and sanitizing of every value that comes from outside (pyproject, editor, CLI).
export type Severity = 'error' | 'warning' | 'info';
export type Database = 'postgresql' | 'mysql' | 'sqlite' | 'oracle';

export interface Config {
  database: Database;
  postgresVersion: number;
  /** [major, minor]; from config, else detected from the project's requirements, else the latest. */
  djangoVersion: [number, number];
  /** Code prefixes to enable (`MG1` enables MG1xx). */
  select: string[];
  ignore: string[];
  severity: Record<string, Severity>;
  exclude: string[];
  productionSettings: string[];
  statementTimeoutMs: number;
  lockTimeoutMs: number;
  maxLockTimeoutMs: number;
  maxStatementTimeoutMs: number;
  /** app label → last migration (name or number prefix) that already ran in production. */
  startAfter: Record<string, string>;
  /** `[tool.migration-guard.tables]`: table names or globs (see analysis/table-policy.ts). */
  tables: TablePolicy;
}

export interface TablePolicy {
  /** Lock and rewrite findings on these tables become errors. */
  large: string[];
  /** Lock findings on these tables become info: the lock is brief. */
  small: string[];
}

export const LATEST_DJANGO: [number, number] = [5, 2];

export function defaultConfig(): Config {
  return {
    database: 'postgresql',
    postgresVersion: 16,
    djangoVersion: LATEST_DJANGO,
    select: ['MG'],
    ignore: [],
    severity: dictionary(),
    exclude: [],
    productionSettings: ['**/*prod*.py', '**/*production*.py', '**/*deploy*.py', '**/*live*.py'],
    statementTimeoutMs: 30000,
    lockTimeoutMs: 4000,
    maxLockTimeoutMs: 10000,
    maxStatementTimeoutMs: 300000,
    startAfter: dictionary(),
    tables: { large: [], small: [] },
  };
}

/**
 * A map keyed by text from the user's files (app labels, rule codes) with no prototype: an app called
 * `constructor`, `toString` or `__proto__` is a key like any other, not Object's method.
 */
function dictionary<T>(entries: Record<string, T> = {}): Record<string, T> {
  return Object.assign(Object.create(null) as Record<string, T>, entries);
}

/** A config value that did not make sense; the default is used instead. */
export interface ConfigProblem {
  key: string;
  message: string;
}

/** Overrides as they arrive from pyproject.toml (kebab-case), VS Code settings or CLI flags. */
export type RawConfig = Record<string, unknown>;

const DATABASES: Database[] = ['postgresql', 'mysql', 'sqlite', 'oracle'];
const SEVERITIES: Severity[] = ['error', 'warning', 'info'];
const CODE_PREFIX = /^MG\d{0,3}$/;

function stringList(value: unknown): string[] | undefined {
  if (typeof value === 'string') return value.split(',').map((s) => s.trim()).filter(Boolean);
  if (Array.isArray(value) && value.every((item) => typeof item === 'string')) return value.map((s) => s.trim()).filter(Boolean);
  return undefined;
}

function positiveInteger(value: unknown): number | undefined {
  const number = typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : value;
  return typeof number === 'number' && Number.isInteger(number) && number > 0 ? number : undefined;
}

export function parseVersion(value: unknown): [number, number] | undefined {
  const match = /^(\d+)(?:\.(\d+))?/.exec(String(value ?? '').trim());
  return match && typeof value !== 'boolean' ? [Number(match[1]), Number(match[2] ?? 0)] : undefined;
}

/** Keys accept kebab-case (pyproject), camelCase (VS Code) and snake_case. */
function normalizeKey(key: string): string {
  return key.replace(/[-_]([a-z])/g, (_, letter: string) => letter.toUpperCase());
}

/**
 * Applies `raw` on top of `base`. Unknown keys and bad values are reported and ignored, so one typo never
 * disables the linter.
 */
export function mergeConfig(base: Config, raw: RawConfig, problems: ConfigProblem[]): Config {
  const config: Config = { ...base, severity: dictionary(base.severity), startAfter: dictionary(base.startAfter) };
  for (const [rawKey, value] of Object.entries(raw)) {
    if (value === undefined || value === null) continue;
    const key = normalizeKey(rawKey);
    const bad = (expected: string) => problems.push({ key: rawKey, message: `\`${rawKey}\` must be ${expected}; got ${JSON.stringify(value)}` });
    switch (key) {
      case 'database': {
        const name = String(value).toLowerCase().replace(/^postgres$/, 'postgresql');
        if (DATABASES.includes(name as Database)) config.database = name as Database;
        else bad(`one of ${DATABASES.join(', ')}`);
        break;
      }
      case 'postgresVersion': {
        const version = parseVersion(value);
        if (version && version[0] >= 9) config.postgresVersion = version[0];
        else bad('a PostgreSQL major version such as 16');
        break;
      }
      case 'djangoVersion': {
        const version = parseVersion(value);
        if (version && version[0] >= 1) config.djangoVersion = version;
        else bad('a Django version such as "4.2"');
        break;
      }
      case 'select':
      case 'ignore':
      case 'exclude':
      case 'productionSettings': {
        const list = stringList(value);
        if (!list) { bad('a list of strings'); break; }
        if (key === 'select' || key === 'ignore') {
          const codes = list.map((code) => code.toUpperCase());
          const wrong = codes.filter((code) => !CODE_PREFIX.test(code));
          if (wrong.length) problems.push({ key: rawKey, message: `\`${rawKey}\` has unknown codes: ${wrong.join(', ')} (expected codes like MG101 or prefixes like MG1)` });
          config[key] = codes.filter((code) => CODE_PREFIX.test(code));
        } else {
          config[key] = list;
        }
        break;
      }
      case 'severity': {
        if (typeof value !== 'object' || Array.isArray(value)) { bad('a table of CODE = "error" | "warning" | "info"'); break; }
        for (const [code, level] of Object.entries(value as Record<string, unknown>)) {
          if (CODE_PREFIX.test(code.toUpperCase()) && SEVERITIES.includes(level as Severity)) config.severity[code.toUpperCase()] = level as Severity;
          else problems.push({ key: `severity.${code}`, message: `\`severity.${code}\` must name a rule code and one of error, warning, info; got ${JSON.stringify(level)}` });
        }
        break;
      }
      case 'startAfter': {
        if (typeof value !== 'object' || Array.isArray(value)) { bad('a table of app = "0042"'); break; }
        for (const [app, migration] of Object.entries(value as Record<string, unknown>)) {
          if (typeof migration === 'string' && migration.trim()) config.startAfter[app] = migration.trim();
          else problems.push({ key: `start-after.${app}`, message: `\`start-after.${app}\` must be a migration name or number; got ${JSON.stringify(migration)}` });
        }
        break;
      }
      case 'tables': {
        if (typeof value !== 'object' || Array.isArray(value)) { bad('a table with `large` and `small` lists of table names or globs'); break; }
        const tables = { ...config.tables };
        for (const [size, names] of Object.entries(value as Record<string, unknown>)) {
          const list = stringList(names);
          if (size !== 'large' && size !== 'small') problems.push({ key: `tables.${size}`, message: `unknown option \`tables.${size}\` (expected \`large\` or \`small\`)` });
          else if (!list) problems.push({ key: `tables.${size}`, message: `\`tables.${size}\` must be a list of table names or globs such as "shop_*line"; got ${JSON.stringify(names)}` });
          else tables[size] = list;
        }
        config.tables = tables;
        break;
      }
      case 'statementTimeoutMs':
      case 'lockTimeoutMs':
      case 'maxLockTimeoutMs':
      case 'maxStatementTimeoutMs': {
        const number = positiveInteger(value);
        if (number) config[key] = number;
        else bad('a positive whole number of milliseconds');
        break;
      }
      case 'maxTimeoutMs': {
        // One ceiling for both timeouts, as SPEC §4 names it.
        const number = positiveInteger(value);
        if (number) config.maxLockTimeoutMs = config.maxStatementTimeoutMs = number;
        else bad('a positive whole number of milliseconds');
        break;
      }
      default:
        problems.push({ key: rawKey, message: `unknown option \`${rawKey}\`` });
    }
  }
  return config;
}

/** Ruff's rule: the most specific matching prefix wins; on a tie, `ignore` wins. */
export function isEnabled(config: Config, code: string): boolean {
  const longest = (prefixes: string[]) => Math.max(-1, ...prefixes.filter((p) => code.startsWith(p)).map((p) => p.length));
  const selected = longest(config.select);
  return selected >= 0 && selected > longest(config.ignore);
}
