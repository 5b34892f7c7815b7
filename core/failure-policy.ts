import type { ErrorCode, TalkbackError } from './errors.js';

export interface CodePolicy {
  /** Whether another delivery may succeed. */
  retryable: boolean;
  /** The wait before the next delivery when the error gave no Retry-After; unset: exponential backoff. */
  delayMs?: number;
}

/**
 * The one failure policy: per error code, whether a failure is worth another delivery and how long
 * to wait first. `TalkbackError#retryable` is read from here and nowhere else: translators and
 * adapters only map vendor errors to a code (plus the vendor's Retry-After). The hosts (the local
 * pump, the Azure registration, the Service Bus hold) wait `backoffMs` before a retry.
 *
 * Rule of thumb (Azure SDK guidelines): timeouts, 408, 429, 5xx and no answer at all may pass;
 * other 4xx, invalid input and refused settings fail the same way again.
 */
export const FAILURE_POLICY: Readonly<Record<ErrorCode, CodePolicy>> = {
  // Set-up and input: the same request fails the same way again.
  ConfigInvalid: { retryable: false },
  DataFolderLocked: { retryable: false },
  DataFolderInvalid: { retryable: false },
  PortInUse: { retryable: false },
  BadRequest: { retryable: false },
  PayloadTooLarge: { retryable: false },
  MessageTooLong: { retryable: false },
  EventInvalid: { retryable: false },
  Unauthorized: { retryable: false },
  NotFound: { retryable: false },
  Conflict: { retryable: false },
  PreconditionFailed: { retryable: false },
  SpeechRejected: { retryable: false },
  StorageRejected: { retryable: false },
  MailRejected: { retryable: false },
  ReplyRejected: { retryable: false },
  BusRejected: { retryable: false },
  GaveUp: { retryable: false },
  // Channel rules (adapters/chat/channel-rules.ts): the reply is skipped and recorded, never retried.
  ConversationBlocked: { retryable: false },
  OutsideMessagingWindow: { retryable: false },
  // Passing conditions: retried, after the vendor's Retry-After when it gave one.
  Busy: { retryable: true },
  TooEarly: { retryable: true },
  Throttled: { retryable: true },
  Timeout: { retryable: true },
  ServiceUnavailable: { retryable: true },
  ClaimHeld: { retryable: true },
  // The lock is gone, so the bus redelivers the message anyway: never a reason to dead-letter it.
  LockLost: { retryable: true },
  SpeechFailed: { retryable: true },
  StorageFailed: { retryable: true },
  MailFailed: { retryable: true },
  ReplyFailed: { retryable: true },
  BusFailed: { retryable: true },
  // A bug: a fix deployed while the message is retried (or redriven) can still carry it through.
  Internal: { retryable: true },
};

/** Whether a failure with this code is worth another delivery. */
export function isRetryableCode(code: ErrorCode): boolean {
  return FAILURE_POLICY[code]?.retryable ?? true;
}

export interface BackoffOptions {
  baseMs: number;
  maxMs: number;
  /** Source of jitter in [0, 1) (tests pin it). */
  random?: () => number;
}

/**
 * How long to wait before the next delivery: the error's own Retry-After, else the code's default
 * delay, else exponential backoff from `baseMs` with ±20% jitter; never above `maxMs`.
 */
export function backoffMs(deliveryCount: number, error: Pick<TalkbackError, 'code' | 'retryAfterMs'>, options: BackoffOptions): number {
  const { baseMs, maxMs, random = Math.random } = options;
  const fixed = error.retryAfterMs ?? FAILURE_POLICY[error.code]?.delayMs;
  if (fixed !== undefined) return Math.min(maxMs, Math.max(0, fixed));
  const exponential = Math.min(maxMs, baseMs * 2 ** Math.max(0, deliveryCount - 1));
  return Math.min(maxMs, Math.round(exponential * (0.8 + 0.4 * random())));
}
