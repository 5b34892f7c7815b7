import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { TalkbackError } from '../../../core/errors.js';
import { MIN_RENEWAL_WAIT_MS, renewalWaitMs, startLockRenewal } from '../../../core/lock-renewal.js';

/** A broker granting `lockMs` per renewal on vitest's fake clock; each renewal is recorded as ms since the start. */
function broker(lockMs: number, fail: (n: number) => Error | undefined = () => undefined) {
  const start = Date.now();
  const renewals: number[] = [];
  return {
    renewals,
    lockedUntil: new Date(start + lockMs),
    renew: async () => {
      renewals.push(Date.now() - start);
      const failure = fail(renewals.length);
      if (failure) throw failure;
      return new Date(Date.now() + lockMs);
    },
  };
}

describe('renewalWaitMs', () => {
  it('waits half of what is left of the lock, at least MIN_RENEWAL_WAIT_MS, at most maxWaitMs', () => {
    expect(renewalWaitMs(30_000, 0)).toBe(15_000);
    expect(renewalWaitMs(30_000, 0, 10_000)).toBe(10_000);
    expect(renewalWaitMs(1_000, 5_000)).toBe(MIN_RENEWAL_WAIT_MS);
  });
});

describe('startLockRenewal', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 5_000_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('renews at half of what is left of the lock the broker grants, until stopped', async () => {
    const b = broker(10_000);
    const renewal = startLockRenewal({ lockedUntil: b.lockedUntil, renew: b.renew });
    await vi.advanceTimersByTimeAsync(20_000);
    expect(b.renewals).toEqual([5_000, 10_000, 15_000, 20_000]);
    renewal.stop();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(b.renewals).toHaveLength(4);
    expect(renewal.lost).toBe(false);
  });

  it('waits no longer than maxWaitMs between renewals', async () => {
    const b = broker(60_000);
    const renewal = startLockRenewal({ lockedUntil: b.lockedUntil, renew: b.renew, maxWaitMs: 10_000 });
    await vi.advanceTimersByTimeAsync(30_000);
    renewal.stop();
    expect(b.renewals).toEqual([10_000, 20_000, 30_000]);
  });

  it('ends at a lost lock, marks it lost, and renews no more', async () => {
    const b = broker(10_000, (n) => (n === 2 ? new TalkbackError('LockLost', 'gone') : undefined));
    const renewal = startLockRenewal({ lockedUntil: b.lockedUntil, renew: b.renew, onError: () => true });
    await vi.advanceTimersByTimeAsync(60_000);
    await expect(renewal.ended).resolves.toMatchObject({ reason: 'lost', error: { code: 'LockLost' } });
    expect(renewal.lost).toBe(true);
    expect(b.renewals).toEqual([5_000, 10_000]);
  });

  it('keeps renewing after another failure when onError says so, on the lock it last knew', async () => {
    const outage = new TalkbackError('ServiceUnavailable', 'namespace unreachable');
    const b = broker(10_000, (n) => (n === 1 ? outage : undefined));
    const seen: string[] = [];
    const renewal = startLockRenewal({ lockedUntil: b.lockedUntil, renew: b.renew, onError: (e) => (seen.push(e.code), true) });
    await vi.advanceTimersByTimeAsync(13_000);
    renewal.stop();
    // After the failure at 5 s the lock still ends at 10 s: the next try is at half of what is left
    // (7.5 s); it succeeds, and the one after is at half of the new lock (12.5 s).
    expect(b.renewals).toEqual([5_000, 7_500, 12_500]);
    expect(seen).toEqual(['ServiceUnavailable']);
  });

  it('ends at another failure without onError, with that error', async () => {
    const outage = new TalkbackError('ServiceUnavailable', 'namespace unreachable');
    const b = broker(10_000, () => outage);
    const renewal = startLockRenewal({ lockedUntil: b.lockedUntil, renew: b.renew });
    await vi.advanceTimersByTimeAsync(60_000);
    await expect(renewal.ended).resolves.toEqual({ reason: 'failed', error: outage });
    expect(b.renewals).toEqual([5_000]);
    expect(renewal.lost).toBe(false);
  });

  it('ends after maxDurationMs without renewing again', async () => {
    const b = broker(10_000);
    const renewal = startLockRenewal({ lockedUntil: b.lockedUntil, renew: b.renew, maxDurationMs: 12_000 });
    await vi.advanceTimersByTimeAsync(60_000);
    await expect(renewal.ended).resolves.toEqual({ reason: 'limit' });
    expect(b.renewals).toEqual([5_000, 10_000]);
  });

  it('ignores a renewal still in flight when stopped', async () => {
    let fail: (error: Error) => void = () => undefined;
    const renewal = startLockRenewal({
      lockedUntil: new Date(Date.now() + 10_000),
      renew: () => new Promise<Date>((_, reject) => (fail = reject)),
    });
    await vi.advanceTimersByTimeAsync(5_000);
    renewal.stop();
    fail(new TalkbackError('LockLost', 'closed under it'));
    let ended = false;
    void renewal.ended.then(() => (ended = true));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(renewal.lost).toBe(false);
    expect(ended).toBe(false);
  });
});
