/** Delay-seconds: digits, optionally with a fraction or a leading '+' (some servers send "1.5"). */
const SECONDS = /^\+?(\d+\.?\d*|\.\d+)$/;

/**
 * A Retry-After value (RFC 9110: delay-seconds or an HTTP-date) as milliseconds from `now`.
 * Accepts the header's string or a number of seconds. A date already past is 0; anything
 * negative, empty, infinite or unreadable is undefined (the caller falls back to its own backoff).
 */
export function retryAfterMs(value: unknown, now = Date.now()): number | undefined {
  const text = typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
  if (text === '' || text.startsWith('-')) return undefined;
  if (SECONDS.test(text)) {
    const ms = Math.round(Number(text) * 1000);
    return Number.isFinite(ms) ? ms : undefined;
  }
  // Checked after the seconds form: Date.parse reads bare numbers ("5", "-5") as dates.
  const date = Date.parse(text);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}
