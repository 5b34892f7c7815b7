import { isRetryableCode } from './failure-policy.js';

/**
 * The one error type of talkback. Adapters translate SDK errors into a code; whether the bus
 * redelivers (retryable) or dead-letters (permanent) a message is the code's, in the one failure
 * policy (core/failure-policy.ts). Nothing else sets `retryable`.
 * Check errors by `code`/`name`, never with instanceof: copies of this module may be bundled twice.
 */
export type ErrorCode =
  | 'ConfigInvalid'
  | 'DataFolderLocked'
  | 'DataFolderInvalid'
  | 'PortInUse'
  | 'BadRequest'
  | 'PayloadTooLarge'
  | 'MessageTooLong'
  | 'EventInvalid'
  | 'Unauthorized'
  | 'NotFound'
  | 'Conflict'
  | 'PreconditionFailed'
  /** Contention that clears by itself: a channel's 412 (the conversation is busy), a record update that kept losing races. */
  | 'Busy'
  /** A redrive inside the topic's duplicate detection window, which would drop it: try again after retryAfterMs. */
  | 'TooEarly'
  | 'Throttled'
  | 'Timeout'
  | 'ServiceUnavailable'
  | 'ClaimHeld'
  | 'LockLost'
  /**
   * `<Capability>Failed` may pass (an outage, a hiccup, a closed worker thread): retried.
   * `<Capability>Rejected` fails the same way again (the request, the data or the setup is refused): never retried.
   */
  | 'SpeechFailed'
  | 'SpeechRejected'
  | 'StorageFailed'
  | 'StorageRejected'
  | 'MailRejected'
  | 'MailFailed'
  | 'ReplyFailed'
  | 'ReplyRejected'
  /** The channel refuses the bot in this conversation for good (Teams 403 MessageWritesBlocked). */
  | 'ConversationBlocked'
  /** A Messenger reply would leave the 24-hour standard messaging window: not sent. */
  | 'OutsideMessagingWindow'
  | 'BusFailed'
  | 'BusRejected'
  /** A function already gave up on this message (its failure is on the record): a redelivery does not try again. */
  | 'GaveUp'
  | 'Internal';

/** No `retryable` here on purpose: the code decides it (core/failure-policy.ts). */
export interface TalkbackErrorOptions {
  cause?: unknown;
  /** Milliseconds the caller should wait before retrying (e.g. from a Retry-After header). */
  retryAfterMs?: number;
  details?: Record<string, unknown>;
}

export class TalkbackError extends Error {
  override readonly name = 'TalkbackError';
  readonly code: ErrorCode;
  /** The failure policy's for `code`; an own property so that logs and JSON carry it. */
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: TalkbackErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retryable = isRetryableCode(code);
    this.retryAfterMs = options.retryAfterMs;
    this.details = options.details;
  }
}

export function isTalkbackError(value: unknown): value is TalkbackError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { name?: unknown }).name === 'TalkbackError' &&
    typeof (value as { code?: unknown }).code === 'string'
  );
}

/** A code whose failure policy is to retry: what an unknown error caught by an adapter becomes. */
export type RetryableFallback = 'Internal' | 'StorageFailed' | 'ReplyFailed' | 'SpeechFailed' | 'MailFailed' | 'BusFailed';

/** Turns anything caught into a TalkbackError, once. Unknown errors are retryable: a bug fix can replay them. */
export function toTalkbackError(value: unknown, fallback: RetryableFallback = 'Internal'): TalkbackError {
  if (isTalkbackError(value)) return value;
  const message = value instanceof Error ? value.message : String(value);
  return new TalkbackError(fallback, message, { cause: value });
}

/**
 * An HTTP status → a code, as the Azure SDK guidelines classify statuses: 408, 429, 5xx and no
 * answer at all retryable, every other 4xx permanent. `failed` is the adapter's code for no answer
 * (network), `rejected` its code for a 4xx with no code of its own.
 */
export function codeForStatus(status: number | undefined, failed: ErrorCode, rejected: ErrorCode): ErrorCode {
  if (status === undefined) return failed;
  switch (status) {
    case 400:
      return 'BadRequest';
    case 401:
    case 403:
      return 'Unauthorized';
    case 404:
      return 'NotFound';
    case 408:
      return 'Timeout';
    case 409:
      return 'Conflict';
    case 412:
      return 'PreconditionFailed';
    case 429:
      return 'Throttled';
    default:
      return status >= 500 ? 'ServiceUnavailable' : rejected;
  }
}
