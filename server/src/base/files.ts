// Finding and reading the files to lint, with the skip rules of SPEC §1.
import { randomBytes } from 'node:crypto';
import {
  accessSync, closeSync, constants, existsSync, fchmodSync, fchownSync, fstatSync, fsyncSync, openSync, readdirSync, readSync,
  realpathSync, renameSync, statSync, unlinkSync, writeSync, type Stats,
} from 'node:fs';
import { basename, dirname, join, relative, resolve, sep } from 'node:path';
import { decodePython, encodePython, encodingLabel, type SourceEncoding } from './encoding';

/** Directory names never walked into. `pyvenv.cfg` marks any other virtualenv. */
export const SKIPPED_DIRECTORIES = new Set(['node_modules', '.git', '.hg', '.svn', '.venv', 'venv', 'site-packages', '__pycache__', '.tox', '.nox', '.mypy_cache', '.pytest_cache']);

/** Files larger than this are not linted (a generated dump, not a migration anyone edits by hand). */
export const MAX_FILE_BYTES = 5 * 1024 * 1024;

/** A compiled `exclude` / `production-settings` glob. */
export interface Glob {
  test(path: string): boolean;
}

/**
 * `**`, `*` and `?` globs over `/`-separated paths; a glob without `/` matches a name at any depth, and a glob
 * that matches a directory matches everything under it. Matched segment by segment, without regular expressions:
 * the work is at most glob segments × path segments name comparisons, whatever the glob (many `**` in a row included).
 */
export function compileGlob(glob: string): Glob {
  let pattern = glob.replace(/\\/g, '/').replace(/^\.\//, '');
  if (!pattern.includes('/')) pattern = `**/${pattern}`;
  // Consecutive `**` match what one does.
  const segments = pattern.split('/').filter((segment, index, all) => segment !== '' && !(segment === '**' && all[index - 1] === '**'));
  return { test: (path) => matchSegments(segments, path.split('/').filter(Boolean)) };
}

/** The glob's segments match the whole path or a leading part of it (a directory and what is under it). */
function matchSegments(glob: readonly string[], path: readonly string[]): boolean {
  // reachable[j]: the glob's first i segments can match the path's first j segments.
  let reachable = new Array<boolean>(path.length + 1).fill(false);
  reachable[0] = true;
  for (const segment of glob) {
    const next = new Array<boolean>(path.length + 1).fill(false);
    for (let j = 0; j <= path.length; j++) {
      if (!reachable[j]) continue;
      if (segment === '**') {
        for (let k = j; k <= path.length; k++) next[k] = true;
        break;
      }
      if (j < path.length && matchName(segment, path[j])) next[j + 1] = true;
    }
    reachable = next;
  }
  return reachable.some(Boolean);
}

/** `*` and `?` within one path segment; the classic two-pointer wildcard match (no backtracking blow-up). */
export function matchName(pattern: string, name: string): boolean {
  let p = 0;
  let n = 0;
  let star = -1;
  let resume = 0;
  while (n < name.length) {
    if (p < pattern.length && (pattern[p] === '?' || pattern[p] === name[n])) {
      p++;
      n++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      resume = n;
    } else if (star >= 0) {
      p = star + 1;
      n = ++resume;
    } else return false;
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}

export function matchesAny(path: string, globs: readonly Glob[]): boolean {
  const normalized = path.split(sep).join('/');
  return globs.some((glob) => glob.test(normalized));
}

export interface CollectOptions {
  /** Globs relative to `root`. */
  exclude?: string[];
  root?: string;
  /** A directory that cannot be listed (its files are not linted): told, never skipped silently. */
  onUnreadable?: (dir: string, reason: string) => void;
}

/** What the walk met: a Python file to lint, or a directory it listed (a point where a caller may pause). */
export type WalkEntry = { kind: 'file' | 'directory'; path: string };

/**
 * The walk behind collectPythonFiles, one entry at a time, so a caller can stop or pause (the language server
 * yields to requests between slices). Iterative: a directory tree of any depth takes no stack. Missing paths throw.
 */
export function* walkPythonFiles(paths: string[], options: CollectOptions = {}): Generator<WalkEntry> {
  const root = resolve(options.root ?? process.cwd());
  const exclude = (options.exclude ?? []).map(compileGlob);
  const excluded = (path: string) => exclude.length > 0 && matchesAny(relative(root, path), exclude);
  for (const given of paths) {
    const path = resolve(given);
    if (!existsSync(path)) throw new Error(`${given}: no such file or directory`);
    if (!statSync(path).isDirectory()) {
      yield { kind: 'file', path };
      continue;
    }
    // Depth first, entries by name: the order the files were always linted in.
    const pending: Array<{ path: string; directory: boolean }> = [{ path, directory: true }];
    while (pending.length > 0) {
      const next = pending.pop()!;
      if (!next.directory) {
        yield { kind: 'file', path: next.path };
        continue;
      }
      let entries;
      try {
        entries = readdirSync(next.path, { withFileTypes: true });
      } catch (error) {
        options.onUnreadable?.(next.path, errorText(error));
        continue;
      }
      yield { kind: 'directory', path: next.path };
      if (entries.some((entry) => entry.name === 'pyvenv.cfg')) continue;
      entries.sort((a, b) => (a.name < b.name ? 1 : a.name > b.name ? -1 : 0)); // reversed: popped in order
      for (const entry of entries) {
        const child = join(next.path, entry.name);
        if (entry.isDirectory()) {
          if (!SKIPPED_DIRECTORIES.has(entry.name) && !excluded(child)) pending.push({ path: child, directory: true });
        } else if (entry.isFile() && entry.name.endsWith('.py') && !excluded(child)) {
          pending.push({ path: child, directory: false });
        }
      }
    }
  }
}

/**
 * Python files under the given paths (files are taken as given). Skips node_modules, .git, virtualenvs
 * (any directory with a `pyvenv.cfg`), site-packages and the `exclude` globs. Missing paths throw.
 */
export function collectPythonFiles(paths: string[], options: CollectOptions = {}): string[] {
  const found = new Set<string>();
  for (const entry of walkPythonFiles(paths, options)) if (entry.kind === 'file') found.add(entry.path);
  return [...found];
}

/** What a file was when it was read: checked again just before a fix writes it. */
export interface FileFingerprint {
  size: number;
  mtimeMs: number;
  ino: number;
}

export type FileRead = { ok: true; bytes: Buffer; fingerprint: FileFingerprint } | { ok: false; reason: string };

/** Configuration and project files (pyproject.toml, requirements, manage.py, apps.py…) are read up to this size. */
export const MAX_PROJECT_FILE_BYTES = 1024 * 1024;

const FILE_TYPES: Array<[keyof Stats, string]> = [
  ['isDirectory', 'a directory'], ['isFIFO', 'a FIFO (named pipe)'], ['isCharacterDevice', 'a character device'],
  ['isBlockDevice', 'a block device'], ['isSocket', 'a socket'],
];

/**
 * The one way a file of the workspace is read. Opened without blocking (a FIFO would block forever), checked to be
 * a regular file once open (a symlink to /dev/zero is not), and read up to `maxBytes` (a file growing while read
 * is cut there, not followed). Never throws.
 */
export function readWorkspaceFile(path: string, maxBytes = MAX_FILE_BYTES): FileRead {
  const megabytes = (bytes: number) => (bytes >= 1024 * 1024 ? `${bytes / 1024 / 1024} MB` : `${bytes / 1024} KB`);
  const tooLarge: FileRead = { ok: false, reason: `file is larger than ${megabytes(maxBytes)}; not linted` };
  let fd: number | undefined;
  try {
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    const stats = fstatSync(fd);
    if (!stats.isFile()) {
      const type = FILE_TYPES.find(([test]) => (stats[test] as () => boolean).call(stats))?.[1] ?? 'not a regular file';
      return { ok: false, reason: `not a regular file (${type}); not linted` };
    }
    if (stats.size > maxBytes) return tooLarge;
    // One byte more than the size it says: a file that grew since is noticed, and still capped.
    const buffer = Buffer.allocUnsafe(Math.min(stats.size, maxBytes) + 1);
    let length = 0;
    while (length < buffer.length) {
      const read = readSync(fd, buffer, length, buffer.length - length, null);
      if (read === 0) break;
      length += read;
    }
    if (length > maxBytes) return tooLarge;
    return { ok: true, bytes: buffer.subarray(0, length), fingerprint: { size: stats.size, mtimeMs: stats.mtimeMs, ino: stats.ino } };
  } catch (error) {
    return { ok: false, reason: `cannot read file: ${(error as NodeJS.ErrnoException).code ?? String(error)}` };
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** A project file's text as UTF-8 (undefined: missing, unreadable, not a regular file, or over `maxBytes`). */
export function readWorkspaceText(path: string, maxBytes = MAX_PROJECT_FILE_BYTES): string | undefined {
  const read = readWorkspaceFile(path, maxBytes);
  return read.ok ? read.bytes.toString('utf8') : undefined;
}

/** A Python file read and decoded as Python would (PEP 263); `encoding` and `fingerprint` are for writing it back. */
export type SourceRead =
  | { ok: true; text: string; encoding: SourceEncoding; fingerprint?: FileFingerprint }
  | { ok: false; reason: string };

/** Reads a Python source file; invalid bytes, an oversized or a non-regular file give a reason instead of a crash. */
export function readSource(path: string): SourceRead {
  const read = readWorkspaceFile(path);
  if (!read.ok) return read;
  const decoded = decodePython(read.bytes);
  return decoded.ok ? { ...decoded, fingerprint: read.fingerprint } : decoded;
}

export type WriteOutcome = { written: true } | { written: false; changed: boolean; reason: string };

/**
 * Writes a fixed source file without ever leaving it half written: the new bytes go to a temporary file in the
 * same folder, flushed to disk, then renamed over the file (keeping its mode, and its owner when run as root).
 * Just before, the file must still be what was read (`source`: size, modification time, content); if it changed
 * or went away, nothing is written (`changed`). Never throws.
 */
export function writeSourceAtomically(path: string, text: string, source: Extract<SourceRead, { ok: true }>): WriteOutcome {
  const changed = (reason: string): WriteOutcome => ({ written: false, changed: true, reason });
  let target: string;
  try {
    target = realpathSync(path);
  } catch {
    return changed('the file was deleted since it was read');
  }
  const current = readWorkspaceFile(target);
  if (!current.ok) return changed(`the file changed since it was read (${current.reason.replace('; not linted', '')})`);
  const before = source.fingerprint;
  const now = current.fingerprint;
  const decoded = decodePython(current.bytes);
  if (!before || before.size !== now.size || before.mtimeMs !== now.mtimeMs || before.ino !== now.ino || !decoded.ok || decoded.text !== source.text) {
    return changed('the file changed since it was read');
  }
  const bytes = encodePython(text, source.encoding, current.bytes);
  if (!bytes) return { written: false, changed: false, reason: `the fixed text cannot be written in the file's encoding (${encodingLabel(source.encoding)})` };
  let stats: Stats;
  try {
    stats = statSync(target);
    if ((stats.mode & 0o222) === 0) return { written: false, changed: false, reason: 'the file is read-only' };
    if (process.getuid?.() !== 0) accessSync(target, constants.W_OK);
  } catch (error) {
    return { written: false, changed: false, reason: errorText(error) };
  }
  const temporary = join(dirname(target), `.${basename(target)}.${process.pid}.${randomBytes(4).toString('hex')}.migration-guard`);
  let fd: number | undefined;
  try {
    fd = openSync(temporary, 'wx', 0o600);
    let written = 0;
    while (written < bytes.length) written += writeSync(fd, bytes, written, bytes.length - written);
    fchmodSync(fd, stats.mode & 0o7777);
    if (process.getuid?.() === 0) fchownSync(fd, stats.uid, stats.gid);
    fsyncSync(fd);
    closeSync(fd);
    fd = undefined;
    renameSync(temporary, target);
  } catch (error) {
    if (fd !== undefined) closeSync(fd);
    try {
      unlinkSync(temporary);
    } catch {
      // not created, or already renamed
    }
    return { written: false, changed: false, reason: errorText(error) };
  }
  syncDirectory(dirname(target));
  return { written: true };
}

/** The rename is on disk only once the folder is: flush it too (best effort: not every filesystem allows it). */
function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, constants.O_RDONLY);
    fsyncSync(fd);
  } catch {
    // a filesystem without directory fsync
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** A file system error in words, with its code: `no space left on the device (ENOSPC)`. */
export function errorText(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const known: Record<string, string> = {
    ENOSPC: 'no space left on the device', EDQUOT: 'disk quota exceeded', EACCES: 'permission denied',
    EPERM: 'operation not permitted (an immutable or append-only file?)', EROFS: 'read-only file system',
  };
  return (code && Object.hasOwn(known, code) ? `${known[code]} (${code})` : undefined) ?? (error instanceof Error ? error.message : String(error));
}
