import type { MessageReceived } from '../core/events.js';
import { messageEventId } from '../core/ids.js';
import type { Language } from '../core/language.js';

/** A conversation reference as plain data (botbuilder's ConversationReference shape, SDK-neutral). */
export interface ConversationReferenceData {
  activityId?: string | undefined;
  user?: { id?: string | undefined; name?: string | undefined } | undefined;
  bot?: { id?: string | undefined; name?: string | undefined } | undefined;
  conversation?: { id?: string | undefined } | undefined;
  channelId?: string | undefined;
  locale?: string | undefined;
  serviceUrl?: string | undefined;
}

export interface AcceptedMessage {
  text: string;
  language: Language;
  activityId: string;
  from: { id: string; name?: string | undefined };
  reference: ConversationReferenceData;
  receivedAt: Date;
}

/** The message.received event for an accepted activity; its id makes a channel's retry the same event. */
export function toMessageReceived(message: AcceptedMessage): MessageReceived {
  const reference = message.reference;
  const conversationId = reference.conversation?.id ?? '';
  const channelId = reference.channelId ?? '';
  const id = messageEventId(channelId, conversationId, message.activityId);
  return {
    id,
    correlationId: id,
    subject: 'message.received',
    occurredAt: message.receivedAt.toISOString(),
    data: {
      conversationId,
      channelId,
      customer: { id: message.from.id, name: message.from.name ?? '' },
      language: message.language,
      text: message.text,
      receivedAt: message.receivedAt.toISOString(),
      activityId: message.activityId,
      // JSON round trip: the reference must be plain data to travel on the bus.
      reference: JSON.parse(JSON.stringify(reference)) as MessageReceived['data']['reference'],
    },
  };
}
