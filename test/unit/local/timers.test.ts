import { afterEach, describe, expect, it, vi } from 'vitest';
import type { TimerFunction } from '../../../functions/declarations.js';
import type { FunctionContext } from '../../../functions/context.js';
import { createLogger } from '../../../core/logger.js';
import { startTimers } from '../../../local/timers.js';

function timer(runs: Date[]): TimerFunction {
  return { kind: 'timer', name: 'digest', scheduleSetting: 'DIGEST_SCHEDULE', handler: async () => void runs.push(new Date()) };
}

function services(schedule: string, timeZone = 'UTC'): FunctionContext {
  return { config: { DIGEST_SCHEDULE: schedule, STAFF_TIME_ZONE: timeZone }, logger: createLogger('silent'), now: () => new Date() } as unknown as FunctionContext;
}

describe('local timers', () => {
  afterEach(() => vi.useRealTimers());

  it('runs at the scheduled time, once', async () => {
    vi.useFakeTimers({ now: new Date('2026-11-25T17:59:00Z') });
    const runs: Date[] = [];
    const timers = startTimers([timer(runs)], services('0 0 18 * * *'));
    await vi.advanceTimersByTimeAsync(59_000);
    expect(runs).toEqual([]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(runs.map((d) => d.toISOString())).toEqual(['2026-11-25T18:00:00.000Z']);
    await timers.stop();
  });

  it('waits out schedules further away than setTimeout can wait, without firing early', async () => {
    vi.useFakeTimers({ now: new Date('2026-02-01T00:00:00Z') });
    const runs: Date[] = [];
    const timers = startTimers([timer(runs)], services('0 0 0 1 1 *'));
    await vi.advanceTimersByTimeAsync(2 ** 31);
    expect(runs).toEqual([]);
    await vi.advanceTimersByTimeAsync(Date.parse('2027-01-01T00:00:00Z') - Date.now());
    expect(runs.map((d) => d.toISOString())).toEqual(['2027-01-01T00:00:00.000Z']);
    await timers.stop();
  });

  it('reads the schedule in STAFF_TIME_ZONE: 18:00 in Seoul is 09:00 UTC', async () => {
    vi.useFakeTimers({ now: new Date('2026-11-25T08:00:00Z') });
    const runs: Date[] = [];
    const timers = startTimers([timer(runs)], services('0 0 18 * * *', 'Asia/Seoul'));
    await vi.advanceTimersByTimeAsync(3_599_000);
    expect(runs).toEqual([]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(runs.map((d) => d.toISOString())).toEqual(['2026-11-25T09:00:00.000Z']);
    await vi.advanceTimersByTimeAsync(24 * 3_600_000);
    expect(runs.map((d) => d.toISOString())).toEqual(['2026-11-25T09:00:00.000Z', '2026-11-26T09:00:00.000Z']);
    await timers.stop();
  });
});
