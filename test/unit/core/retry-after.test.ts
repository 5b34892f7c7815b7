import { describe, expect, it } from 'vitest';
import { retryAfterMs } from '../../../core/retry-after.js';

const now = Date.parse('2025-01-05T03:04:05.000Z');

describe('retryAfterMs', () => {
  it('reads delay-seconds, as a string or a number', () => {
    expect(retryAfterMs('7', now)).toBe(7000);
    expect(retryAfterMs(' 1.5 ', now)).toBe(1500);
    expect(retryAfterMs('0', now)).toBe(0);
    expect(retryAfterMs('+3', now)).toBe(3000);
    expect(retryAfterMs('0.0004', now)).toBe(0);
    expect(retryAfterMs(12, now)).toBe(12_000);
    expect(retryAfterMs(2.5, now)).toBe(2500);
    // A bare number is seconds even where Date.parse would read it as a year.
    expect(retryAfterMs('2025', now)).toBe(2_025_000);
  });

  it('reads an HTTP date relative to now, a past date as 0', () => {
    expect(retryAfterMs('Sun, 05 Jan 2025 03:04:35 GMT', now)).toBe(30_000);
    expect(retryAfterMs('Sun, 05 Jan 2025 03:00:00 GMT', now)).toBe(0);
    expect(retryAfterMs('Sunday, 05-Jan-25 03:04:15 GMT', now)).toBe(10_000);
  });

  it('measures a date from the current time when no now is given', () => {
    const inAMinute = new Date(Date.now() + 60_000).toUTCString();
    const ms = retryAfterMs(inAMinute);
    expect(ms).toBeGreaterThan(50_000);
    expect(ms).toBeLessThanOrEqual(60_000);
  });

  it.each([
    ['-5'],
    ['-0'],
    ['-1.5'],
    [''],
    ['   '],
    ['soon'],
    ['NaN'],
    ['Infinity'],
    ['1e3'],
    ['0x10'],
    ['9'.repeat(400)],
  ])('is undefined for %j', (value) => {
    expect(retryAfterMs(value, now)).toBeUndefined();
  });

  it.each([[-5], [Number.NaN], [Number.POSITIVE_INFINITY], [undefined], [null], [{}], [['7']], [true]])(
    'is undefined for %s',
    (value) => {
      expect(retryAfterMs(value, now)).toBeUndefined();
    },
  );
});
