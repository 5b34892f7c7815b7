import { toTalkbackError, type TalkbackError } from './errors.js';

/** The shortest wait between renewals, should a lock already look expired (clock skew). */
export const MIN_RENEWAL_WAIT_MS = 100;

/**
 * When to renew a peek-lock next: at half of what is left of it, never sooner than
 * MIN_RENEWAL_WAIT_MS and never later than `maxWaitMs`.
 */
export function renewalWaitMs(lockedUntilMs: number, nowMs: number, maxWaitMs = Number.POSITIVE_INFINITY): number {
  return Math.min(maxWaitMs, Math.max(MIN_RENEWAL_WAIT_MS, Math.floor((lockedUntilMs - nowMs) / 2)));
}

export interface LockRenewalOptions {
  /** When the lock expires now. */
  lockedUntil: Date;
  /** Extends the lock and returns its new expiry; throws a TalkbackError LockLost when the lock is gone. */
  renew: () => Promise<Date>;
  /** The longest wait between two renewals (half the configured lock duration: a clock behind the broker's cannot make them late). */
  maxWaitMs?: number;
  /** Renewing ends after this long (Functions' maxAutoLockRenewalDuration); the lock then lapses by itself. */
  maxDurationMs?: number;
  /**
   * A renewal failed with anything but LockLost: true keeps renewing (at the next wait, while the
   * lock may still hold), false ends renewing. Without it every such failure ends renewing.
   */
  onError?: (error: TalkbackError) => boolean;
}

/** Why renewing ended by itself: the lock is gone, a renewal failed, or maxDurationMs ran out. */
export type LockRenewalEnd = { reason: 'lost'; error: TalkbackError } | { reason: 'failed'; error: TalkbackError } | { reason: 'limit' };

export interface LockRenewal {
  /** Resolves when renewing ends by itself; never after stop(). */
  readonly ended: Promise<LockRenewalEnd>;
  /** Whether the lock was found lost (renewing has then ended). */
  readonly lost: boolean;
  /** Stops renewing; a renewal in flight is ignored. */
  stop(): void;
}

/**
 * The one lock renewer: renews a peek-lock at half of what is left of it (as the broker last
 * reported it: a subscription may grant a shorter lock than configured) until stopped. The local
 * pump keeps a lock while its handler runs; the Service Bus hold keeps one while a retry waits.
 */
export function startLockRenewal(options: LockRenewalOptions): LockRenewal {
  const started = Date.now();
  const maxWaitMs = options.maxWaitMs ?? Number.POSITIVE_INFINITY;
  const maxDurationMs = options.maxDurationMs ?? Number.POSITIVE_INFINITY;
  let lockedUntil = options.lockedUntil.getTime();
  let running = true;
  let lost = false;
  let timer: NodeJS.Timeout | undefined;
  let end: (value: LockRenewalEnd) => void = () => undefined;
  const ended = new Promise<LockRenewalEnd>((resolve) => (end = resolve));

  const finish = (value: LockRenewalEnd) => {
    running = false;
    end(value);
  };

  const schedule = () => {
    if (running) timer = setTimeout(() => void renew(), renewalWaitMs(lockedUntil, Date.now(), maxWaitMs));
  };

  async function renew(): Promise<void> {
    if (!running) return;
    if (Date.now() - started >= maxDurationMs) return finish({ reason: 'limit' });
    try {
      lockedUntil = (await options.renew()).getTime();
    } catch (caught) {
      if (!running) return;
      const error = toTalkbackError(caught);
      if (error.code === 'LockLost') {
        lost = true;
        return finish({ reason: 'lost', error });
      }
      if (!(options.onError?.(error) ?? false)) return finish({ reason: 'failed', error });
    }
    schedule();
  }

  schedule();
  return {
    ended,
    get lost() {
      return lost;
    },
    stop() {
      running = false;
      clearTimeout(timer);
    },
  };
}
