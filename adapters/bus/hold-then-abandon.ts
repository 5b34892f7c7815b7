import { startLockRenewal } from '../../core/lock-renewal.js';

export interface HoldThenAbandonOptions {
  /** How long the message stays locked (invisible to other receivers) before it is abandoned. */
  delayMs: number;
  /** When the message's lock expires now. */
  lockedUntil: Date;
  /** Extends the lock and returns its new expiry; throws a TalkbackError LockLost when the lock is gone. */
  renew: () => Promise<Date>;
  abandon: () => Promise<void>;
}

/**
 * A delayed abandon for a broker that has none (Service Bus abandons at once): the message is kept
 * locked for `delayMs` by the one lock renewer (core/lock-renewal.ts), then abandoned. When the
 * lock is lost meanwhile (it expired, or the receiver closed) the message is already on its way to
 * its next delivery, so this returns without abandoning. Other renewal failures are thrown: the
 * lock then lapses by itself, which delays the redelivery too.
 */
export async function holdThenAbandon(options: HoldThenAbandonOptions): Promise<void> {
  const delayMs = Math.max(0, options.delayMs);
  if (delayMs === 0) return options.abandon();
  let timer: NodeJS.Timeout | undefined;
  // Set before the renewer's first timer: a renewal due at the very moment the hold ends is not made.
  const held = new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), delayMs)));
  const renewal = startLockRenewal({ lockedUntil: options.lockedUntil, renew: options.renew });
  const ended = await Promise.race([held, renewal.ended]);
  renewal.stop();
  clearTimeout(timer);
  if (ended === undefined) return options.abandon();
  if (ended.reason === 'lost') return;
  if (ended.reason === 'failed') throw ended.error;
}
