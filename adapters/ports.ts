/**
 * The capabilities talkback needs from the outside world. Each port's folder declares its
 * implementations in one registry file (adapters/<port>/…); adapters/index.ts picks one per port.
 * One contract suite per port (test/contract/<port>/) runs against every implementation.
 * Every method throws TalkbackError (a code; whether it is retried is the code's, core/failure-policy.ts) and nothing else.
 */
import type { OutgoingActivity } from '../core/audio-reply.js';
import type { BusEvent, StoredConversationReference, Subject } from '../core/events.js';
import type { Language } from '../core/language.js';
import type { InteractionRecord, RecordKey } from '../core/record.js';
import type { CustomerSelector, RecordPage, RecordQuery } from '../core/record-query.js';

// ---------------------------------------------------------------- EventBus

/** A subscription on the topic: its name and the subjects it accepts ('*' = every subject). */
export interface SubscriptionSpec {
  name: string;
  subjects: readonly Subject[] | '*';
}

/** A message received in peek-lock mode: it stays invisible to others until settled or its lock expires. */
export interface LockedMessage {
  messageId: string;
  subject: string;
  /** The body as published (validate it with core/parse-event before use). */
  body: unknown;
  /** 1 on the first delivery; incremented each time the message is locked again. */
  deliveryCount: number;
  enqueuedAt: Date;
  lockedUntil: Date;
  lockToken: string;
}

export interface AbandonOptions {
  /**
   * Keep the message invisible for this long before the next delivery. Both adapters honour it:
   * the embedded bus hides the message and resolves at once; Service Bus has no delayed abandon, so
   * its adapter keeps the message locked (renewing the lock) for the delay, then abandons it, and
   * resolves only then. If the lock is lost meanwhile it resolves without abandoning.
   */
  delayMs?: number;
}

export interface DeadLetteredMessage {
  messageId: string;
  subject: string;
  body: unknown;
  deliveryCount: number;
  reason: string;
  description: string;
  deadLetteredAt: Date;
}

export interface MessageErasure {
  conversationIds: readonly string[];
  customer?: { channelId: string; customerId: string };
}

export interface BusReceiver {
  readonly subscription: string;
  /** Locks and returns up to `maxMessages`, waiting at most `maxWaitMs` for the first one. */
  receive(maxMessages: number, maxWaitMs: number): Promise<LockedMessage[]>;
  complete(message: LockedMessage): Promise<void>;
  abandon(message: LockedMessage, options?: AbandonOptions): Promise<void>;
  deadLetter(message: LockedMessage, reason: string, description: string): Promise<void>;
  /** Extends the lock; throws LockLost when it already expired and the message may be with someone else. */
  renewLock(message: LockedMessage): Promise<Date>;
  close(): Promise<void>;
}

export interface EventBus {
  /** Publishes with message id = event.id; a repeat within the duplicate-detection window is dropped. */
  publish(event: BusEvent): Promise<void>;
  /** Proves a write can be committed now (health), leaving nothing behind; absent: not checkable. */
  probe?(): Promise<void>;
  receiver(subscription: string): BusReceiver;
  /** Dead-lettered messages of a subscription, oldest first (for the dashboard and tests). */
  deadLetters(subscription: string, max?: number): Promise<DeadLetteredMessage[]>;
  /**
   * Sends dead letters of a subscription back for delivery: the one with `messageId`, or all of them.
   * The message keeps its id, subject, body and correlation, and is delivered afresh (delivery count 1),
   * never dropped by duplicate detection on the embedded bus. Subscribers stay idempotent on it (claims,
   * applied-event ids), so a stage already done is not done again. Returns how many were redriven.
   */
  redrive(subscription: string, messageId?: string): Promise<number>;
  /** Deletes dead letters of a subscription: the one with `messageId`, or all of them. Returns how many. */
  purge(subscription: string, messageId?: string): Promise<number>;
  /**
   * Deletes queued, locked and dead-lettered messages of these conversations, or of this customer on
   * this channel (erasing a customer). Only a bus that can delete selectively has it (the embedded one);
   * Service Bus messages expire by their time-to-live. Returns how many were deleted.
   */
  eraseMessages?(match: MessageErasure): Promise<number>;
  close(): Promise<void>;
}

// ---------------------------------------------------------------- InteractionStore

/**
 * Computes the next version of a record from the current one (undefined = none yet).
 * Return undefined to leave the record unchanged. May be called more than once when a
 * concurrent writer wins the race, so it must be pure.
 */
export type RecordChange = (current: InteractionRecord | undefined) => InteractionRecord | undefined;

export interface InteractionStore {
  get(key: RecordKey): Promise<InteractionRecord | undefined>;
  /** Proves a write can be committed now (health), leaving nothing behind; absent: not checkable. */
  probe?(): Promise<void>;
  /** Applies a change under optimistic concurrency (ETag / transaction); returns the stored record. */
  update(key: RecordKey, change: RecordChange): Promise<InteractionRecord | undefined>;
  /** Interaction records updated in [from, to), newest first, at most `max` (never a conversation's marker record). */
  listUpdated(from: Date, to: Date, max: number): Promise<InteractionRecord[]>;
  /** Records matching the query (core/record-query matchesQuery), newest created first, one page. */
  search(query: RecordQuery): Promise<RecordPage>;
  /** Deletes every record of one customer (or conversation); returns the deleted records. */
  erase(selector: CustomerSelector): Promise<InteractionRecord[]>;
  close(): Promise<void>;
}

// ---------------------------------------------------------------- AudioStore

export interface StoredAudio {
  name: string;
  contentType: string;
  bytes: number;
  /** What the writer attached with putIfAbsent (lower-case keys). */
  metadata: Record<string, string>;
}

export interface AudioStore {
  /**
   * Writes the blob only if absent (If-None-Match: *). `created` is false when it already existed.
   * Resolves once the blob is durable (the embedded store waits for its index to reach the disk).
   */
  putIfAbsent(
    name: string,
    data: Uint8Array,
    contentType: string,
    metadata?: Record<string, string>,
  ): Promise<{ created: boolean }>;
  get(name: string): Promise<Buffer | undefined>;
  /** The blob's size, type and metadata without its bytes, once durable; undefined when absent. */
  stat(name: string): Promise<StoredAudio | undefined>;
  /** A read-only, time-limited link to the blob (a SAS URL). */
  readLink(name: string, ttlMs: number): Promise<{ url: string; expiresAt: Date }>;
  /** Deletes the blob; false when it was not there. */
  delete(name: string): Promise<boolean>;
  close(): Promise<void>;
}

// ---------------------------------------------------------------- SpeechSynthesizer

export interface SynthesisRequest {
  text: string;
  language: Language;
}

export interface SynthesizedAudio {
  data: Buffer;
  contentType: 'audio/mpeg';
  durationMs: number;
  voice: string;
}

export interface SpeechSynthesizer {
  synthesize(request: SynthesisRequest): Promise<SynthesizedAudio>;
  /** Optional: readies what the first synthesis needs (eSpeak: compiles its engine) without holding more. */
  prepare?(): Promise<void>;
  close(): Promise<void>;
}

// ---------------------------------------------------------------- Mailer

export interface MailAttachment {
  filename: string;
  contentType: string;
  content: Buffer;
}

export interface OutgoingMail {
  /** Stable per logical email; adapters that can de-duplicate use it. */
  idempotencyKey: string;
  from: string;
  to: readonly string[];
  subject: string;
  text: string;
  html: string;
  attachments: readonly MailAttachment[];
}

export interface Mailer {
  send(mail: OutgoingMail): Promise<{ messageId: string }>;
  /** The email as sent (RFC 5322 bytes), when this mailer keeps a copy (the outbox does; a provider does not). */
  sentCopy?(idempotencyKey: string): Promise<Buffer | undefined>;
  /** Deletes the kept copy of an email (erasing a customer); false when there was none. */
  eraseSent?(idempotencyKey: string): Promise<boolean>;
  close(): Promise<void>;
}

// ---------------------------------------------------------------- ChatChannel

/**
 * Sends a proactive activity into an existing conversation. Errors, by code (the failure policy,
 * core/failure-policy.ts, decides the retry): 403 (the bot was blocked or removed), 404 (the
 * conversation is gone) and any other 4xx (400: the channel refuses this reply, ReplyRejected) are
 * permanent; 429, 412 (Busy), 5xx, timeouts and network failures are retryable, with the channel's
 * Retry-After when it gave one. test/contract/chat-channel/ holds every implementation to this.
 */
export interface ChatChannel {
  send(reference: StoredConversationReference, activity: OutgoingActivity, context?: SendContext): Promise<{ activityId?: string }>;
  close(): Promise<void>;
}

/**
 * What a send is about, for the channel rules (adapters/chat/channel-rules.ts) that wrap every
 * ChatChannel: implementations themselves may ignore it.
 */
export interface SendContext {
  /** The event the send answers (recorded when the channel blocks the bot). */
  eventId?: string;
  /** When the customer's message this send answers was received (ISO): Messenger's 24-hour window, Teams' block. */
  customerMessageAt?: string;
}

/**
 * The per-conversation send limits of the channels that have them (Teams: 7/s, 60/30 s), one object
 * per process, shared by every sender: the inbound endpoint's in-turn replies and the ChatChannel.
 */
export interface SendLimits {
  /** Runs `send` when the channel's limits for this conversation allow it. */
  run<T>(channelId: string, conversationId: string, send: () => Promise<T>): Promise<T>;
}
