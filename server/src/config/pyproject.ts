// Reads `[tool.migration-guard]` from the nearest pyproject.toml, and detects the Django version in use.
import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { parse as parseToml } from 'smol-toml';
import { readWorkspaceText } from '../base/files';
import { defaultConfig, mergeConfig, parseVersion, type Config, type ConfigProblem, type RawConfig } from './defaults';

export interface ResolvedConfig {
  config: Config;
  /** The pyproject.toml that applied, if any. */
  configPath?: string;
  /** Problems in that file; reported once as MG000 on it. */
  problems: ConfigProblem[];
}

const readText = (path: string) => readWorkspaceText(path);

// Matched line by line, each anchored at the line's start, and no two quantifiers can share the same spaces: no
// pattern backtracks across lines or along one (a file of 100,000 blank lines took `^\s*` with the `m` flag 54 s).
const REQUIREMENT = /^\s*["']?django\s*(?:\[[^\]]*\]\s*)?(?:==|>=|~=|===|\^|~)\s*(\d+(?:\.\d+)?)/i;
const POETRY_DEPENDENCY = /^\s*django\s*=\s*["'][\^~>=]*\s*(\d+(?:\.\d+)?)/i;
const LOCKED_NAME = /^\s*name\s*=\s*"django"\s*$/i;
const LOCKED_VERSION = /^\s*version\s*=\s*"(\d+\.\d+)/;

/** poetry.lock / uv.lock: the `version` of the `[[package]]` whose `name = "django"`. */
function lockedVersion(lines: readonly string[]): string | undefined {
  const at = lines.findIndex((line) => LOCKED_NAME.test(line));
  if (at < 0) return undefined;
  for (let i = at + 1; i < lines.length && !/^\s*\[/.test(lines[i]); i++) {
    const version = LOCKED_VERSION.exec(lines[i]);
    if (version) return version[1];
  }
  return undefined;
}

/** Pipfile.lock (JSON): `"django": {"version": "==4.2.7"}` in `default` (or `develop`). */
function pipfileVersion(text: string): string | undefined {
  try {
    const lock = JSON.parse(text) as Record<string, Record<string, { version?: unknown }> | undefined>;
    const version = lock.default?.django?.version ?? lock.develop?.django?.version;
    return typeof version === 'string' ? /^==(\d+\.\d+)/.exec(version)?.[1] : undefined;
  } catch {
    return undefined;
  }
}

/** `Django==4.2.7`, `django>=4.2,<5`, `django = "^4.2"`, poetry.lock / uv.lock `name = "django"` + `version = "4.2.7"`. */
export function detectDjangoVersion(dir: string): [number, number] | undefined {
  const candidates = ['requirements.txt', 'requirements/base.txt', 'requirements/production.txt', 'requirements-prod.txt', 'pyproject.toml', 'poetry.lock', 'uv.lock', 'Pipfile.lock'];
  for (const name of candidates) {
    const text = readText(join(dir, name));
    if (!text) continue;
    if (name === 'Pipfile.lock') {
      const version = pipfileVersion(text);
      if (version) return parseVersion(version);
      continue;
    }
    const lines = text.split(/\r\n|\r|\n/);
    const version = lockedVersion(lines)
      ?? lines.map((line) => (REQUIREMENT.exec(line) ?? POETRY_DEPENDENCY.exec(line))?.[1]).find((found) => found !== undefined);
    if (version) return parseVersion(version);
  }
  return undefined;
}

/**
 * Resolves the configuration that applies to `filePath`: defaults, then the nearest pyproject.toml's
 * `[tool.migration-guard]`, then `overrides` (editor settings or CLI flags). Results are cached per
 * directory until `clear()`.
 */
export class ConfigResolver {
  private readonly cache = new Map<string, ResolvedConfig>();
  /** Resolved once per pyproject.toml: every directory under it shares the one result. */
  private readonly byConfigPath = new Map<string, ResolvedConfig>();
  /** Per directory, the pyproject.toml files at or above it (walked once per directory, parents memoized). */
  private readonly pyprojects = new Map<string, PyprojectsAbove>();

  constructor(private overrides: RawConfig = {}, private readonly explicitConfigPath?: string) {}

  setOverrides(overrides: RawConfig): void {
    this.overrides = overrides;
    this.clear();
  }

  clear(): void {
    this.cache.clear();
    this.byConfigPath.clear();
    this.pyprojects.clear();
  }

  forFile(filePath: string): ResolvedConfig {
    return this.forDirectory(dirname(resolve(filePath)));
  }

  forDirectory(dir: string): ResolvedConfig {
    let cached = this.cache.get(dir);
    if (!cached) {
      cached = this.resolve(dir);
      this.cache.set(dir, cached);
    }
    return cached;
  }

  private resolve(dir: string): ResolvedConfig {
    const configPath = this.explicitConfigPath ? resolve(this.explicitConfigPath) : this.findPyproject(dir);
    if (!configPath) return this.resolveFor(dir, undefined);
    let resolved = this.byConfigPath.get(configPath);
    if (!resolved) {
      resolved = this.resolveFor(dir, configPath);
      this.byConfigPath.set(configPath, resolved);
    }
    return resolved;
  }

  /** The nearest pyproject.toml with a `[tool.migration-guard]` table at or above `dir`; else the nearest one at all. */
  private findPyproject(dir: string): string | undefined {
    const above = this.pyprojectsAbove(dir);
    return above.withTable ?? above.nearest;
  }

  private pyprojectsAbove(dir: string): PyprojectsAbove {
    let found = this.pyprojects.get(dir);
    if (found) return found;
    const parent = dirname(dir) === dir ? {} : this.pyprojectsAbove(dirname(dir));
    const candidate = join(dir, 'pyproject.toml');
    found = isPyproject(candidate) ? { nearest: candidate, withTable: hasToolTable(candidate) ? candidate : parent.withTable } : parent;
    this.pyprojects.set(dir, found);
    return found;
  }

  /** The config of a pyproject.toml (configPath), or of a directory without one. */
  private resolveFor(dir: string, configPath: string | undefined): ResolvedConfig {
    const problems: ConfigProblem[] = [];
    let config = defaultConfig();
    let projectDir = configPath ? dirname(configPath) : dir;
    if (configPath) {
      const table = readToolTable(configPath, problems);
      const detected = detectDjangoVersion(projectDir);
      if (detected) config.djangoVersion = detected;
      config = mergeConfig(config, table ?? {}, problems);
    } else {
      projectDir = dir;
      const detected = detectDjangoVersion(projectDir);
      if (detected) config.djangoVersion = detected;
    }
    const overrideProblems: ConfigProblem[] = [];
    config = mergeConfig(config, this.overrides, overrideProblems);
    problems.push(...overrideProblems.map((p) => ({ ...p, message: `${p.message} (editor or command-line setting)` })));
    return { config, configPath, problems };
  }
}

interface PyprojectsAbove {
  /** The nearest pyproject.toml. */
  nearest?: string;
  /** The nearest with a `[tool.migration-guard]` table. */
  withTable?: string;
}

function isPyproject(path: string): boolean {
  return existsSync(path) && statSync(path).isFile();
}

function hasToolTable(path: string): boolean {
  return (readText(path) ?? '').split('\n').some((line) => /^\s*\[tool\.migration-guard[\].]/.test(line));
}

export function readToolTable(path: string, problems: ConfigProblem[]): RawConfig | undefined {
  const text = readText(path);
  if (text === undefined) {
    problems.push({ key: '', message: `cannot read ${path}` });
    return undefined;
  }
  try {
    const document = parseToml(text) as { tool?: Record<string, unknown> };
    const table = document.tool?.['migration-guard'];
    if (table === undefined) return undefined;
    if (typeof table !== 'object' || table === null || Array.isArray(table)) {
      problems.push({ key: 'tool.migration-guard', message: '`[tool.migration-guard]` must be a table' });
      return undefined;
    }
    return table as RawConfig;
  } catch (error) {
    const detail = error instanceof Error ? error.message.split('\n')[0] : String(error);
    problems.push({ key: '', message: `pyproject.toml is not valid TOML, using default settings: ${detail}` });
    return undefined;
  }
}
