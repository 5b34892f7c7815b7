/**
 * The one error type of talkback. Adapters translate SDK errors into it, subscribers decide by
 * `retryable` whether the bus should redeliver (retryable) or dead-letter (permanent) a message.
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
  | 'Throttled'
  | 'Timeout'
  | 'ServiceUnavailable'
  | 'ClaimHeld'
  | 'LockLost'
  | 'SpeechFailed'
  | 'StorageFailed'
  | 'MailRejected'
  | 'MailFailed'
  | 'ReplyFailed'
  /** The channel refuses the bot in this conversation for good (Teams 403 MessageWritesBlocked). */
  | 'ConversationBlocked'
  /** A Messenger reply would leave the 24-hour standard messaging window: not sent. */
  | 'OutsideMessagingWindow'
  | 'BusFailed'
  | 'Internal';

export interface TalkbackErrorOptions {
  retryable?: boolean;
  cause?: unknown;
  /** Milliseconds the caller should wait before retrying (e.g. from a Retry-After header). */
  retryAfterMs?: number;
  details?: Record<string, unknown>;
}

export class TalkbackError extends Error {
  override readonly name = 'TalkbackError';
  readonly code: ErrorCode;
  readonly retryable: boolean;
  readonly retryAfterMs: number | undefined;
  readonly details: Record<string, unknown> | undefined;

  constructor(code: ErrorCode, message: string, options: TalkbackErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.code = code;
    this.retryable = options.retryable ?? false;
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

/** Turns anything caught into a TalkbackError, once. Unknown errors are retryable: a bug fix can replay them. */
export function toTalkbackError(value: unknown, fallback: ErrorCode = 'Internal'): TalkbackError {
  if (isTalkbackError(value)) return value;
  const message = value instanceof Error ? value.message : String(value);
  return new TalkbackError(fallback, message, { retryable: true, cause: value });
}

/** HTTP status → retryable, as the Azure SDK guidelines classify them. */
export function isRetryableStatus(status: number | undefined): boolean {
  if (status === undefined) return true;
  return status === 408 || status === 429 || status >= 500;
}

export function codeForStatus(status: number | undefined, fallback: ErrorCode): ErrorCode {
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
      return status !== undefined && status >= 500 ? 'ServiceUnavailable' : fallback;
  }
}
