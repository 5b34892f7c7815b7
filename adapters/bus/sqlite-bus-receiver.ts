import { TalkbackError } from '../../core/errors.js';
import type { AbandonOptions, BusReceiver, LockedMessage } from '../ports.js';

/** What a receiver needs from the embedded bus (SqliteEventBus): its locking and settling, per subscription. */
export interface SqliteSubscriptions {
  readonly isClosed: boolean;
  lockBatch(subscription: string, max: number): Promise<LockedMessage[]>;
  complete(subscription: string, message: LockedMessage): Promise<void>;
  abandon(subscription: string, message: LockedMessage, delayMs: number): Promise<void>;
  deadLetter(subscription: string, message: LockedMessage, reason: string, description: string): Promise<void>;
  renewLock(subscription: string, message: LockedMessage): Promise<Date>;
  waitForWork(subscription: string, ms: number): Promise<void>;
}

/** A peek-lock receiver on one subscription of the embedded bus. */
export class SqliteBusReceiver implements BusReceiver {
  private closed = false;

  constructor(
    private readonly bus: SqliteSubscriptions,
    readonly subscription: string,
  ) {}

  async receive(maxMessages: number, maxWaitMs: number): Promise<LockedMessage[]> {
    const deadline = Date.now() + maxWaitMs;
    for (;;) {
      this.assertOpen();
      const messages = await this.bus.lockBatch(this.subscription, Math.max(1, maxMessages));
      if (messages.length > 0) return messages;
      const remaining = deadline - Date.now();
      if (remaining <= 0) return [];
      await this.bus.waitForWork(this.subscription, remaining);
      if (this.closed || this.bus.isClosed) return [];
    }
  }

  async complete(message: LockedMessage): Promise<void> {
    this.assertOpen();
    await this.bus.complete(this.subscription, message);
  }

  async abandon(message: LockedMessage, options: AbandonOptions = {}): Promise<void> {
    this.assertOpen();
    await this.bus.abandon(this.subscription, message, options.delayMs ?? 0);
  }

  async deadLetter(message: LockedMessage, reason: string, description: string): Promise<void> {
    this.assertOpen();
    await this.bus.deadLetter(this.subscription, message, reason, description);
  }

  async renewLock(message: LockedMessage): Promise<Date> {
    this.assertOpen();
    const until = await this.bus.renewLock(this.subscription, message);
    // As the Service Bus SDK does, the message reflects its renewed lock.
    message.lockedUntil = until;
    return until;
  }

  async close(): Promise<void> {
    this.closed = true;
  }

  private assertOpen(): void {
    if (this.closed) {
      throw new TalkbackError('BusRejected', `receiver for ${this.subscription} is closed`);
    }
  }
}
