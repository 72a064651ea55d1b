import { describe, expect, it } from 'vitest';
import { createCircuitBreaker, createLimiter } from '../src/answer/circuit.js';

describe('circuit', () => {
  it('opens after N consecutive failures and half-opens after the cool-down', () => {
    let now = 0;
    const c = createCircuitBreaker({ failureThreshold: 3, cooldownMs: 1000, now: () => now });
    for (let i = 0; i < 3; i++) {
      expect(c.tryAcquire()).toBe(true);
      c.failure();
    }
    expect(c.state).toBe('open');
    expect(c.tryAcquire()).toBe(false);
    now = 999;
    expect(c.tryAcquire()).toBe(false);
    now = 1000;
    expect(c.state).toBe('half-open');
    expect(c.tryAcquire()).toBe(true);
    // Only one trial call at a time.
    expect(c.tryAcquire()).toBe(false);
    c.success();
    expect(c.state).toBe('closed');
    expect(c.tryAcquire()).toBe(true);
  });

  it('a success in between resets the count of consecutive failures', () => {
    const c = createCircuitBreaker({ failureThreshold: 2, now: () => 0 });
    c.failure();
    c.success();
    c.failure();
    expect(c.state).toBe('closed');
    c.failure();
    expect(c.state).toBe('open');
  });

  it('a failed trial reopens for another cool-down; a released trial lets the next one through', () => {
    let now = 0;
    const c = createCircuitBreaker({ failureThreshold: 1, cooldownMs: 100, now: () => now });
    c.failure();
    now = 100;
    expect(c.tryAcquire()).toBe(true);
    c.failure();
    expect(c.state).toBe('open');
    now = 150;
    expect(c.tryAcquire()).toBe(false);
    now = 200;
    expect(c.tryAcquire()).toBe(true);
    c.release();
    expect(c.tryAcquire()).toBe(true);
  });
});

describe('limiter', () => {
  it('keeps at most max in flight, queues in order, refuses beyond the queue', async () => {
    const l = createLimiter({ max: 2, maxQueue: 1 });
    const a = await l.acquire();
    const b = await l.acquire();
    expect(l.active).toBe(2);
    const waiting = l.acquire();
    expect(await l.acquire()).toBeNull();
    expect(l.waiting).toBe(1);
    a!();
    a!(); // releasing twice is harmless
    const c = await waiting;
    expect(l.active).toBe(2);
    b!();
    c!();
    expect(l.active).toBe(0);
  });

  it('gives up waiting when the signal aborts', async () => {
    const l = createLimiter({ max: 1 });
    const first = await l.acquire();
    const aborter = new AbortController();
    const pending = l.acquire(aborter.signal);
    aborter.abort();
    expect(await pending).toBeNull();
    expect(l.waiting).toBe(0);
    first!();
    expect(l.active).toBe(0);
  });
});
