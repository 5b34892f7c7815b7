import type { TalkbackError } from './errors.js';

/** Exponential backoff with ±20% jitter, or the error's own retry-after; never above the cap. */
export function retryDelayMs(
  deliveryCount: number,
  error: TalkbackError,
  baseMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number {
  if (error.retryAfterMs !== undefined) return Math.min(maxMs, Math.max(0, error.retryAfterMs));
  const exponential = Math.min(maxMs, baseMs * 2 ** Math.max(0, deliveryCount - 1));
  return Math.min(maxMs, Math.round(exponential * (0.8 + 0.4 * random())));
}
