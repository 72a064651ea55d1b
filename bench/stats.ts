/** Small helpers shared by the benchmark sections. */
import { performance } from 'node:perf_hooks';

export function quantile(values: number[], q: number): number {
  if (values.length === 0) return 0;
  const s = [...values].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))]!;
}

export async function timed<T>(fn: () => Promise<T> | T): Promise<{ ms: number; value: T }> {
  const t = performance.now();
  const value = await fn();
  return { ms: performance.now() - t, value };
}

export const ms = (x: number) => (x < 10 ? x.toFixed(2) : x.toFixed(1));
export const mb = (bytes: number) => (bytes / 1024 / 1024).toFixed(0);
