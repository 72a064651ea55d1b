/**
 * Protection for the model server, pure apart from the injectable clock: a circuit
 * breaker (after N consecutive failures no call is made for a cool-down, then one trial
 * call decides) and a concurrency limiter (at most N calls in flight, a short queue).
 */

export type CircuitState = 'closed' | 'open' | 'half-open';

export interface CircuitBreakerOptions {
  /** Consecutive failures that open the circuit. @default 5 */
  failureThreshold?: number;
  /** How long the circuit stays open before one trial call. @default 30000 */
  cooldownMs?: number;
  /** @default Date.now */
  now?: () => number;
}

export interface CircuitBreaker {
  /** True when a call may go ahead (in half-open state: only the one trial call). */
  tryAcquire(): boolean;
  success(): void;
  failure(): void;
  /** A call that was allowed but ended without a verdict (e.g. the client left). */
  release(): void;
  readonly state: CircuitState;
}

/** Builds a circuit breaker. */
export function createCircuitBreaker(options: CircuitBreakerOptions = {}): CircuitBreaker {
  const threshold = options.failureThreshold ?? 5;
  const cooldownMs = options.cooldownMs ?? 30_000;
  const now = options.now ?? Date.now;
  let failures = 0;
  let openedAt: number | null = null;
  let trialInFlight = false;

  const state = (): CircuitState => {
    if (openedAt === null) return 'closed';
    return now() - openedAt >= cooldownMs ? 'half-open' : 'open';
  };

  return {
    tryAcquire() {
      const s = state();
      if (s === 'closed') return true;
      if (s === 'open' || trialInFlight) return false;
      trialInFlight = true;
      return true;
    },
    success() {
      failures = 0;
      openedAt = null;
      trialInFlight = false;
    },
    failure() {
      failures += 1;
      // A failed trial reopens at once; otherwise open at the threshold.
      if (trialInFlight || failures >= threshold) openedAt = now();
      trialInFlight = false;
    },
    release() {
      trialInFlight = false;
    },
    get state() {
      return state();
    },
  };
}

export interface LimiterOptions {
  /** Calls in flight at once. */
  max: number;
  /** Callers that may wait for a slot; more are refused at once. @default max * 2 */
  maxQueue?: number;
}

export interface Limiter {
  /**
   * Resolves with a release function once a slot is free; resolves null when the queue is
   * full or `signal` aborts first.
   */
  acquire(signal?: AbortSignal): Promise<(() => void) | null>;
  readonly active: number;
  readonly waiting: number;
}

/** Builds a concurrency limiter (FIFO). */
export function createLimiter(options: LimiterOptions): Limiter {
  const maxQueue = options.maxQueue ?? options.max * 2;
  let active = 0;
  const queue: Array<() => void> = [];

  const releaser = () => {
    let done = false;
    return () => {
      if (done) return;
      done = true;
      active -= 1;
      queue.shift()?.();
    };
  };

  return {
    acquire(signal) {
      if (signal?.aborted) return Promise.resolve(null);
      if (active < options.max) {
        active += 1;
        return Promise.resolve(releaser());
      }
      if (queue.length >= maxQueue) return Promise.resolve(null);
      return new Promise((resolve) => {
        const grant = () => {
          signal?.removeEventListener('abort', onAbort);
          active += 1;
          resolve(releaser());
        };
        const onAbort = () => {
          queue.splice(queue.indexOf(grant), 1);
          resolve(null);
        };
        signal?.addEventListener('abort', onAbort, { once: true });
        queue.push(grant);
      });
    },
    get active() {
      return active;
    },
    get waiting() {
      return queue.length;
    },
  };
}
