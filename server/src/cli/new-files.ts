// The files a fix (`check --fix`: MG101's migration of its own) or a rewrite (its follow-up migrations) creates:
// all of them or none, never over an existing file. Shared by cli/check-file.ts and cli/rewrite.ts, which write
// them before the files they edit and take them back when an edit cannot be written.
import { rmSync, writeFileSync } from 'node:fs';
import { displayPath, printable } from './format';

export type CreatedFiles = { ok: true; paths: string[] } | { ok: false; reason: string };

/** Creates each file (`wx`): when one exists or cannot be written, those created before it are removed again. */
export function createNewFiles(files: readonly { path: string; text: string }[], cwd: string, creator: string): CreatedFiles {
  const paths: string[] = [];
  for (const created of files) {
    try {
      writeFileSync(created.path, created.text, { flag: 'wx' });
      paths.push(created.path);
    } catch (error) {
      removeCreated(paths);
      const exists = (error as NodeJS.ErrnoException).code === 'EEXIST';
      return { ok: false, reason: `${printable(displayPath(created.path, cwd))}, which ${creator} creates, ${exists ? 'exists already' : `cannot be written (${(error as Error).message})`}` };
    }
  }
  return { ok: true, paths };
}

/** Takes back files `createNewFiles` created. */
export function removeCreated(paths: readonly string[]): void {
  for (const path of paths) rmSync(path, { force: true });
}
