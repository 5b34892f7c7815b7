import { describe, expect, it } from 'vitest';
import { nextOccurrence, parseNcrontab } from '../../../local/ncrontab.js';

const next = (expr: string, after: string) => nextOccurrence(parseNcrontab(expr), new Date(after)).toISOString();

describe('NCRONTAB schedules', () => {
  it('fires daily at 18:00:00 UTC', () => {
    expect(next('0 0 18 * * *', '2026-11-25T10:00:00Z')).toBe('2026-11-25T18:00:00.000Z');
    expect(next('0 0 18 * * *', '2026-11-25T18:00:00Z')).toBe('2026-11-26T18:00:00.000Z');
  });
  it('supports steps, ranges and lists', () => {
    expect(next('*/15 * * * * *', '2026-11-25T10:00:07Z')).toBe('2026-11-25T10:00:15.000Z');
    expect(next('0 30 9-17/4 * * *', '2026-11-25T10:00:00Z')).toBe('2026-11-25T13:30:00.000Z');
    expect(next('0 0 8 * * 1,3', '2026-11-25T09:00:00Z')).toBe('2026-11-30T08:00:00.000Z'); // Wed 25th -> Mon 30th
    expect(next('0 0 0 1 1 *', '2026-11-25T00:00:00Z')).toBe('2027-01-01T00:00:00.000Z');
  });
  it('rejects malformed schedules with a config error', () => {
    for (const bad of ['0 0 18 * *', '61 * * * * *', 'a * * * * *', '0 0 25 * * *', '0 0 5-2 * * *']) {
      expect(() => parseNcrontab(bad), bad).toThrowError(expect.objectContaining({ code: 'ConfigInvalid' }) as Error);
    }
  });
});
