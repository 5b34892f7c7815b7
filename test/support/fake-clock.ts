/**
 * A clock that moves only when someone waits on it: `wait(ms)` jumps the time forward by `ms` and
 * resolves on the next tick. Lets a test check time-based rules (send windows, messaging windows)
 * exactly, without sleeping and without depending on how busy the machine is.
 */
export function fakeClock(startMs = 0) {
  let nowMs = startMs;
  const waits: number[] = [];
  return {
    now: () => nowMs,
    wait: async (ms: number) => {
      waits.push(ms);
      nowMs += Math.max(0, ms);
      await Promise.resolve();
    },
    advance: (ms: number) => void (nowMs += ms),
    date: () => new Date(nowMs),
    /** Every wait requested so far, in order. */
    waits,
  };
}

export type FakeClock = ReturnType<typeof fakeClock>;

/** The largest number of times that fall in any window [t, t + windowMs) starting at one of them. */
export function maxInAnyWindow(times: readonly number[], windowMs: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  for (let i = 0; i < sorted.length; i++) {
    const start = sorted[i] ?? 0;
    best = Math.max(best, sorted.filter((t) => t >= start && t < start + windowMs).length);
  }
  return best;
}
