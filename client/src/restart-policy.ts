// When to restart a crashed server, and after how long. Pure (no `vscode`), so it is unit-tested in Node.

export interface RestartDecision {
  /** false: too many crashes in the window; leave the server stopped. */
  restart: boolean;
  /** Wait this long before starting again (0 for the first crash). */
  delayMs: number;
  /** Crashes inside the window, this one included. */
  crashes: number;
}

export interface RestartPolicyOptions {
  /** Restarts allowed inside `windowMs`; the next crash stops the server for good. */
  maxRestarts?: number;
  windowMs?: number;
  /** Delay before the second restart; doubled for each further one, capped at `maxDelayMs`. */
  baseDelayMs?: number;
  maxDelayMs?: number;
  now?: () => number;
}

/**
 * vscode-eslint's rule with a back-off: restart at once after the first crash, then wait 0.5 s, 1 s, 2 s…;
 * after `maxRestarts` restarts within `windowMs` (4 in 3 minutes), give up.
 */
export class RestartPolicy {
  readonly maxRestarts: number;
  readonly windowMs: number;
  private readonly baseDelayMs: number;
  private readonly maxDelayMs: number;
  private readonly now: () => number;
  private crashes: number[] = [];

  constructor(options: RestartPolicyOptions = {}) {
    this.maxRestarts = options.maxRestarts ?? 4;
    this.windowMs = options.windowMs ?? 3 * 60 * 1000;
    this.baseDelayMs = options.baseDelayMs ?? 500;
    this.maxDelayMs = options.maxDelayMs ?? 8000;
    this.now = options.now ?? Date.now;
  }

  /** Records a crash and says what to do about it. */
  onCrash(): RestartDecision {
    const now = this.now();
    this.crashes = this.crashes.filter((time) => now - time < this.windowMs);
    this.crashes.push(now);
    const crashes = this.crashes.length;
    if (crashes > this.maxRestarts) return { restart: false, delayMs: 0, crashes };
    const delayMs = crashes === 1 ? 0 : Math.min(this.maxDelayMs, this.baseDelayMs * 2 ** (crashes - 2));
    return { restart: true, delayMs, crashes };
  }

  /** Forget past crashes (after the user restarts the server by hand). */
  reset(): void {
    this.crashes = [];
  }
}
