import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { holdThenAbandon } from '../../../../adapters/bus/hold-then-abandon.js';
import { TalkbackError } from '../../../../core/errors.js';

/**
 * A broker's view of one lock, on vitest's fake clock: renew and abandon fail with LockLost once
 * the lock has expired, as Service Bus does. Every call is recorded with the time it happened.
 */
function broker(lockMs: number, options: { failRenewal?: (n: number) => Error | undefined } = {}) {
  const start = Date.now();
  let lockedUntil = start + lockMs;
  let renewals = 0;
  const calls: Array<[string, number]> = [];
  const lost = () => new TalkbackError('LockLost', 'lock expired');
  return {
    calls,
    get lockedUntil() {
      return lockedUntil;
    },
    start,
    renew: async () => {
      const now = Date.now();
      calls.push(['renew', now]);
      renewals += 1;
      const failure = options.failRenewal?.(renewals);
      if (failure) throw failure;
      if (now >= lockedUntil) throw lost();
      lockedUntil = now + lockMs;
      return new Date(lockedUntil);
    },
    abandon: async () => {
      calls.push(['abandon', Date.now()]);
      if (Date.now() >= lockedUntil) throw lost();
    },
  };
}

/** Holds on the fake clock, running every timer until the hold settles. */
async function hold(b: ReturnType<typeof broker>, delayMs: number) {
  const held = holdThenAbandon({ delayMs, lockedUntil: new Date(b.lockedUntil), renew: b.renew, abandon: b.abandon });
  const settled = held.then(
    () => undefined,
    () => undefined,
  );
  await vi.runAllTimersAsync();
  await settled;
  return held;
}

describe('holdThenAbandon', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: 1_000_000 });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('abandons once the delay has passed, without renewing, when the lock outlasts the delay', async () => {
    const b = broker(30_000);
    await hold(b, 10_000);
    expect(b.calls).toEqual([['abandon', b.start + 10_000]]);
  });

  it('renews at half of what is left of the lock, and abandons after the delay, before the lock expires', async () => {
    const b = broker(30_000);
    await hold(b, 60_000);
    expect(b.calls).toEqual([
      ['renew', b.start + 15_000],
      ['renew', b.start + 30_000],
      ['renew', b.start + 45_000],
      ['abandon', b.start + 60_000],
    ]);
  });

  it("follows the lock the broker really grants, shorter than any configured duration", async () => {
    const b = broker(5_000); // a subscription provisioned with a 5 s lock
    await hold(b, 12_000);
    const renewals = b.calls.filter(([what]) => what === 'renew').map(([, at]) => at - b.start);
    expect(renewals).toEqual([2_500, 5_000, 7_500, 10_000]);
    expect(b.calls.at(-1)).toEqual(['abandon', b.start + 12_000]);
  });

  it('abandons at once when there is no delay', async () => {
    const b = broker(30_000);
    await hold(b, 0);
    expect(b.calls).toEqual([['abandon', b.start]]);
  });

  it('returns without abandoning when the lock is lost while it holds the message', async () => {
    const b = broker(30_000, {
      failRenewal: (n) => (n === 2 ? new TalkbackError('LockLost', 'gone') : undefined),
    });
    await expect(hold(b, 60_000)).resolves.toBeUndefined();
    expect(b.calls.map(([what]) => what)).toEqual(['renew', 'renew']);
  });

  it('throws any other renewal failure, without abandoning', async () => {
    const outage = new TalkbackError('ServiceUnavailable', 'namespace unreachable');
    const b = broker(30_000, { failRenewal: () => outage });
    await expect(hold(b, 60_000)).rejects.toBe(outage);
    expect(b.calls.map(([what]) => what)).toEqual(['renew']);
  });

  it('holds for the delay with real timers, renewing first', async () => {
    vi.useRealTimers();
    const calls: string[] = [];
    await holdThenAbandon({
      delayMs: 300,
      lockedUntil: new Date(Date.now() + 200),
      renew: async () => (calls.push('renew'), new Date(Date.now() + 200)),
      abandon: async () => void calls.push('abandon'),
    });
    expect(calls[0]).toBe('renew');
    expect(calls.at(-1)).toBe('abandon');
  });
});
