// Finding and reading the files to lint, with the skip rules of SPEC §1.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { SKIPPED_DIRECTORIES } from '../analysis/fileKind';

/** Files larger than this are not linted (a generated dump, not a migration anyone edits by hand). */
export const MAX_FILE_BYTES = 5 * 1024 * 1024;

/** `**`, `*` and `?` globs over `/`-separated paths; a glob without `/` matches a name at any depth. */
export function globToRegExp(glob: string): RegExp {
  let pattern = glob.replace(/\\/g, '/').replace(/^\.\//, '');
  if (!pattern.includes('/')) pattern = `**/${pattern}`;
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const char = pattern[i];
    if (char === '*' && pattern[i + 1] === '*') {
      const slash = pattern[i + 2] === '/';
      source += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (char === '*') source += '[^/]*';
    else if (char === '?') source += '[^/]';
    else source += char.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}(?:/.*)?$`);
}

export function matchesAny(path: string, globs: RegExp[]): boolean {
  const normalized = path.split(sep).join('/');
  return globs.some((glob) => glob.test(normalized));
}

export interface CollectOptions {
  /** Globs relative to `root`. */
  exclude?: string[];
  root?: string;
}

/**
 * Python files under the given paths (files are taken as given). Skips node_modules, .git, virtualenvs
 * (any directory with a `pyvenv.cfg`), site-packages and the `exclude` globs. Missing paths throw.
 */
export function collectPythonFiles(paths: string[], options: CollectOptions = {}): string[] {
  const root = resolve(options.root ?? process.cwd());
  const exclude = (options.exclude ?? []).map(globToRegExp);
  const excluded = (path: string) => exclude.length > 0 && matchesAny(relative(root, path), exclude);
  const found: string[] = [];
  const visit = (dir: string) => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return; // unreadable directory: nothing to lint there
    }
    if (entries.some((entry) => entry.name === 'pyvenv.cfg')) return;
    for (const entry of entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (!SKIPPED_DIRECTORIES.has(entry.name) && !excluded(path)) visit(path);
      } else if (entry.isFile() && entry.name.endsWith('.py') && !excluded(path)) {
        found.push(path);
      }
    }
  };
  for (const given of paths) {
    const path = resolve(given);
    if (!existsSync(path)) throw new Error(`${given}: no such file or directory`);
    if (statSync(path).isDirectory()) visit(path);
    else found.push(path);
  }
  return [...new Set(found)];
}

/** `bom`: the file started with a UTF-8 byte order mark, stripped from `text` (write it back when saving). */
export type SourceRead = { ok: true; text: string; bom: boolean } | { ok: false; reason: string };

/** Reads a file as UTF-8; invalid bytes or an oversized file give a reason instead of a crash. */
export function readSource(path: string): SourceRead {
  let bytes: Buffer;
  try {
    const size = statSync(path).size;
    if (size > MAX_FILE_BYTES) return { ok: false, reason: `file is larger than ${MAX_FILE_BYTES / 1024 / 1024} MB; not linted` };
    bytes = readFileSync(path);
  } catch (error) {
    return { ok: false, reason: `cannot read file: ${(error as NodeJS.ErrnoException).code ?? String(error)}` };
  }
  try {
    const text = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
    const bom = text.charCodeAt(0) === 0xfeff;
    return { ok: true, text: bom ? text.slice(1) : text, bom };
  } catch {
    return { ok: false, reason: 'file is not valid UTF-8; not linted (Python source files must be UTF-8 unless they declare another encoding)' };
  }
}
