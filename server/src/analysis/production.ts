// Production settings (MG7xx): which settings entry points are production ones (the `production-settings`
// globs), what each one's effective value of a deploy setting is, and where that value was set. Also what
// the project's settings give the migrations (MG110/MG111): lock and statement timeouts.
import { dirname, relative } from 'node:path';
import type { Config } from '../config/defaults';
import { compileGlob, type Glob } from '../base/files';
import type { SettingsIndex } from './settings-index';
import { holeOutsideValues, parseDuration, parseLibpqOptions } from './db-options';
import type { SettingsModule, Value } from './settings';
import { entryFacts, type DatabasesAlternative, type EffectiveSettings, type Tracked } from './settings-eval';
import type { SourceLocation } from './summary';

const compiled = new Map<string, Glob[]>();

function globs(patterns: readonly string[]): Glob[] {
  const key = patterns.join('\0');
  let found = compiled.get(key);
  if (!found) {
    found = patterns.map(compileGlob);
    if (compiled.size > 32) compiled.clear();
    compiled.set(key, found);
  }
  return found;
}

/**
 * A settings module is a production one when a `production-settings` glob matches its path, relative to the
 * project root or any other folder above it (`config/settings/prod.py` matches `/srv/app/config/settings/prod.py`).
 */
export function isProductionSettings(path: string, patterns: readonly string[]): boolean {
  const regexps = globs(patterns);
  if (regexps.length === 0) return false;
  const parts = path.replace(/\\/g, '/').split('/').filter(Boolean);
  for (let i = parts.length - 1; i >= 0; i--) {
    const suffix = parts.slice(i).join('/');
    if (regexps.some((glob) => glob.test(suffix))) return true;
  }
  return false;
}

/** The production entry points among `entryPoints` (SPEC §3: MG7xx judge entry points only). */
export function productionEntryPoints(entryPoints: readonly EffectiveSettings[], patterns: readonly string[]): EffectiveSettings[] {
  return entryPoints.filter((settings) => isProductionSettings(settings.entryPoint, patterns));
}

export type SettingLookup =
  /** `conditional`: set inside an `if`/`except` branch, so it may not be the value at run time. */
  | { state: 'set'; value: Value; statement: SourceLocation; conditional: boolean }
  /** Certainly not set anywhere: Django's default applies. */
  | { state: 'missing' }
  /** Set to something we cannot evaluate, or possibly set where we cannot see. */
  | { state: 'unknown' };

function isConditional(module: SettingsModule | undefined, tracked: Tracked): boolean {
  const start = tracked.statement.range.start;
  return module?.statements.some((statement) => statement.kind === 'assign' && statement.location.range.start === start && statement.conditional === true) ?? false;
}

/** The effective value of a module-level setting in one entry point's settings. */
export function lookupSetting(settings: EffectiveSettings, index: SettingsIndex, name: string): SettingLookup {
  const tracked = settings.names.get(name);
  if (!tracked) {
    // A star import we could not follow, or `include(...)`/`exec(...)`/`globals().update(...)`, may set it.
    return settings.unresolved.length > 0 || settings.names.has('*') ? { state: 'unknown' } : { state: 'missing' };
  }
  const { value } = tracked;
  if (value.kind === 'unknown' || value.kind === 'ref') return { state: 'unknown' };
  return { state: 'set', value, statement: tracked.statement, conditional: isConditional(index.module(tracked.statement.path), tracked) };
}

/** Python truthiness of a known value; undefined when it cannot be told. */
export function truthy(value: Value): boolean | undefined {
  switch (value.kind) {
    case 'bool': return value.value;
    case 'num': return value.value !== 0;
    case 'str': return value.value.length > 0;
    case 'none': return false;
    case 'list': return value.items.length > 0;
    case 'dict': return value.open || value.from ? undefined : value.items.size > 0;
    default: return undefined;
  }
}

/**
 * A list of strings setting (`MIDDLEWARE`, `INSTALLED_APPS`): its items when every one is a known string,
 * `[]` when the setting is missing (Django's default), 'unknown' otherwise (`A + B`, read from elsewhere).
 */
export function stringList(settings: EffectiveSettings, index: SettingsIndex, name: string): string[] | 'unknown' {
  const found = lookupSetting(settings, index, name);
  if (found.state === 'missing') return [];
  if (found.state === 'unknown' || found.conditional || found.value.kind !== 'list') return 'unknown';
  const items: string[] = [];
  for (const item of found.value.items) {
    if (item.kind !== 'str') return 'unknown';
    items.push(item.value.trim());
  }
  return items;
}

/** True only when the settings show for sure that none of `names` is in the list setting `setting`. */
export function knownWithout(settings: EffectiveSettings, index: SettingsIndex, setting: string, names: readonly string[]): boolean {
  const items = stringList(settings, index, setting);
  return items !== 'unknown' && !items.some((item) => names.includes(item));
}

/** One bad value found in one production entry point. */
export interface DeployFinding<T> {
  /** Where to report: the statement that set the value, or the entry point's first line when it is missing. */
  location: SourceLocation;
  entryPoint: string;
  /** Findings with the same location and key are reported once, naming every entry point. */
  key: string;
  data: T;
}

export interface DeployGroup<T> {
  location: SourceLocation;
  entryPoints: string[];
  /** The first finding's data (the same statement gives the same value in every entry point). */
  data: T;
}

/** Groups findings by location and key, keeping only those located in `path` (the file being linted). */
export function findingsIn<T>(path: string, findings: readonly DeployFinding<T>[]): DeployGroup<T>[] {
  const groups = new Map<string, DeployGroup<T>>();
  for (const finding of findings) {
    if (finding.location.path !== path) continue;
    const id = `${finding.location.range.start}:${finding.location.range.end}:${finding.key}`;
    const group = groups.get(id);
    if (group) {
      if (!group.entryPoints.includes(finding.entryPoint)) group.entryPoints.push(finding.entryPoint);
    } else {
      groups.set(id, { location: finding.location, entryPoints: [finding.entryPoint], data: finding.data });
    }
  }
  return [...groups.values()].sort((a, b) => a.location.range.start - b.location.range.start);
}

/**
 * "in production settings" when the finding is in the entry point itself; otherwise "in `base.py`, used by
 * the production settings `production.py`" with paths relative to the linted file's folder.
 */
export function productionContext(path: string, entryPoints: readonly string[]): string {
  if (entryPoints.length === 1 && entryPoints[0] === path) return 'in production settings';
  const names = [...entryPoints].sort().map((entry) => `\`${relative(dirname(path), entry).replace(/\\/g, '/')}\``);
  return `in settings used by the production ${names.length > 1 ? 'entry points' : 'entry point'} ${names.join(', ')}`;
}

/**
 * True when every entry point that includes the linted module is a production one: editing a value there
 * cannot change a development or test configuration.
 */
export function onlyProductionUses(entryPoints: readonly EffectiveSettings[], patterns: readonly string[]): boolean {
  return entryPoints.length > 0 && entryPoints.every((settings) => isProductionSettings(settings.entryPoint, patterns));
}

// ——— What the project's settings give migrations (MG110/MG111) ———

export interface ProjectTimeout {
  entryPoint: string;
  ms: number;
  /** As written: `4s`, `30000`. */
  raw: string;
  /** Where it is set: the `options` string, or the `ZERO_DOWNTIME_MIGRATIONS_LOCK_TIMEOUT = …` statement. */
  location: SourceLocation;
}

export interface MigrationTimeouts {
  /** `DATABASES["default"]` of each entry point whose default database is PostgreSQL. */
  postgresEntries: { entryPoint: string; definedAt: SourceLocation }[];
  /** Lock timeouts above 0 that migrations get (libpq `options`, ZERO_DOWNTIME_MIGRATIONS_LOCK_TIMEOUT). */
  lockTimeouts: ProjectTimeout[];
  /** An entry point may set a lock timeout we cannot see (unknown engine or options, unresolved import). */
  lockTimeoutUnknown: boolean;
  /** Statement timeouts above 0 in the default PostgreSQL entry's `options` (every query of the app). */
  statementTimeouts: ProjectTimeout[];
}

function durationOf(value: Value): number | undefined {
  if (value.kind === 'num') return value.value;
  if (value.kind === 'str') return parseDuration(value.value);
  return undefined;
}

/** The last answer per index, while the index is unchanged: MG110 and MG111 ask for every migration. */
const timeoutsByIndex = new WeakMap<SettingsIndex, { generation: number; database: string; timeouts: MigrationTimeouts }>();

/**
 * Reads every entry point of the workspace: migrations run with one of them (usually the production one), so a
 * lock timeout counts when any entry point sets it, and a statement timeout when any entry point sets it.
 */
export function migrationTimeouts(index: SettingsIndex, config: Pick<Config, 'database'>): MigrationTimeouts {
  const cached = timeoutsByIndex.get(index);
  if (cached && cached.generation === index.generation && cached.database === config.database) return cached.timeouts;
  const timeouts = readMigrationTimeouts(index, config);
  timeoutsByIndex.set(index, { generation: index.generation, database: config.database, timeouts });
  return timeouts;
}

function readMigrationTimeouts(index: SettingsIndex, config: Pick<Config, 'database'>): MigrationTimeouts {
  const result: MigrationTimeouts = { postgresEntries: [], lockTimeouts: [], lockTimeoutUnknown: false, statementTimeouts: [] };
  for (const entryPoint of index.entryPoints()) {
    const settings = index.evaluate(entryPoint);
    if (settings.unresolved.length > 0 || settings.names.has('*')) result.lockTimeoutUnknown = true;
    const zeroDowntime = settings.names.get('ZERO_DOWNTIME_MIGRATIONS_LOCK_TIMEOUT');
    if (zeroDowntime && zeroDowntime.value.kind !== 'none') {
      const ms = durationOf(zeroDowntime.value);
      if (ms === undefined || Number.isNaN(ms)) result.lockTimeoutUnknown = true;
      else if (ms > 0) result.lockTimeouts.push({ entryPoint, ms, raw: String(zeroDowntime.value.kind === 'str' || zeroDowntime.value.kind === 'num' ? zeroDowntime.value.value : ms), location: zeroDowntime.statement });
    }
    if (!settings.names.has('DATABASES')) continue; // a settings fragment without databases
    for (const alternative of settings.databaseAlternatives) readDefaultEntry(entryPoint, alternative, config, result);
    if (settings.databaseAlternatives.length === 0) result.lockTimeoutUnknown = true;
  }
  return result;
}

/** What one value of `DATABASES` (see DatabasesAlternative) gives migrations through its default entry. */
function readDefaultEntry(entryPoint: string, { value: databases, traces }: DatabasesAlternative, config: Pick<Config, 'database'>, result: MigrationTimeouts): void {
  if (databases.kind !== 'dict') {
    result.lockTimeoutUnknown = true;
    return;
  }
  const entry = databases.items.get('default');
  if (!entry) {
    if (databases.open || databases.from) result.lockTimeoutUnknown = true;
    return;
  }
  const facts = entryFacts(entry, config);
  if (facts.engine === 'unknown') {
    result.lockTimeoutUnknown = true;
    return;
  }
  if (facts.engine !== 'postgresql') return;
  result.postgresEntries.push({ entryPoint, definedAt: traces.get('default')?.definedAt ?? databases.location });
  if (facts.optionsString === 'unknown') {
    result.lockTimeoutUnknown = true;
    return;
  }
  if (facts.optionsString === 'absent') return;
  const parsed = parseLibpqOptions(facts.optionsString.value);
  const lock = parsed.get('lock_timeout');
  if ((lock && Number.isNaN(lock.ms)) || (!lock && holeOutsideValues(facts.optionsString.value, parsed))) result.lockTimeoutUnknown = true;
  else if (lock && lock.ms > 0) result.lockTimeouts.push({ entryPoint, ms: lock.ms, raw: lock.raw, location: facts.optionsString.location });
  const statement = parsed.get('statement_timeout');
  if (statement && statement.ms > 0) result.statementTimeouts.push({ entryPoint, ms: statement.ms, raw: statement.raw, location: facts.optionsString.location });
}

/** `30000` ms → `30s`, `300000` → `5min`, `1500` → `1500ms`. */
export function formatDuration(ms: number): string {
  if (ms >= 60_000 && ms % 60_000 === 0) return `${ms / 60_000}min`;
  if (ms >= 1000 && ms % 1000 === 0) return `${ms / 1000}s`;
  return `${ms}ms`;
}
