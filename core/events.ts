import { z } from 'zod';
import { LANGUAGES } from './language.js';

/**
 * Events on the topic "chat-events". The envelope's `id` is the bus message id (duplicate detection)
 * and every subscriber's idempotency key; `subject` is what subscriptions filter on. Audio never
 * travels on the bus: only its blob name does.
 */
/** The one topic every event is published to; subscriptions filter on the subject. */
export const TOPIC = 'chat-events';

export const SUBJECTS = ['message.received', 'audio.stored', 'mail.sent', 'reply.sent'] as const;
export type Subject = (typeof SUBJECTS)[number];

const customerSchema = z.object({ id: z.string().min(1), name: z.string() });

/** A Bot Framework ConversationReference, kept whole so a proactive reply can reach the user. */
export const conversationReferenceSchema = z
  .object({
    channelId: z.string().min(1),
    serviceUrl: z.string().min(1),
    conversation: z.looseObject({ id: z.string().min(1) }),
  })
  .loose();
export type StoredConversationReference = z.infer<typeof conversationReferenceSchema>;

/** What every follow-up event carries about the interaction it belongs to. */
const interactionSchema = z.object({
  conversationId: z.string().min(1),
  channelId: z.string().min(1),
  customer: customerSchema,
  language: z.enum(LANGUAGES),
  text: z.string().min(1),
  receivedAt: z.iso.datetime(),
});

const envelope = {
  id: z.string().min(1),
  /** id of the message.received event that started the flow; the record's id. */
  correlationId: z.string().min(1),
  occurredAt: z.iso.datetime(),
};

export const messageReceivedSchema = z.object({
  ...envelope,
  subject: z.literal('message.received'),
  data: interactionSchema.extend({
    activityId: z.string().min(1),
    reference: conversationReferenceSchema,
  }),
});

export const audioStoredSchema = z.object({
  ...envelope,
  subject: z.literal('audio.stored'),
  data: interactionSchema.extend({
    reference: conversationReferenceSchema,
    blobName: z.string().min(1),
    contentType: z.string().min(1),
    bytes: z.number().int().positive(),
    durationMs: z.number().int().nonnegative(),
    voice: z.string(),
  }),
});

const doneSchema = z.object({
  conversationId: z.string().min(1),
  at: z.iso.datetime(),
});

export const mailSentSchema = z.object({
  ...envelope,
  subject: z.literal('mail.sent'),
  data: doneSchema.extend({ recipients: z.array(z.string()).min(1), messageId: z.string() }),
});

/** How the audio reached the customer (bot/audio-reply.ts decides per channel). */
export const REPLY_FORMATS = ['attachment', 'card', 'card-and-attachment'] as const;
export type ReplyFormat = (typeof REPLY_FORMATS)[number];

export const replySentSchema = z.object({
  ...envelope,
  subject: z.literal('reply.sent'),
  data: doneSchema.extend({ format: z.enum(REPLY_FORMATS) }),
});

export const busEventSchema = z.discriminatedUnion('subject', [
  messageReceivedSchema,
  audioStoredSchema,
  mailSentSchema,
  replySentSchema,
]);

export type MessageReceived = z.infer<typeof messageReceivedSchema>;
export type AudioStored = z.infer<typeof audioStoredSchema>;
export type MailSent = z.infer<typeof mailSentSchema>;
export type ReplySent = z.infer<typeof replySentSchema>;
export type BusEvent = z.infer<typeof busEventSchema>;
export type EventOf<S extends Subject> = Extract<BusEvent, { subject: S }>;
