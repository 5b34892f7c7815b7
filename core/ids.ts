import { createHash, randomUUID } from 'node:crypto';

function digest(parts: readonly string[]): string {
  const hash = createHash('sha256');
  // Length-prefix each part so ("ab","c") and ("a","bc") never collide.
  for (const part of parts) hash.update(`${part.length}:${part}|`);
  return hash.digest('hex').slice(0, 32);
}

/**
 * The id of a message.received event. A channel that retries the same activity produces the
 * same id, so the bus's duplicate detection and every subscriber's idempotency key see one event.
 */
export function messageEventId(channelId: string, conversationId: string, activityId: string): string {
  return digest(['message.received', channelId, conversationId, activityId]);
}

/** The id of an event that follows from another one (e.g. audio.stored from message.received). */
export function followUpEventId(subject: string, sourceEventId: string): string {
  return digest([subject, sourceEventId]);
}

/** Ids for things that are not idempotency keys (lock tokens, worker names). */
export function randomId(): string {
  return randomUUID();
}
