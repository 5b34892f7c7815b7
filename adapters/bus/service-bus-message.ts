import type { ServiceBusMessage, ServiceBusReceivedMessage } from '@azure/service-bus';
import type { BusEvent } from '../../core/events.js';
import type { DeadLetteredMessage, LockedMessage } from '../ports.js';

/**
 * Mapping between talkback's events and Service Bus messages, both ways.
 *
 * Outgoing: messageId = event id, so the namespace's duplicate detection drops a re-publish;
 * subject = the event subject, which the subscriptions' filters (sys.Label) match on;
 * correlationId = the id of the message.received event that started the flow. The body is the
 * event object: the SDK sends it as JSON in an AMQP data section (what the Functions trigger reads).
 * applicationProperties carry camelCase routing facts only (they surface in the Functions
 * trigger's metadata and in SQL filters): never the customer's text, name or any secret.
 */
export function toServiceBusMessage(event: BusEvent): ServiceBusMessage {
  return {
    messageId: event.id,
    subject: event.subject,
    correlationId: event.correlationId,
    contentType: 'application/json',
    body: event,
    applicationProperties: applicationPropertiesOf(event),
  };
}

function applicationPropertiesOf(event: BusEvent): Record<string, string> {
  const properties: Record<string, string> = {
    eventType: event.subject,
    conversationId: event.data.conversationId,
    occurredAt: event.occurredAt,
  };
  if ('channelId' in event.data) properties.channelId = event.data.channelId;
  if ('language' in event.data) properties.language = event.data.language;
  return properties;
}

/**
 * A message received in peek-lock mode, as the port sees it. The JS SDK reports the AMQP
 * delivery-count (prior failed deliveries: 0 on the first delivery, unlike .NET and the Functions
 * trigger), so one is added to match the port's "1 on the first delivery".
 */
export function toLockedMessage(message: ServiceBusReceivedMessage): LockedMessage {
  return {
    messageId: idText(message.messageId),
    subject: message.subject ?? '',
    body: message.body as unknown,
    deliveryCount: (message.deliveryCount ?? 0) + 1,
    enqueuedAt: message.enqueuedTimeUtc ?? new Date(0),
    lockedUntil: message.lockedUntilUtc ?? new Date(0),
    lockToken: message.lockToken ?? '',
  };
}

/**
 * A message peeked from a dead-letter sub-queue. Service Bus keeps no dead-letter timestamp that
 * this SDK exposes, so `deadLetteredAt` is the enqueued time of the dead-letter copy.
 */
export function toDeadLetteredMessage(message: ServiceBusReceivedMessage): DeadLetteredMessage {
  return {
    messageId: idText(message.messageId),
    subject: message.subject ?? '',
    body: message.body as unknown,
    deliveryCount: (message.deliveryCount ?? 0) + 1,
    reason: message.deadLetterReason ?? '',
    description: message.deadLetterErrorDescription ?? '',
    deadLetteredAt: message.enqueuedTimeUtc ?? new Date(0),
  };
}

function idText(id: string | number | Buffer | undefined): string {
  if (id === undefined) return '';
  return Buffer.isBuffer(id) ? id.toString('utf8') : String(id);
}

/** Application properties Service Bus adds when it dead-letters a message; a redriven message drops them. */
const DEAD_LETTER_PROPERTIES = new Set(['DeadLetterReason', 'DeadLetterErrorDescription']);

/**
 * A dead letter, to be sent to the topic again as it was first published: the original message id
 * (duplicate detection and the subscribers' applied-event ids see the same event), subject (the
 * subscriptions' filters), correlation id, content type, body and routing properties.
 */
export function toRedrivenMessage(message: ServiceBusReceivedMessage): ServiceBusMessage {
  const properties = Object.fromEntries(
    Object.entries(message.applicationProperties ?? {}).filter(([name]) => !DEAD_LETTER_PROPERTIES.has(name)),
  );
  return {
    body: message.body as unknown,
    ...(message.messageId === undefined ? {} : { messageId: message.messageId }),
    ...(message.subject === undefined ? {} : { subject: message.subject }),
    ...(message.correlationId === undefined ? {} : { correlationId: message.correlationId }),
    ...(message.contentType === undefined ? {} : { contentType: message.contentType }),
    applicationProperties: properties,
  };
}
