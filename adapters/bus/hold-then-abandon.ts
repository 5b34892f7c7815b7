import { isTalkbackError } from '../../core/errors.js';
import { renewalWaitMs } from '../../core/lock-renewal.js';

export interface HoldThenAbandonOptions {
  /** How long the message stays locked (invisible to other receivers) before it is abandoned. */
  delayMs: number;
  /** When the message's lock expires now. */
  lockedUntil: Date;
  /** Extends the lock and returns its new expiry; throws a TalkbackError LockLost when the lock is gone. */
  renew: () => Promise<Date>;
  abandon: () => Promise<void>;
  /** The clock and the wait (tests move time by hand). */
  now?: () => number;
  sleep?: (ms: number) => Promise<void>;
}


const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * A delayed abandon for a broker that has none (Service Bus abandons at once): the message is kept
 * locked for `delayMs`, its lock renewed at half of what is left of it, then abandoned. When the
 * lock is lost meanwhile (it expired, or the receiver closed) the message is already on its way to
 * its next delivery, so this returns without abandoning. Other renewal failures are thrown: the
 * lock then lapses by itself, which delays the redelivery too.
 */
export async function holdThenAbandon(options: HoldThenAbandonOptions): Promise<void> {
  const now = options.now ?? Date.now;
  const sleep = options.sleep ?? realSleep;
  const abandonAt = now() + Math.max(0, options.delayMs);
  let lockedUntil = options.lockedUntil.getTime();
  for (;;) {
    const t = now();
    const renewAt = t + renewalWaitMs(lockedUntil, t);
    if (abandonAt <= renewAt) {
      if (abandonAt > t) await sleep(abandonAt - t);
      return options.abandon();
    }
    await sleep(renewAt - t);
    try {
      lockedUntil = (await options.renew()).getTime();
    } catch (error) {
      if (isTalkbackError(error) && error.code === 'LockLost') return;
      throw error;
    }
  }
}
