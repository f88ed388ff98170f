/**
 * backoff: exponential back-off with full jitter (AWS architecture blog, "Exponential Backoff And
 * Jitter"): a fleet of agents that lost the same scheduler does not reconnect in lock-step.
 */

/** BackoffOptions bounds the delays; `random` is injectable for tests. */
export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  multiplier?: number;
  random?: () => number;
}

/** Backoff yields successive delays and resets after a success. */
export class Backoff {
  private attempt = 0;
  constructor(private readonly options: BackoffOptions) {}

  /** nextDelayMs returns a delay in [initial/2, cap] where cap grows by `multiplier` each attempt. */
  nextDelayMs(): number {
    const { initialMs, maxMs, multiplier = 2, random = Math.random } = this.options;
    const cap = Math.min(maxMs, initialMs * multiplier ** this.attempt);
    this.attempt += 1;
    // Keep half the cap as a floor so a retry never fires instantly, jitter the rest.
    return Math.round(cap / 2 + random() * (cap / 2));
  }

  /** attempts is how many delays were handed out since the last reset. */
  get attempts(): number {
    return this.attempt;
  }

  reset(): void {
    this.attempt = 0;
  }
}

/** sleep resolves after `ms`, or early when `signal` aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });
}
