import type { ErrorCode, TalkbackError } from './errors.js';

/**
 * The one failure policy: per error code, whether a failure is worth another delivery and how long
 * to wait first when the error names no Retry-After of its own. Translators map vendor errors to a
 * code; the hosts (the local pump, the Azure registration) decide retries from here and `backoffMs`.
 */
export const FAILURE_POLICY: Record<ErrorCode, { retryable: boolean; delayMs?: number }> = {
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
  MailRejected: { retryable: false },
  // Channel rules (adapters/chat/channel-rules.ts): the reply is skipped and recorded, never retried.
  ConversationBlocked: { retryable: false },
  OutsideMessagingWindow: { retryable: false },
  Throttled: { retryable: true },
  Timeout: { retryable: true },
  ServiceUnavailable: { retryable: true },
  ClaimHeld: { retryable: true },
  LockLost: { retryable: true },
  SpeechFailed: { retryable: true },
  StorageFailed: { retryable: true },
  MailFailed: { retryable: true },
  ReplyFailed: { retryable: true },
  BusFailed: { retryable: true },
  Internal: { retryable: true },
};

/** Whether a failure with this code is retried when its translator said nothing else. */
export function isRetryableCode(code: ErrorCode): boolean {
  return FAILURE_POLICY[code].retryable;
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
