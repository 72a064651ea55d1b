/** Reconnect delays with "full jitter" (AWS Architecture Blog, "Exponential Backoff And Jitter"). */

export interface BackoffOptions {
  /** @default 500 */
  baseMs?: number;
  /** @default 15000 */
  capMs?: number;
  /** @default Math.random */
  random?: () => number;
}

/** Delay before reconnect attempt `attempt` (0-based): uniform in [base/2, min(cap, base·2^attempt)]. */
export function jitteredDelay(attempt: number, options: BackoffOptions = {}): number {
  const { baseMs = 500, capMs = 15_000, random = Math.random } = options;
  const ceiling = Math.min(capMs, baseMs * 2 ** Math.max(0, attempt));
  const floor = Math.min(baseMs / 2, ceiling);
  return Math.round(floor + random() * (ceiling - floor));
}
