import { TalkbackError, isTalkbackError, type ErrorCode } from '../../core/errors.js';
import { REDACTED, redactSecrets } from '../../core/redact.js';

interface Rule {
  code: ErrorCode;
  retryAfterMs?: number;
}

/**
 * ServiceBusError codes whose meaning we know, mapped to our code (whose failure policy decides the
 * retry). The SDK's own `retryable` is not trusted for these: a ServiceBusError built from a message
 * and a code is always `retryable: true` (the MessagingError default), and core-amqp even marks
 * UnauthorizedError retryable in case keys are being rotated — but a message redelivered ten times
 * against a wrong key only ends up dead-lettered anyway. Codes not listed (GeneralError, future
 * codes) follow the error's own `retryable`: BusFailed when it is, BusRejected when it is not.
 */
const RULES: Readonly<Record<string, Rule>> = {
  MessageLockLost: { code: 'LockLost' },
  SessionLockLost: { code: 'LockLost' },
  // The broker asks clients to back off ~10 s when it is busy (core-amqp waits as long).
  ServiceBusy: { code: 'Throttled', retryAfterMs: 10_000 },
  ServiceTimeout: { code: 'Timeout' },
  ServiceCommunicationProblem: { code: 'ServiceUnavailable' },
  // QuotaExceeded means the entity is full (a subscriber fell behind) or the namespace's connection
  // limit is reached. Both clear without a code change once receivers catch up or connections close
  // (Microsoft's guidance: "retry might help if messages were removed in the meantime"), and the
  // bus's max delivery count bounds the retries — so retryable, as throttling.
  QuotaExceeded: { code: 'Throttled' },
  UnauthorizedAccess: { code: 'Unauthorized' },
  MessagingEntityNotFound: { code: 'NotFound' },
  MessageNotFound: { code: 'NotFound' },
  MessagingEntityDisabled: { code: 'BusRejected' },
  MessagingEntityAlreadyExists: { code: 'Conflict' },
  MessageSizeExceeded: { code: 'PayloadTooLarge' },
  SessionCannotBeLocked: { code: 'BusFailed' },
};

/**
 * A socket-level failure (ECONNREFUSED, ENOTFOUND, ...): the SDK reports it as GeneralError with
 * `retryable: false` and does not retry it itself, but for a message an unreachable namespace is an
 * outage to wait out, not a reason to dead-letter — redelivery is bounded by the max delivery count.
 */
const NETWORK: Rule = { code: 'ServiceUnavailable' };

/** core-amqp's MessagingError codes for the same conditions (as the SDK itself maps them). */
const AMQP_CODES: Readonly<Record<string, string>> = {
  MessagingEntityNotFoundError: 'MessagingEntityNotFound',
  MessageLockLostError: 'MessageLockLost',
  MessageNotFoundError: 'MessageNotFound',
  MessageTooLargeError: 'MessageSizeExceeded',
  MessagingEntityAlreadyExistsError: 'MessagingEntityAlreadyExists',
  MessagingEntityDisabledError: 'MessagingEntityDisabled',
  QuotaExceededError: 'QuotaExceeded',
  ServerBusyError: 'ServiceBusy',
  OperationTimeoutError: 'ServiceTimeout',
  ServiceUnavailableError: 'ServiceTimeout',
  ServiceCommunicationError: 'ServiceCommunicationProblem',
  SessionCannotBeLockedError: 'SessionCannotBeLocked',
  SessionLockLostError: 'SessionLockLost',
  UnauthorizedError: 'UnauthorizedAccess',
};

/** What the SDK throws (a plain Error) when a message is settled twice. */
const ALREADY_SETTLED = 'The message has either been deleted or already settled';

interface ErrorFields {
  name?: unknown;
  code?: unknown;
  message?: unknown;
  retryable?: unknown;
  syscall?: unknown;
}

/**
 * Turns what @azure/service-bus throws — ServiceBusError (code + retryable), core-amqp's
 * MessagingError, or anything else — into a TalkbackError. `action` says what failed
 * ("publish message.received", "complete on speech"). `secrets` (the connection string, its key)
 * are cut out of the message, and so is any SharedAccessKey/signature the text may carry.
 */
export function translateServiceBusError(error: unknown, action: string, secrets: readonly string[] = []): TalkbackError {
  if (isTalkbackError(error)) return error;
  const e: ErrorFields = typeof error === 'object' && error !== null ? error : {};
  const text = typeof e.message === 'string' && e.message !== '' ? e.message : String(error);
  const sdkCode = typeof e.code === 'string' ? e.code : undefined;
  const ownRetryable = typeof e.retryable === 'boolean' ? e.retryable : true;
  const message = (label: string) => redact(`Service Bus: ${action} failed (${label}): ${text}`, secrets);

  if (e.name === 'ServiceBusError' || e.name === 'MessagingError') {
    const code = sdkCode === undefined ? 'GeneralError' : (AMQP_CODES[sdkCode] ?? sdkCode);
    const rule = RULES[code] ?? (typeof e.syscall === 'string' ? NETWORK : undefined);
    return new TalkbackError(rule?.code ?? (ownRetryable ? 'BusFailed' : 'BusRejected'), message(code), {
      retryAfterMs: rule?.retryAfterMs,
      cause: error,
      details: { serviceBusCode: code },
    });
  }
  if (text.includes(ALREADY_SETTLED)) {
    return new TalkbackError('LockLost', message('already settled'), { cause: error });
  }
  if (typeof e.syscall === 'string') {
    return new TalkbackError('ServiceUnavailable', message(sdkCode ?? e.syscall), { cause: error });
  }
  if (e.name === 'AbortError' || e.name === 'TimeoutError') {
    return new TalkbackError('Timeout', message('timed out'), { cause: error });
  }
  // Unknown: retryable, like core's toTalkbackError — a redelivery after a fix can still succeed.
  return new TalkbackError('BusFailed', message(sdkCode ?? (typeof e.name === 'string' ? e.name : 'error')), {
    cause: error,
  });
}

/** Keys and SAS signatures the SDK may echo from a connection string we were not told about. */
const KEY_PATTERNS = [/(SharedAccessKey\s*=\s*)[^;"'\s]+/gi, /(SharedAccessSignature\s*=?\s*)[^;"'\s]+/gi, /(\bsig=)[^&;"'\s]+/gi];

function redact(text: string, secrets: readonly string[]): string {
  return KEY_PATTERNS.reduce((t, pattern) => t.replace(pattern, `$1${REDACTED}`), redactSecrets(text, secrets));
}
