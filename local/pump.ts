import type { BusReceiver, LockedMessage } from '../adapters/ports.js';
import { toTalkbackError, type TalkbackError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import { backoffMs } from '../core/failure-policy.js';
import { startLockRenewal, type LockRenewal } from '../core/lock-renewal.js';

export interface PumpOptions {
  receiver: BusReceiver;
  handle: (message: LockedMessage) => Promise<void>;
  logger: Logger;
  /** The `function` field of log lines (default: the subscription name). */
  name?: string;
  maxConcurrentCalls?: number;
  /**
   * The bus's configured lock duration. Renewal follows each message's own `lockedUntil` (a
   * subscription may grant a shorter lock than configured); this only caps the wait between two
   * renewals at half of it, so a local clock running behind the broker's cannot make them late.
   */
  lockDurationMs?: number;
  /**
   * How long a running handler's lock is renewed at most (Functions' maxAutoLockRenewalDuration,
   * default 5 min). After that the handler keeps running, its lock lapses and the bus redelivers.
   */
  maxLockRenewalMs?: number;
  retryBaseDelayMs?: number;
  retryMaxDelayMs?: number;
  /** The longest a receive waits for a message; stop() may wait this long for it to return. */
  receiveWaitMs?: number;
  /** Pause after a failed receive before trying again. */
  receiveErrorDelayMs?: number;
  /** Source of jitter in [0, 1) (tests pin it). */
  random?: () => number;
  /** While this says so, no new messages are taken (running handlers go on): see local/intake-load.ts. */
  yielding?: () => boolean;
  /**
   * How many handlers may run at once now, when fewer than maxConcurrentCalls (undefined: that many);
   * looked at before each receive, and every YIELD_CHECK_MS while it holds the pump back.
   */
  maxConcurrentNow?: () => number | undefined;
  onSettled?: (info: SettledInfo) => void;
}

/**
 * What became of one delivery. `lockLost`: the lock expired while the handler ran, so the message
 * was left for its next delivery. A handler stop() leaves running gets no outcome: it settles nothing.
 */
export type Outcome = 'complete' | 'abandon' | 'deadletter' | 'lockLost';

export interface SettledInfo {
  messageId: string;
  subject: string;
  outcome: Outcome;
  deliveryCount: number;
  durationMs: number;
  /** The abandon delay, for outcome 'abandon'. */
  delayMs?: number;
  error?: TalkbackError;
}

export interface Pump {
  readonly inFlight: number;
  /**
   * Stops receiving, waits up to graceMs for running handlers (renewing their locks), then stops
   * renewing the locks of the rest and resolves. Their locks are not given back: each lapses by
   * itself, so the bus redelivers the message only a lock duration later, by which time the handler
   * has usually finished (its result is then ignored) or the process is gone. Giving the lock back
   * would let another receiver run the same side effect while this handler still performs it.
   */
  stop(graceMs?: number): Promise<void>;
}

interface Delivery {
  message: LockedMessage;
  started: number;
  done: Promise<void>;
  /** Set when stop() stopped waiting for the handler: its result no longer matters. */
  left: boolean;
  /** Keeps the lock while the handler runs (until stop() leaves it). */
  renewal?: LockRenewal;
}

/** How often a yielding pump looks again. */
const YIELD_CHECK_MS = 50;

const sleep = (ms: number, signal?: { wake?: () => void }) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    if (signal) signal.wake = () => (clearTimeout(timer), resolve());
  });


/**
 * Delivers one subscription to a handler with Service Bus trigger semantics: success completes,
 * a retryable failure abandons with backoff (the bus dead-letters after its max delivery count),
 * a permanent failure dead-letters with the error code as the reason.
 */
export function startPump(options: PumpOptions): Pump {
  const { receiver, handle, logger } = options;
  const name = options.name ?? receiver.subscription;
  const maxConcurrent = Math.max(1, options.maxConcurrentCalls ?? 4);
  const maxRenewalWaitMs = Math.max(1, Math.floor((options.lockDurationMs ?? 30_000) / 2));
  const maxLockRenewalMs = options.maxLockRenewalMs ?? 300_000;
  const baseMs = options.retryBaseDelayMs ?? 1_000;
  const maxMs = options.retryMaxDelayMs ?? 60_000;
  const receiveWaitMs = options.receiveWaitMs ?? 1_000;
  const receiveErrorDelayMs = options.receiveErrorDelayMs ?? 1_000;
  const random = options.random ?? Math.random;

  const inFlight = new Set<Delivery>();
  let running = true;
  const pause: { wake?: () => void } = {};
  let slotFreed: (() => void) | undefined;

  function report(delivery: Delivery, outcome: Outcome, extra: { delayMs?: number; error?: TalkbackError } = {}): void {
    const { message } = delivery;
    const durationMs = Date.now() - delivery.started;
    const data = (message.body as { data?: { conversationId?: unknown } } | null)?.data;
    const line = {
      function: name,
      eventId: message.messageId,
      ...(typeof data?.conversationId === 'string' && { conversationId: data.conversationId }),
      outcome,
      deliveryCount: message.deliveryCount,
      ms: durationMs,
      ...(extra.delayMs !== undefined && { delayMs: extra.delayMs }),
      ...(extra.error && { code: extra.error.code, err: extra.error.message }),
    };
    if (outcome === 'deadletter' || outcome === 'lockLost') logger.warn(line, `message ${outcome}`);
    else logger.info(line, `message ${outcome}`);
    try {
      options.onSettled?.({ messageId: message.messageId, subject: message.subject, outcome, deliveryCount: message.deliveryCount, durationMs, ...extra });
    } catch (error) {
      logger.error({ function: name, err: toTalkbackError(error).message }, 'onSettled threw');
    }
  }

  /** Renews the message's own lock while its handler runs: a failed renewal is retried, a lost lock ends it. */
  function keepLocked(delivery: Delivery): void {
    const { message } = delivery;
    const eventId = message.messageId;
    const failed = (e: TalkbackError) => logger.warn({ function: name, eventId, code: e.code, err: e.message }, 'lock renewal failed');
    const renewal = startLockRenewal({
      lockedUntil: message.lockedUntil,
      renew: () => receiver.renewLock(message),
      maxWaitMs: maxRenewalWaitMs,
      maxDurationMs: maxLockRenewalMs,
      onError: (e) => (failed(e), true),
    });
    delivery.renewal = renewal;
    void renewal.ended.then((end) => {
      if (end.reason === 'limit') {
        logger.warn({ function: name, eventId, maxLockRenewalMs }, 'lock renewal stopped at maxLockRenewalMs; the handler runs on and its lock will lapse');
      } else failed(end.error);
    });
  }

  async function settle(delivery: Delivery, failure: unknown): Promise<void> {
    const { message } = delivery;
    if (failure === undefined) {
      await receiver.complete(message);
      return report(delivery, 'complete');
    }
    const error = toTalkbackError(failure);
    if (error.retryable) {
      const delayMs = backoffMs(message.deliveryCount, error, { baseMs, maxMs, random });
      await receiver.abandon(message, { delayMs });
      return report(delivery, 'abandon', { delayMs, error });
    }
    await receiver.deadLetter(message, error.code, error.message.slice(0, 1024));
    report(delivery, 'deadletter', { error });
  }

  async function run(delivery: Delivery): Promise<void> {
    keepLocked(delivery);
    let failure: unknown;
    try {
      await handle(delivery.message);
    } catch (error) {
      failure = error ?? new Error('handler threw without a reason');
    } finally {
      delivery.renewal?.stop();
    }
    if (delivery.left) return;
    try {
      if (delivery.renewal?.lost) return report(delivery, 'lockLost', failure === undefined ? {} : { error: toTalkbackError(failure) });
      await settle(delivery, failure);
    } catch (error) {
      if (delivery.left) return;
      const e = toTalkbackError(error);
      if (e.code === 'LockLost') return report(delivery, 'lockLost', { error: e });
      // The lock will expire and the bus redelivers: at-least-once holds without us.
      logger.error({ function: name, eventId: delivery.message.messageId, code: e.code, err: e.message }, 'settling failed');
    }
  }

  function start(message: LockedMessage): void {
    const delivery: Delivery = {
      message,
      started: Date.now(),
      done: Promise.resolve(),
      left: false,
    };
    delivery.done = run(delivery)
      .catch((error: unknown) => logger.error({ function: name, err: toTalkbackError(error).message }, 'pump delivery failed'))
      .finally(() => {
        inFlight.delete(delivery);
        slotFreed?.();
      });
    inFlight.add(delivery);
  }

  /** Gives back a message received after stop(): no handler ever saw it, so another receiver may take it at once. */
  async function release(message: LockedMessage): Promise<void> {
    try {
      await receiver.abandon(message);
    } catch (error) {
      const e = toTalkbackError(error);
      logger.warn({ function: name, eventId: message.messageId, code: e.code, err: e.message }, 'releasing a lock failed');
    }
  }

  async function loop(): Promise<void> {
    while (running) {
      if (options.yielding?.()) {
        await sleep(YIELD_CHECK_MS, pause);
        continue;
      }
      const allowedNow = options.maxConcurrentNow?.();
      const limited = allowedNow !== undefined && allowedNow < maxConcurrent;
      const free = (limited ? Math.max(0, allowedNow) : maxConcurrent) - inFlight.size;
      if (free <= 0) {
        // A slot freed, or (held back by the limit of now) the limit raised meanwhile.
        await new Promise<void>((resolve) => {
          const recheck = limited ? setTimeout(resolve, YIELD_CHECK_MS) : undefined;
          slotFreed = () => {
            clearTimeout(recheck);
            resolve();
          };
        });
        slotFreed = undefined;
        continue;
      }
      let messages: LockedMessage[];
      try {
        messages = await receiver.receive(free, receiveWaitMs);
      } catch (error) {
        const e = toTalkbackError(error);
        logger.error({ function: name, code: e.code, err: e.message }, 'receive failed; retrying');
        if (running) await sleep(receiveErrorDelayMs, pause);
        continue;
      }
      for (const message of messages) {
        if (running) start(message);
        else await release(message);
      }
    }
  }

  const looping = loop().catch((error: unknown) =>
    logger.error({ function: name, err: toTalkbackError(error).message }, 'pump stopped unexpectedly'),
  );

  return {
    get inFlight() {
      return inFlight.size;
    },
    async stop(graceMs = 10_000) {
      const deadline = Date.now() + Math.max(0, graceMs);
      running = false;
      pause.wake?.();
      slotFreed?.();
      await looping;
      const pending = [...inFlight];
      if (pending.length > 0) {
        const grace = { wake: undefined as (() => void) | undefined };
        await Promise.race([Promise.all(pending.map((d) => d.done)), sleep(Math.max(0, deadline - Date.now()), grace)]);
        grace.wake?.();
      }
      const left = [...inFlight];
      for (const delivery of left) {
        delivery.left = true;
        delivery.renewal?.stop();
        inFlight.delete(delivery);
      }
      if (left.length > 0) {
        logger.warn(
          { function: name, left: left.length, graceMs, eventIds: left.map((d) => d.message.messageId) },
          `stopped with ${left.length} handler(s) still running: their locks lapse and the bus redelivers their messages`,
        );
      }
    },
  };
}
