import { describe, expect, it } from 'vitest';
import { TalkbackError } from '../../../core/errors.js';
import { backoffMs, isRetryableCode } from '../../../core/failure-policy.js';

describe('backoffMs', () => {
  const error = new TalkbackError('Timeout', 't');

  it('doubles from the base per delivery, with at most ±20% jitter, capped at the maximum', () => {
    expect([1, 2, 3, 4].map((n) => backoffMs(n, error, { baseMs: 1_000, maxMs: 60_000, random: () => 0.5 }))).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect(backoffMs(3, error, { baseMs: 1_000, maxMs: 60_000, random: () => 0 })).toBe(3_200);
    expect(backoffMs(3, error, { baseMs: 1_000, maxMs: 60_000, random: () => 0.999_999 })).toBe(4_800);
    expect(backoffMs(10, error, { baseMs: 1_000, maxMs: 60_000, random: () => 0.999_999 })).toBe(60_000);
  });

  it("uses the error's retry-after when given, capped at the maximum", () => {
    const throttled = new TalkbackError('Throttled', 'later', { retryAfterMs: 7_000 });
    expect(backoffMs(1, throttled, { baseMs: 1_000, maxMs: 60_000, random: () => 0.5 })).toBe(7_000);
    expect(backoffMs(1, throttled, { baseMs: 1_000, maxMs: 5_000, random: () => 0.5 })).toBe(5_000);
  });
});

describe('the failure policy', () => {
  it('retries throttling, timeouts and outages, never a refusal', () => {
    expect(['Throttled', 'Timeout', 'ServiceUnavailable', 'ClaimHeld'].map((c) => isRetryableCode(c as 'Throttled'))).toEqual([true, true, true, true]);
    expect(['BadRequest', 'Unauthorized', 'NotFound', 'ConfigInvalid'].map((c) => isRetryableCode(c as 'BadRequest'))).toEqual([false, false, false, false]);
  });
});
