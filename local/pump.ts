import type { BusReceiver, LockedMessage } from '../adapters/ports.js';
import { toTalkbackError, type TalkbackError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';

export interface PumpOptions {
  receiver: BusReceiver;
  handle: (message: LockedMessage) => Promise<void>;
  logger: Logger;
  /** The `function` field of log lines (default: the subscription name). */
  name?: string;
  maxConcurrentCalls?: number;
  /** The bus's lock duration; a running handler's lock is renewed every half of it. */
  lockDurationMs?: number;
  retryBaseDelayMs?: number;
  retryMaxDelayMs?: number;
  /** The longest a receive waits for a message; stop() may wait this long for it to return. */
  receiveWaitMs?: number;
  /** Pause after a failed receive before trying again. */
  receiveErrorDelayMs?: number;
  /** Source of jitter in [0, 1) (tests pin it). */
  random?: () => number;
  onSettled?: (info: SettledInfo) => void;
}

/**
 * What became of one delivery. `lockLost`: the lock expired while the handler ran, so the message
 * was left for its next delivery; `released`: stop() gave it back while the handler still ran.
 */
export type Outcome = 'complete' | 'abandon' | 'deadletter' | 'lockLost' | 'released';

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
  /** Stops receiving, waits up to graceMs for running handlers, then releases the locks of the rest. */
  stop(graceMs?: number): Promise<void>;
}

interface Delivery {
  message: LockedMessage;
  started: number;
  done: Promise<void>;
  /** Set when stop() released the message: the handler's result no longer matters. */
  released: boolean;
  lockLost: boolean;
  renewal?: NodeJS.Timeout;
}

const sleep = (ms: number, signal?: { wake?: () => void }) =>
  new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    if (signal) signal.wake = () => (clearTimeout(timer), resolve());
  });

/** Exponential backoff with ±20% jitter, or the error's own retry-after; never above the cap. */
export function retryDelayMs(deliveryCount: number, error: TalkbackError, baseMs: number, maxMs: number, random: () => number): number {
  if (error.retryAfterMs !== undefined) return Math.min(maxMs, Math.max(0, error.retryAfterMs));
  const exponential = Math.min(maxMs, baseMs * 2 ** Math.max(0, deliveryCount - 1));
  return Math.min(maxMs, Math.round(exponential * (0.8 + 0.4 * random())));
}

/**
 * Delivers one subscription to a handler with Service Bus trigger semantics: success completes,
 * a retryable failure abandons with backoff (the bus dead-letters after its max delivery count),
 * a permanent failure dead-letters with the error code as the reason.
 */
export function startPump(options: PumpOptions): Pump {
  const { receiver, handle, logger } = options;
  const name = options.name ?? receiver.subscription;
  const maxConcurrent = Math.max(1, options.maxConcurrentCalls ?? 4);
  const lockDurationMs = options.lockDurationMs ?? 30_000;
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
    const line = {
      function: name,
      eventId: message.messageId,
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

  async function settle(delivery: Delivery, failure: unknown): Promise<void> {
    const { message } = delivery;
    if (failure === undefined) {
      await receiver.complete(message);
      return report(delivery, 'complete');
    }
    const error = toTalkbackError(failure);
    if (error.retryable) {
      const delayMs = retryDelayMs(message.deliveryCount, error, baseMs, maxMs, random);
      await receiver.abandon(message, { delayMs });
      return report(delivery, 'abandon', { delayMs, error });
    }
    await receiver.deadLetter(message, error.code, error.message.slice(0, 1024));
    report(delivery, 'deadletter', { error });
  }

  async function run(delivery: Delivery): Promise<void> {
    const renewal = setInterval(() => {
      receiver.renewLock(delivery.message).catch((error: unknown) => {
        if (delivery.released) return;
        const e = toTalkbackError(error);
        if (e.code === 'LockLost') {
          delivery.lockLost = true;
          clearInterval(renewal);
        }
        logger.warn({ function: name, eventId: delivery.message.messageId, code: e.code, err: e.message }, 'lock renewal failed');
      });
    }, Math.max(1, Math.floor(lockDurationMs / 2)));
    delivery.renewal = renewal;
    let failure: unknown;
    try {
      await handle(delivery.message);
    } catch (error) {
      failure = error ?? new Error('handler threw without a reason');
    } finally {
      clearInterval(renewal);
    }
    if (delivery.released) return;
    try {
      if (delivery.lockLost) return report(delivery, 'lockLost', failure === undefined ? {} : { error: toTalkbackError(failure) });
      await settle(delivery, failure);
    } catch (error) {
      const e = toTalkbackError(error);
      if (e.code === 'LockLost') return report(delivery, 'lockLost', { error: e });
      // The lock will expire and the bus redelivers: at-least-once holds without us.
      logger.error({ function: name, eventId: delivery.message.messageId, code: e.code, err: e.message }, 'settling failed');
    }
  }

  function start(message: LockedMessage): void {
    const delivery: Delivery = { message, started: Date.now(), done: Promise.resolve(), released: false, lockLost: false };
    delivery.done = run(delivery)
      .catch((error: unknown) => logger.error({ function: name, err: toTalkbackError(error).message }, 'pump delivery failed'))
      .finally(() => {
        inFlight.delete(delivery);
        slotFreed?.();
      });
    inFlight.add(delivery);
  }

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
      const free = maxConcurrent - inFlight.size;
      if (free <= 0) {
        await new Promise<void>((resolve) => (slotFreed = resolve));
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
      running = false;
      pause.wake?.();
      slotFreed?.();
      await looping;
      const pending = [...inFlight];
      if (pending.length > 0) {
        const grace = { wake: undefined as (() => void) | undefined };
        await Promise.race([Promise.all(pending.map((d) => d.done)), sleep(graceMs, grace)]);
        grace.wake?.();
      }
      for (const delivery of [...inFlight]) {
        delivery.released = true;
        clearInterval(delivery.renewal);
        inFlight.delete(delivery);
        await release(delivery.message);
        report(delivery, 'released');
      }
    },
  };
}
