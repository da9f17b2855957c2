// Hand-written argument parsing: `--flag`, `--option VALUE`, `--option=VALUE`, `-h`, and `--` to end options.

/** A mistake on the command line: printed on stderr with a hint, exit code 2. */
export class UsageError extends Error {}

export interface OptionSpec {
  /** Long name without dashes: `format`. */
  name: string;
  /** One-letter alias without the dash: `h`. */
  short?: string;
  /** Takes a value (`--format json`); otherwise a flag. */
  value?: boolean;
  /** Values of repeated uses are collected; otherwise the last one wins. */
  repeatable?: boolean;
  /** Allowed values, checked here so the message can list them. */
  choices?: readonly string[];
}

export interface ParsedArgs {
  flags: Set<string>;
  values: Map<string, string[]>;
  positionals: string[];
}

/** Levenshtein distance, for "did you mean" hints. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}

export function suggest(given: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = distance(given, candidate);
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(given.length / 3)) ? best : undefined;
}

/** Parses `argv` (without the command name) against `specs`; `command` names the context in messages. */
export function parseArgs(argv: readonly string[], specs: readonly OptionSpec[], command: string): ParsedArgs {
  const parsed: ParsedArgs = { flags: new Set(), values: new Map(), positionals: [] };
  const byName = new Map(specs.map((spec) => [spec.name, spec]));
  const byShort = new Map(specs.filter((spec) => spec.short).map((spec) => [spec.short!, spec]));
  const unknown = (arg: string): never => {
    const hint = suggest(arg.replace(/^-+/, '').split('=')[0], specs.map((spec) => spec.name));
    throw new UsageError(`unknown option \`${arg}\` for \`${command}\`${hint ? ` (did you mean \`--${hint}\`?)` : ''}`);
  };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      parsed.positionals.push(...argv.slice(i + 1));
      break;
    }
    if (arg === '-' || !arg.startsWith('-')) {
      parsed.positionals.push(arg);
      continue;
    }
    let spec: OptionSpec | undefined;
    let inline: string | undefined;
    if (arg.startsWith('--')) {
      const equals = arg.indexOf('=');
      const name = equals >= 0 ? arg.slice(2, equals) : arg.slice(2);
      inline = equals >= 0 ? arg.slice(equals + 1) : undefined;
      spec = byName.get(name);
    } else if (arg.length === 2) {
      spec = byShort.get(arg[1]);
    }
    if (!spec) return unknown(arg);
    if (!spec.value) {
      if (inline !== undefined) throw new UsageError(`option \`--${spec.name}\` takes no value`);
      parsed.flags.add(spec.name);
      continue;
    }
    let value = inline;
    if (value === undefined) {
      if (i + 1 >= argv.length || (argv[i + 1].startsWith('--') && argv[i + 1].length > 2)) {
        throw new UsageError(`option \`--${spec.name}\` needs a value${spec.choices ? ` (one of ${spec.choices.join(', ')})` : ''}`);
      }
      value = argv[++i];
    }
    if (spec.choices && !spec.choices.includes(value)) {
      throw new UsageError(`unknown value \`${value}\` for \`--${spec.name}\`: expected one of ${spec.choices.join(', ')}`);
    }
    const list = parsed.values.get(spec.name) ?? [];
    if (spec.repeatable) list.push(value);
    else list.splice(0, list.length, value);
    parsed.values.set(spec.name, list);
  }
  return parsed;
}

/** The last value of an option, if given. */
export function valueOf(parsed: ParsedArgs, name: string): string | undefined {
  const list = parsed.values.get(name);
  return list?.[list.length - 1];
}

/** Comma- or repeat-separated codes, upper-cased: `--select MG1,MG201 --select MG3`. */
export function codesOf(parsed: ParsedArgs, name: string): string[] | undefined {
  const list = parsed.values.get(name);
  if (!list) return undefined;
  return list.flatMap((value) => value.split(',')).map((code) => code.trim().toUpperCase()).filter(Boolean);
}

/** `path/to/0002_x.py:12` → the file and the 1-based line (a Windows drive letter's colon is kept in the path). */
export function parseFileLine(value: string): { file: string; line: number } {
  const match = /^(.+):(\d+)$/.exec(value);
  if (!match || Number(match[2]) < 1) throw new UsageError(`expected FILE:LINE (a 1-based line number), got \`${value}\``);
  return { file: match[1], line: Number(match[2]) };
}
