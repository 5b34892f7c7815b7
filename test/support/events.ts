import {
  audioStoredSchema,
  mailSentSchema,
  messageReceivedSchema,
  replySentSchema,
  type AudioStored,
  type MailSent,
  type MessageReceived,
  type ReplySent,
} from '../../core/events.js';
import { randomId } from '../../core/ids.js';

/**
 * Valid events for tests. Every call gets a fresh id unless one is given; the result is parsed
 * with the real schema, so an override that breaks the contract fails loudly here.
 */
export type EventOverrides<E extends { data: object }> = Partial<Omit<E, 'data' | 'subject'>> & {
  data?: Partial<E['data']>;
};

const AT = '2025-01-02T03:04:05.000Z';

function interaction(conversationId: string) {
  return {
    conversationId,
    channelId: 'emulator',
    customer: { id: 'user-1', name: 'Kim Minji' },
    language: 'en' as const,
    text: 'Hello, is my order ready?',
    receivedAt: AT,
  };
}

function reference(conversationId: string) {
  return {
    channelId: 'emulator',
    serviceUrl: 'http://127.0.0.1:1/',
    conversation: { id: conversationId },
    user: { id: 'user-1', name: 'Kim Minji' },
    bot: { id: 'talkback', name: 'talkback' },
  };
}

export function messageReceivedEvent(overrides: EventOverrides<MessageReceived> = {}): MessageReceived {
  const id = overrides.id ?? randomId();
  const conversationId = overrides.data?.conversationId ?? `conv-${id}`;
  return messageReceivedSchema.parse({
    id,
    correlationId: id,
    occurredAt: AT,
    ...overrides,
    subject: 'message.received',
    data: { ...interaction(conversationId), activityId: `act-${id}`, reference: reference(conversationId), ...overrides.data },
  });
}

export function audioStoredEvent(overrides: EventOverrides<AudioStored> = {}): AudioStored {
  const id = overrides.id ?? randomId();
  const correlationId = overrides.correlationId ?? randomId();
  const conversationId = overrides.data?.conversationId ?? `conv-${correlationId}`;
  return audioStoredSchema.parse({
    id,
    correlationId,
    occurredAt: AT,
    ...overrides,
    subject: 'audio.stored',
    data: {
      ...interaction(conversationId),
      reference: reference(conversationId),
      blobName: `audio/${correlationId}.mp3`,
      contentType: 'audio/mpeg',
      bytes: 12_345,
      durationMs: 2_500,
      voice: 'en-US-JennyNeural',
      ...overrides.data,
    },
  });
}

export function mailSentEvent(overrides: EventOverrides<MailSent> = {}): MailSent {
  const id = overrides.id ?? randomId();
  const correlationId = overrides.correlationId ?? randomId();
  return mailSentSchema.parse({
    id,
    correlationId,
    occurredAt: AT,
    ...overrides,
    subject: 'mail.sent',
    data: { conversationId: `conv-${correlationId}`, at: AT, recipients: ['staff@localhost'], messageId: `mail-${id}`, ...overrides.data },
  });
}

export function replySentEvent(overrides: EventOverrides<ReplySent> = {}): ReplySent {
  const id = overrides.id ?? randomId();
  const correlationId = overrides.correlationId ?? randomId();
  return replySentSchema.parse({
    id,
    correlationId,
    occurredAt: AT,
    ...overrides,
    subject: 'reply.sent',
    data: { conversationId: `conv-${correlationId}`, at: AT, format: 'attachment', ...overrides.data },
  });
}
