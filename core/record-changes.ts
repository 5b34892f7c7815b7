import type { BusEvent } from './events.js';
import { emptyRecord, recordKeyOf, type Attempt, type ClaimAction, type Failure, type InteractionRecord, type RecordKey } from './record.js';

/** Pure changes to an interaction record; stores apply them under optimistic concurrency. */

const MAX_APPLIED = 64;

function base(current: InteractionRecord | undefined, key: RecordKey, now: string): InteractionRecord {
  return current ? structuredClone(current) : emptyRecord(key, now);
}

/** Folds an event into the record. Returns undefined when the event was applied before (no write needed). */
export function applyEvent(
  current: InteractionRecord | undefined,
  event: BusEvent,
  now: string,
): InteractionRecord | undefined {
  if (current?.appliedEvents.includes(event.id)) return undefined;
  const key = recordKeyOf(event);
  const next = base(current, key, now);
  switch (event.subject) {
    case 'message.received':
    case 'audio.stored': {
      const d = event.data;
      next.channelId = d.channelId;
      next.customer = d.customer;
      next.language = d.language;
      next.text = d.text;
      next.stages.received ??= d.receivedAt;
      if (event.subject === 'audio.stored') {
        const a = event.data;
        next.audio = {
          blobName: a.blobName,
          contentType: a.contentType,
          bytes: a.bytes,
          durationMs: a.durationMs,
          voice: a.voice,
        };
        next.stages.spoken ??= event.occurredAt;
      }
      break;
    }
    case 'mail.sent':
      next.mail = { recipients: event.data.recipients, messageId: event.data.messageId };
      next.stages.emailed ??= event.data.at;
      break;
    case 'reply.sent':
      next.stages.replied ??= event.data.at;
      break;
  }
  next.appliedEvents = [...next.appliedEvents, event.id].slice(-MAX_APPLIED);
  next.updatedAt = now;
  return next;
}

export type ClaimOutcome = 'claimed' | 'done' | 'held';

export interface ClaimRequest {
  action: ClaimAction;
  owner: string;
  leaseMs: number;
  now: Date;
  /** True when the holder of an unexpired claim is known to be dead: its claim is taken over at once. */
  ownerGone?: (owner: string) => boolean;
}

/**
 * Takes the claim for a side effect. 'done': it was already carried out; 'held': another worker
 * holds an unexpired claim and is not known to be dead; 'claimed': the caller may act, then must
 * call completeClaim.
 */
export function takeClaim(
  current: InteractionRecord | undefined,
  key: RecordKey,
  request: ClaimRequest,
): { outcome: ClaimOutcome; next: InteractionRecord | undefined } {
  const claim = current?.claims[request.action];
  if (claim?.doneAt) return { outcome: 'done', next: undefined };
  if (
    claim &&
    claim.owner !== request.owner &&
    Date.parse(claim.expiresAt) > request.now.getTime() &&
    !(request.ownerGone?.(claim.owner) ?? false)
  ) {
    return { outcome: 'held', next: undefined };
  }
  const nowIso = request.now.toISOString();
  const next = base(current, key, nowIso);
  next.claims[request.action] = {
    owner: request.owner,
    expiresAt: new Date(request.now.getTime() + request.leaseMs).toISOString(),
  };
  next.updatedAt = nowIso;
  return { outcome: 'claimed', next };
}

export function completeClaim(
  current: InteractionRecord | undefined,
  key: RecordKey,
  action: ClaimAction,
  owner: string,
  now: string,
  result?: string,
): InteractionRecord | undefined {
  const claim = current?.claims[action];
  if (claim?.doneAt) return undefined;
  const next = base(current, key, now);
  next.claims[action] = { owner, expiresAt: claim?.expiresAt ?? now, doneAt: now, ...(result === undefined ? {} : { result }) };
  next.updatedAt = now;
  return next;
}

/** Releases a claim after a failed attempt so the next delivery need not wait for the lease. */
export function releaseClaim(current: InteractionRecord | undefined, action: ClaimAction, owner: string, now: string) {
  const claim = current?.claims[action];
  if (!current || !claim || claim.doneAt || claim.owner !== owner) return undefined;
  const next = structuredClone(current);
  delete next.claims[action];
  next.updatedAt = now;
  return next;
}

const MAX_FAILURES = 20;

export function addFailure(
  current: InteractionRecord | undefined,
  key: RecordKey,
  failure: Failure,
): InteractionRecord | undefined {
  if (current?.failures.some((f) => f.eventId === failure.eventId && f.function === failure.function && f.code === failure.code)) {
    return undefined;
  }
  const next = base(current, key, failure.at);
  next.failures = [...next.failures, failure].slice(-MAX_FAILURES);
  next.updatedAt = failure.at;
  return next;
}

const MAX_ATTEMPTS = 30;

/** Appends a delivery attempt (and, for a permanent failure, the failure) in one write; keeps the last MAX_ATTEMPTS. */
export function addAttempt(
  current: InteractionRecord | undefined,
  key: RecordKey,
  attempt: Attempt,
  failure?: Failure,
): InteractionRecord | undefined {
  const withFailure = failure ? (addFailure(current, key, failure) ?? current) : current;
  const next = base(withFailure, key, attempt.at);
  next.attempts = [...(next.attempts ?? []), attempt].slice(-MAX_ATTEMPTS);
  next.updatedAt = attempt.at;
  return next;
}

/**
 * Records the success of a delivery only when this function had failed on the event before (a retry
 * or a redrive that worked), so a first-time success costs no write.
 */
export function addSuccessAfterFailures(
  current: InteractionRecord | undefined,
  key: RecordKey,
  attempt: Attempt,
): InteractionRecord | undefined {
  const mine = (current?.attempts ?? []).filter((a) => a.function === attempt.function && a.eventId === attempt.eventId);
  const last = mine.at(-1);
  if (last === undefined || last.outcome === 'succeeded') return undefined;
  return addAttempt(current, key, attempt);
}
