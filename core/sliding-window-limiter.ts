export interface SlidingWindowLimiterOptions {
  /** At most this many starts in any window. */
  limit: number;
  windowMs: number;
  /** The clock (milliseconds); tests inject their own. */
  now?: () => number;
}

export type Reservation = { granted: true; waitMs: number } | { granted: false; retryAfterMs: number };

/**
 * Keeps to "at most `limit` in any `windowMs`" — a provider's rate such as 30 emails per minute.
 * A slot is reserved ahead of time: the caller waits `waitMs`, then goes. Slots are handed out in
 * order, so each one is at least a window after the slot `limit` places before it.
 * (A token bucket of the same rate would let twice the limit through in its first window.)
 * Not shared between processes: each host keeps its own count.
 */
export class SlidingWindowLimiter {
  private readonly limit: number;
  private readonly windowMs: number;
  private readonly now: () => number;
  /** Start times handed out, oldest first (some may lie in the future). */
  private readonly slots: number[] = [];

  constructor(options: SlidingWindowLimiterOptions) {
    if (!Number.isInteger(options.limit) || options.limit < 1) throw new RangeError('limit must be a positive integer');
    if (!(options.windowMs > 0)) throw new RangeError('windowMs must be positive');
    this.limit = options.limit;
    this.windowMs = options.windowMs;
    this.now = options.now ?? Date.now;
  }

  /**
   * Reserves the next free slot if it starts within `maxWaitMs`; otherwise reserves nothing and says
   * how long until that slot would have started (a sensible moment to ask again).
   */
  reserve(maxWaitMs: number): Reservation {
    const now = this.now();
    while (this.slots.length > 0 && this.slots[0]! <= now - this.windowMs) this.slots.shift();
    const last = this.slots.at(-1) ?? now;
    const bound = this.slots.length >= this.limit ? this.slots[this.slots.length - this.limit]! + this.windowMs : now;
    const start = Math.max(now, last, bound);
    const waitMs = start - now;
    if (waitMs > maxWaitMs) return { granted: false, retryAfterMs: waitMs };
    this.slots.push(start);
    return { granted: true, waitMs };
  }
}
