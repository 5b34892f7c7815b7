import { describe, expect, it } from 'vitest';
import { SlidingWindowLimiter } from '../../../core/sliding-window-limiter.js';

function limiter(limit: number, windowMs = 60_000) {
  const clock = { now: 1_000_000 };
  return { clock, limiter: new SlidingWindowLimiter({ limit, windowMs, now: () => clock.now }) };
}

describe('SlidingWindowLimiter', () => {
  it('lets the limit through at once, then hands out slots a window after the ones before', () => {
    const { limiter: l } = limiter(3);
    expect([l.reserve(0), l.reserve(0), l.reserve(0)]).toEqual([
      { granted: true, waitMs: 0 },
      { granted: true, waitMs: 0 },
      { granted: true, waitMs: 0 },
    ]);
    expect(l.reserve(60_000)).toEqual({ granted: true, waitMs: 60_000 });
    expect(l.reserve(60_000)).toEqual({ granted: true, waitMs: 60_000 });
  });

  it('refuses a slot further off than maxWaitMs, reserving nothing and saying when it would start', () => {
    const { clock, limiter: l } = limiter(2);
    l.reserve(0);
    clock.now += 10_000;
    l.reserve(0);
    expect(l.reserve(49_999)).toEqual({ granted: false, retryAfterMs: 50_000 });
    // Nothing was reserved by the refusal: the same request is answered the same.
    expect(l.reserve(0)).toEqual({ granted: false, retryAfterMs: 50_000 });
    expect(l.reserve(50_000)).toEqual({ granted: true, waitMs: 50_000 });
    // The next one waits for the second send's window to pass, and for the slot before it.
    expect(l.reserve(Infinity)).toEqual({ granted: true, waitMs: 60_000 });
  });

  it('never puts more than the limit in any window, over a long irregular run', () => {
    const { clock, limiter: l } = limiter(5, 1_000);
    const starts: number[] = [];
    for (let i = 0; i < 200; i++) {
      clock.now += [0, 3, 170, 10, 900, 0, 41][i % 7]!;
      const r = l.reserve(Infinity);
      if (r.granted) starts.push(clock.now + r.waitMs);
    }
    expect(starts).toHaveLength(200);
    expect([...starts].sort((a, b) => a - b)).toEqual(starts);
    for (let i = 5; i < starts.length; i++) expect(starts[i]! - starts[i - 5]!).toBeGreaterThanOrEqual(1_000);
  });

  it('forgets sends older than the window', () => {
    const { clock, limiter: l } = limiter(1, 60_000);
    expect(l.reserve(0)).toEqual({ granted: true, waitMs: 0 });
    clock.now += 59_999;
    expect(l.reserve(0)).toEqual({ granted: false, retryAfterMs: 1 });
    clock.now += 1;
    expect(l.reserve(0)).toEqual({ granted: true, waitMs: 0 });
  });

  it('refuses a limit below one', () => {
    expect(() => new SlidingWindowLimiter({ limit: 0, windowMs: 1 })).toThrow(RangeError);
    expect(() => new SlidingWindowLimiter({ limit: 1, windowMs: 0 })).toThrow(RangeError);
  });
});
