import type { ServiceBusReceivedMessage, ServiceBusReceiver } from '@azure/service-bus';
import { TalkbackError } from '../../core/errors.js';
import type { AbandonOptions, BusReceiver, LockedMessage } from '../ports.js';
import { holdThenAbandon } from './hold-then-abandon.js';
import { toLockedMessage } from './service-bus-message.js';

/** What a receiver needs from its bus: its own SDK receiver, the shared lock registry, error translation. */
export interface ReceiverContext {
  openReceiver(subscription: string): ServiceBusReceiver;
  closeReceiver(receiver: ServiceBusReceiver): Promise<void>;
  /** lockToken -> the SDK message (settling needs the SDK's object, not our copy), shared by the bus's receivers. */
  locks: Map<string, { subscription: string; message: ServiceBusReceivedMessage }>;
  translate(error: unknown, action: string): TalkbackError;
}

/** Entries this long past their lock expiry are forgotten: their lock is gone at the broker too. */
const FORGET_AFTER_MS = 60_000;

/**
 * A peek-lock receiver on one subscription. Its SDK receiver (one AMQP link) opens on the first
 * receive. A message can be settled through any receiver of the same bus: the registry finds the
 * SDK message by lock token and the SDK settles it on the link it arrived on (or, when that link
 * is closed, through the management link by lock token). One receive at a time per receiver (the
 * SDK refuses a second concurrent receiveMessages on a link): a pump that wants more in flight
 * opens more receivers.
 */
export class AzureServiceBusReceiver implements BusReceiver {
  private sdk: ServiceBusReceiver | undefined;

  constructor(
    readonly subscription: string,
    private readonly context: ReceiverContext,
  ) {}

  async receive(maxMessages: number, maxWaitMs: number): Promise<LockedMessage[]> {
    this.forgetExpired();
    try {
      const messages = await this.receiver().receiveMessages(Math.max(1, Math.floor(maxMessages)), {
        maxWaitTimeInMs: Math.max(0, maxWaitMs),
      });
      return messages.map((message) => {
        if (message.lockToken) this.context.locks.set(message.lockToken, { subscription: this.subscription, message });
        return toLockedMessage(message);
      });
    } catch (error) {
      throw this.context.translate(error, `receive on ${this.subscription}`);
    }
  }

  complete(message: LockedMessage): Promise<void> {
    return this.settle(message, 'complete', (sdk, m) => sdk.completeMessage(m));
  }

  /**
   * Service Bus has no delayed abandon (the Functions trigger redelivers at once), so a `delayMs`
   * is spent holding the message: its lock is renewed until the delay has passed, then it is
   * abandoned. Should the lock be lost meanwhile, this returns: the message is redelivered anyway.
   */
  async abandon(message: LockedMessage, options: AbandonOptions = {}): Promise<void> {
    const abandon = () => this.settle(message, 'abandon', (sdk, m) => sdk.abandonMessage(m));
    const delayMs = options.delayMs ?? 0;
    if (!(delayMs > 0)) return abandon();
    const entry = this.entryOf(message);
    return holdThenAbandon({
      delayMs,
      lockedUntil: entry.lockedUntilUtc ?? message.lockedUntil,
      renew: () => this.renewLock(message),
      abandon,
    });
  }

  deadLetter(message: LockedMessage, reason: string, description: string): Promise<void> {
    return this.settle(message, 'dead-letter', (sdk, m) =>
      sdk.deadLetterMessage(m, { deadLetterReason: reason, deadLetterErrorDescription: description }),
    );
  }

  async renewLock(message: LockedMessage): Promise<Date> {
    const entry = this.entryOf(message);
    try {
      const until = await this.receiver().renewMessageLock(entry);
      // As the SDK does with its own message, ours reflects the renewed lock.
      message.lockedUntil = until;
      return until;
    } catch (error) {
      throw this.forgetIfLost(message, this.context.translate(error, `renew lock on ${this.subscription}`));
    }
  }

  async close(): Promise<void> {
    const sdk = this.sdk;
    this.sdk = undefined;
    try {
      if (sdk) await this.context.closeReceiver(sdk);
    } catch (error) {
      throw this.context.translate(error, `close receiver on ${this.subscription}`);
    }
  }

  private receiver(): ServiceBusReceiver {
    this.sdk ??= this.context.openReceiver(this.subscription);
    return this.sdk;
  }

  private async settle(
    message: LockedMessage,
    action: string,
    run: (sdk: ServiceBusReceiver, m: ServiceBusReceivedMessage) => Promise<void>,
  ): Promise<void> {
    const entry = this.entryOf(message);
    try {
      await run(this.receiver(), entry);
      this.context.locks.delete(message.lockToken);
    } catch (error) {
      // Kept on a transient failure, so the caller may try the same settlement again.
      throw this.forgetIfLost(message, this.context.translate(error, `${action} on ${this.subscription}`));
    }
  }

  private entryOf(message: LockedMessage): ServiceBusReceivedMessage {
    const entry = this.context.locks.get(message.lockToken);
    if (entry === undefined || entry.subscription !== this.subscription) {
      throw new TalkbackError('LockLost', `lock on message ${message.messageId} expired or was settled`);
    }
    return entry.message;
  }

  private forgetIfLost(message: LockedMessage, error: TalkbackError): TalkbackError {
    if (error.code === 'LockLost') this.context.locks.delete(message.lockToken);
    return error;
  }

  private forgetExpired(): void {
    const before = Date.now() - FORGET_AFTER_MS;
    for (const [token, { message }] of this.context.locks) {
      if ((message.lockedUntilUtc?.getTime() ?? 0) < before) this.context.locks.delete(token);
    }
  }
}
