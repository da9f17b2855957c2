// Where a command writes, and the directory paths are relative to: the process in real use, buffers in tests.
import { once } from 'node:events';

/** The report could not be written (a full disk, a closed or broken output): the run exits 2, saying so. */
export class OutputError extends Error {}

export interface Io {
  stdout(text: string): void;
  stderr(text: string): void;
  cwd: string;
  /**
   * Resolves once standard output has taken what was written. A pipe (CI logs, `| tee`) is written to
   * asynchronously: without waiting, a report written in chunks would be held in memory whole, twice over.
   */
  drained?(): Promise<void>;
  /** The check reached a stage of its run (the bench reads the process's memory there: test/bench/memory.ts). */
  stage?(name: CheckStage): void;
}

export type CheckStage = 'walked' | 'parser' | 'indexed' | 'sql' | 'linted' | 'reported';

/**
 * Writes to the process streams. Output is written in large chunks and the process is left to exit on its
 * own (no `process.exit()` right after a big write), so piped output is never cut short.
 */
export function processIo(): Io {
  return {
    stdout: (text) => {
      if (text) process.stdout.write(text);
    },
    stderr: (text) => {
      if (text) process.stderr.write(text);
    },
    cwd: process.cwd(),
    drained: () => (process.stdout.writableNeedDrain ? once(process.stdout, 'drain').then(() => undefined) : Promise.resolve()),
  };
}
