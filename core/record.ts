import { z } from 'zod';
import { LANGUAGES } from './language.js';

/**
 * One document per interaction (id = the message.received event id), partitioned by conversation.
 * Stages fill in as events arrive, in any order; claims guard the side effects that cannot be
 * undone (an email, a chat reply) so that at-least-once delivery never sends twice.
 */
export const STAGES = ['received', 'spoken', 'emailed', 'replied'] as const;
export type Stage = (typeof STAGES)[number];

export const CLAIM_ACTIONS = ['mail', 'reply'] as const;
export type ClaimAction = (typeof CLAIM_ACTIONS)[number];

const claimSchema = z.object({
  owner: z.string(),
  /** ISO time after which another worker may take the claim over (the owner crashed). */
  expiresAt: z.iso.datetime(),
  doneAt: z.iso.datetime().optional(),
  /** What the side effect produced (e.g. the email's message id), so a re-run can report it. */
  result: z.string().optional(),
});
export type Claim = z.infer<typeof claimSchema>;

const failureSchema = z.object({
  function: z.string(),
  code: z.string(),
  message: z.string(),
  at: z.iso.datetime(),
  eventId: z.string(),
  /** A side effect the channel's rules forbade (e.g. a reply outside Messenger's window): recorded, done, never retried. */
  skipped: z.boolean().optional(),
});
export type Failure = z.infer<typeof failureSchema>;

/**
 * What holds for a whole conversation rather than one message (kept on the conversation's marker
 * record, see CONVERSATION_MARKER_ID): the customer's last message, and whether the channel refused
 * the bot's messages for good (Teams' 403 MessageWritesBlocked: the bot was blocked or removed).
 */
const conversationStateSchema = z.object({
  lastCustomerMessageAt: z.iso.datetime().optional(),
  blocked: z.object({ at: z.iso.datetime(), code: z.string(), eventId: z.string() }).optional(),
});
export type ConversationState = z.infer<typeof conversationStateSchema>;

export const ATTEMPT_OUTCOMES = ['succeeded', 'retrying', 'failed'] as const;

/** One delivery of an event to a subscriber that did not simply succeed the first time (see runSubscriber). */
const attemptSchema = z.object({
  function: z.string(),
  eventId: z.string(),
  deliveryCount: z.number().int(),
  at: z.iso.datetime(),
  outcome: z.enum(ATTEMPT_OUTCOMES),
  code: z.string().optional(),
  message: z.string().optional(),
  /** For 'retrying': the delay the bus was asked to wait before the next delivery (nominal, before jitter). */
  retryDelayMs: z.number().optional(),
});
export type Attempt = z.infer<typeof attemptSchema>;

export const interactionRecordSchema = z.object({
  id: z.string().min(1),
  conversationId: z.string().min(1),
  channelId: z.string().optional(),
  customer: z.object({ id: z.string(), name: z.string() }).optional(),
  language: z.enum(LANGUAGES).optional(),
  text: z.string().optional(),
  stages: z.partialRecord(z.enum(STAGES), z.iso.datetime()),
  audio: z
    .object({
      blobName: z.string(),
      contentType: z.string(),
      bytes: z.number(),
      durationMs: z.number(),
      voice: z.string(),
    })
    .optional(),
  mail: z.object({ recipients: z.array(z.string()), messageId: z.string() }).optional(),
  claims: z.partialRecord(z.enum(CLAIM_ACTIONS), claimSchema),
  failures: z.array(failureSchema),
  /** Only on the conversation's marker record. */
  conversation: conversationStateSchema.optional(),

  /** Failed deliveries and the success that followed them, newest last, bounded (records written before it existed lack it). */
  attempts: z.array(attemptSchema).optional(),
  /** Event ids already applied, so a redelivered event changes nothing. */
  appliedEvents: z.array(z.string()),
  createdAt: z.iso.datetime(),
  updatedAt: z.iso.datetime(),
});
export type InteractionRecord = z.infer<typeof interactionRecordSchema>;

/**
 * The id of one extra record per conversation, in the conversation's partition, that holds its
 * ConversationState. It can never be an event id (those are hex digests); stores leave it out of
 * listUpdated, which lists interactions only.
 */
export const CONVERSATION_MARKER_ID = '~conversation';

export interface RecordKey {
  conversationId: string;
  id: string;
}

/** The record an event belongs to: the flow's first event id, in the conversation's partition. */
export function recordKeyOf(event: { correlationId: string; data: { conversationId: string } }): RecordKey {
  return { conversationId: event.data.conversationId, id: event.correlationId };
}

export function emptyRecord(key: RecordKey, now: string): InteractionRecord {
  return {
    id: key.id,
    conversationId: key.conversationId,
    stages: {},
    claims: {},
    failures: [],
    appliedEvents: [],
    createdAt: now,
    updatedAt: now,
  };
}

export function isComplete(record: InteractionRecord): boolean {
  return STAGES.every((stage) => record.stages[stage] !== undefined);
}
