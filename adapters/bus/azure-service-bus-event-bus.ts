import { ServiceBusClient, type ServiceBusReceiver, type ServiceBusSender } from '@azure/service-bus';
import { TalkbackError } from '../../core/errors.js';
import type { BusEvent } from '../../core/events.js';
import type { BusReceiver, DeadLetteredMessage, EventBus } from '../ports.js';
import { AzureServiceBusReceiver, type ReceiverContext } from './azure-service-bus-receiver.js';
import { settleDeadLetters, tooYoungError, type DeadLetterSelection } from './service-bus-dead-letters.js';
import { toDeadLetteredMessage, toRedrivenMessage, toServiceBusMessage } from './service-bus-message.js';
import { translateServiceBusError } from './translate-service-bus-error.js';

export interface AzureServiceBusEventBusOptions {
  /** A namespace connection string (Endpoint=sb://...;SharedAccessKeyName=...;SharedAccessKey=...). */
  connectionString: string;
  /**
   * The topic ('chat-events'). Its subscriptions, their subject filters, duplicate detection and
   * max delivery count are provisioned with the namespace (infrastructure), not by this adapter.
   */
  topicName: string;
  /** Attempts the SDK makes after a retryable failure of one operation (SDK default 3). */
  maxRetries?: number;
  /** How long one attempt may take before the SDK retries it (SDK default and minimum 60 000). */
  tryTimeoutMs?: number;
  /**
   * The topic's duplicate detection window (DUPLICATE_DETECTION_WINDOW_MS). A dead letter resent with
   * its original id inside it would be dropped by Service Bus, so redrive leaves such messages alone.
   */
  duplicateDetectionWindowMs?: number;
}

/**
 * EventBus on an Azure Service Bus topic. One sender, created on the first publish and reused;
 * receivers in peek-lock mode with the SDK's automatic lock renewal off, so `lockedUntil` and lock
 * expiry mean what the port says (callers renew explicitly).
 */
export class AzureServiceBusEventBus implements EventBus {
  private readonly client: ServiceBusClient;
  private readonly topicName: string;
  private readonly secrets: readonly string[];
  private sender: ServiceBusSender | undefined;
  private readonly receivers = new Set<ServiceBusReceiver>();
  private readonly context: ReceiverContext;
  private readonly duplicateWindowMs: number;
  private closed = false;

  constructor(options: AzureServiceBusEventBusOptions) {
    this.topicName = options.topicName;
    this.duplicateWindowMs = options.duplicateDetectionWindowMs ?? 600_000;
    const key = /SharedAccessKey\s*=\s*([^;]+)/i.exec(options.connectionString)?.[1];
    this.secrets = key === undefined ? [options.connectionString] : [options.connectionString, key];
    try {
      // Parses the connection string; no connection is opened until the first operation.
      this.client = new ServiceBusClient(options.connectionString, {
        retryOptions: {
          ...(options.maxRetries === undefined ? {} : { maxRetries: options.maxRetries }),
          ...(options.tryTimeoutMs === undefined ? {} : { timeoutInMs: options.tryTimeoutMs }),
        },
      });
    } catch (error) {
      const cause = translateServiceBusError(error, 'read the connection string', this.secrets);
      throw new TalkbackError('ConfigInvalid', cause.message);
    }
    this.context = {
      openReceiver: (subscription) => this.openReceiver(subscription),
      closeReceiver: async (receiver) => {
        this.receivers.delete(receiver);
        await receiver.close();
      },
      locks: new Map(),
      translate: (error, action) => translateServiceBusError(error, action, this.secrets),
    };
  }

  async publish(event: BusEvent): Promise<void> {
    this.assertOpen();
    try {
      this.sender ??= this.client.createSender(this.topicName);
      await this.sender.sendMessages(toServiceBusMessage(event));
    } catch (error) {
      throw translateServiceBusError(error, `publish ${event.subject} ${event.id}`, this.secrets);
    }
  }

  receiver(subscription: string): BusReceiver {
    this.assertOpen();
    return new AzureServiceBusReceiver(subscription, this.context);
  }

  /** Peeks (never locks) the subscription's dead-letter sub-queue with a fresh receiver, so it starts at the oldest. */
  async deadLetters(subscription: string, max = 100): Promise<DeadLetteredMessage[]> {
    this.assertOpen();
    const receiver = this.client.createReceiver(this.topicName, subscription, { subQueueType: 'deadLetter' });
    try {
      const peeked = [];
      while (peeked.length < max) {
        const batch = await receiver.peekMessages(max - peeked.length);
        if (batch.length === 0) break;
        peeked.push(...batch);
      }
      return peeked.map(toDeadLetteredMessage);
    } catch (error) {
      throw translateServiceBusError(error, `peek dead letters of ${subscription}`, this.secrets);
    } finally {
      await receiver.close().catch(() => undefined);
    }
  }

  /**
   * Receives the subscription's `$deadletterqueue` and resends the selected messages to the topic
   * (toRedrivenMessage: original id, subject, body, correlation), completing each after its resend.
   * The topic fans a resent message out to every matching subscription; the others are idempotent on it.
   */
  async redrive(subscription: string, messageId?: string): Promise<number> {
    const windowMs = this.duplicateWindowMs;
    const outcome = await this.onDeadLetters(subscription, 'redrive', {
      ...(messageId === undefined ? {} : { messageId }),
      eligible: (message) => Date.now() - (message.enqueuedTimeUtc?.getTime() ?? 0) >= windowMs,
      act: async (message) => {
        this.sender ??= this.client.createSender(this.topicName);
        await this.sender.sendMessages(toRedrivenMessage(message));
      },
    });
    if (outcome.settled === 0 && outcome.held.length > 0) {
      const youngest = Math.max(...outcome.held.map((m) => m.enqueuedTimeUtc?.getTime() ?? 0));
      throw tooYoungError(outcome.held.length, new Date(youngest + windowMs));
    }
    return outcome.settled;
  }

  async purge(subscription: string, messageId?: string): Promise<number> {
    const outcome = await this.onDeadLetters(subscription, 'purge', {
      ...(messageId === undefined ? {} : { messageId }),
      act: async () => undefined,
    });
    return outcome.settled;
  }

  private async onDeadLetters(subscription: string, action: string, selection: DeadLetterSelection) {
    this.assertOpen();
    const receiver = this.client.createReceiver(this.topicName, subscription, {
      subQueueType: 'deadLetter',
      receiveMode: 'peekLock',
      maxAutoLockRenewalDurationInMs: 0,
    });
    try {
      return await settleDeadLetters(receiver, selection);
    } catch (error) {
      throw translateServiceBusError(error, `${action} dead letters of ${subscription}`, this.secrets);
    } finally {
      await receiver.close().catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const links: Array<{ close(): Promise<void> }> = [...this.receivers];
    if (this.sender) links.push(this.sender);
    this.receivers.clear();
    this.context.locks.clear();
    await Promise.allSettled(links.map((link) => link.close()));
    try {
      await this.client.close();
    } catch (error) {
      throw translateServiceBusError(error, 'close', this.secrets);
    }
  }

  private openReceiver(subscription: string): ServiceBusReceiver {
    this.assertOpen();
    const receiver = this.client.createReceiver(this.topicName, subscription, {
      receiveMode: 'peekLock',
      maxAutoLockRenewalDurationInMs: 0,
    });
    this.receivers.add(receiver);
    return receiver;
  }

  private assertOpen(): void {
    if (this.closed) throw new TalkbackError('BusRejected', 'Service Bus event bus is closed');
  }
}
