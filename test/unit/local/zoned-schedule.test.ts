import { describe, expect, it } from 'vitest';
import { parseNcrontab } from '../../../local/ncrontab.js';
import { nextOccurrenceIn } from '../../../local/zoned-schedule.js';

const next = (expr: string, after: string, zone: string) => nextOccurrenceIn(parseNcrontab(expr), new Date(after), zone).toISOString();

describe('NCRONTAB schedules read in a time zone', () => {
  it('fires at the wall-clock time of the zone', () => {
    expect(next('0 0 18 * * *', '2026-11-25T00:00:00Z', 'Asia/Seoul')).toBe('2026-11-25T09:00:00.000Z');
    expect(next('0 0 18 * * *', '2026-11-25T09:00:00Z', 'Asia/Seoul')).toBe('2026-11-26T09:00:00.000Z');
    // Seoul is already on the 26th at 15:00 UTC on the 25th.
    expect(next('0 0 8 * * *', '2026-11-25T15:00:00Z', 'Asia/Seoul')).toBe('2026-11-25T23:00:00.000Z');
    expect(next('0 0 18 * * *', '2026-11-25T10:00:00Z', 'UTC')).toBe('2026-11-25T18:00:00.000Z');
  });

  it('reads days of the week and months in the zone too', () => {
    // Monday 08:00 in Seoul is Sunday 23:00 UTC.
    expect(next('0 0 8 * * 1', '2026-11-25T00:00:00Z', 'Asia/Seoul')).toBe('2026-11-29T23:00:00.000Z');
    expect(next('0 0 0 1 1 *', '2026-11-25T00:00:00Z', 'Asia/Seoul')).toBe('2026-12-31T15:00:00.000Z');
  });

  it('follows daylight saving time: the same local hour, a different UTC hour', () => {
    expect(next('0 0 18 * * *', '2026-03-01T00:00:00Z', 'America/New_York')).toBe('2026-03-01T23:00:00.000Z'); // EST
    expect(next('0 0 18 * * *', '2026-03-09T00:00:00Z', 'America/New_York')).toBe('2026-03-09T22:00:00.000Z'); // EDT
  });

  it('skips a time the clocks jump over, and fires a repeated time once', () => {
    // 2026-03-08 02:30 does not exist in New York: the next 02:30 is on the 9th.
    expect(next('0 30 2 * * *', '2026-03-08T05:00:00Z', 'America/New_York')).toBe('2026-03-09T06:30:00.000Z');
    // 2026-11-01 01:30 happens twice (EDT, then EST): it fires at the first, not again an hour later.
    const first = next('0 30 1 * * *', '2026-11-01T04:00:00Z', 'America/New_York');
    expect(first).toBe('2026-11-01T05:30:00.000Z');
    expect(next('0 30 1 * * *', first, 'America/New_York')).toBe('2026-11-02T06:30:00.000Z');
  });
});
