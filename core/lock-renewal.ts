/** The shortest wait between renewals, should a lock already look expired (clock skew). */
export const MIN_RENEWAL_WAIT_MS = 100;

/**
 * When to renew a peek-lock next: at half of what is left of it, never sooner than
 * MIN_RENEWAL_WAIT_MS and never later than `maxWaitMs`. The one renewal schedule of the local pump
 * (renewing while a handler runs) and the Service Bus hold (renewing while a retry waits).
 */
export function renewalWaitMs(lockedUntilMs: number, nowMs: number, maxWaitMs = Number.POSITIVE_INFINITY): number {
  return Math.min(maxWaitMs, Math.max(MIN_RENEWAL_WAIT_MS, Math.floor((lockedUntilMs - nowMs) / 2)));
}
