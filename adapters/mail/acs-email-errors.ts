import { TalkbackError, isTalkbackError } from '../../core/errors.js';
import { redactSecrets } from '../../core/redact.js';
import { retryAfterMs as parseRetryAfter } from '../../core/retry-after.js';

export interface AcsErrorContext {
  idempotencyKey: string;
  /** The send operation's id, once ACS accepted the request. */
  operationId?: string | undefined;
  /** Cut out of every message kept (the connection string, the access key). */
  secrets: readonly string[];
}

interface RestErrorLike {
  name: 'RestError';
  message: string;
  statusCode?: number;
  code?: string;
  response?: { headers: { get(name: string): string | undefined } };
}

const isRestError = (error: unknown): error is RestErrorLike =>
  typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'RestError';

/**
 * Turns what @azure/communication-email throws into a TalkbackError:
 * - RestError with a status (the message and `code` are ACS's own, from `{ error: { code, message } }`):
 *   429 Throttled and 5xx ServiceUnavailable — retryable, retryAfterMs from retry-after-ms,
 *   x-ms-retry-after-ms or Retry-After; 408 Timeout — retryable; 401/403 Unauthorized and any other
 *   4xx MailRejected — permanent, with ACS's message (it ends up on the record).
 * - RestError without a status (ECONNREFUSED, ECONNRESET, REQUEST_SEND_ERROR): ServiceUnavailable, retryable.
 * - AbortError / TimeoutError: Timeout, retryable (the caller aborts when its bound runs out).
 * - anything else was thrown while building the request (the SDK's model validation): permanent.
 * The raw error is never kept as `cause`: its request carries the signature or a bearer token.
 */
export function translateAcsEmailError(error: unknown, context: AcsErrorContext): TalkbackError {
  if (isTalkbackError(error)) return error;
  const redact = (text: string) => redactSecrets(text, context.secrets);
  const base = {
    idempotencyKey: context.idempotencyKey,
    ...(context.operationId === undefined ? {} : { operationId: context.operationId }),
  };
  const rawMessage = redact(error instanceof Error && error.message !== '' ? error.message : String(error));

  if (isRestError(error) && error.statusCode !== undefined) {
    const status = error.statusCode;
    const serviceCode = error.code === undefined ? undefined : redact(error.code);
    const message = `ACS Email answered ${status}${serviceCode === undefined ? '' : ` (${serviceCode})`}: ${rawMessage}`;
    const details = { ...base, status, ...(serviceCode === undefined ? {} : { serviceCode }) };
    const retryAfterMs = retryAfter(error.response?.headers);
    const delay = retryAfterMs === undefined ? {} : { retryAfterMs };
    if (status === 429) return new TalkbackError('Throttled', message, { ...delay, details });
    if (status === 408) return new TalkbackError('Timeout', message, { ...delay, details });
    if (status >= 500) return new TalkbackError('ServiceUnavailable', message, { ...delay, details });
    if (status === 401 || status === 403) return new TalkbackError('Unauthorized', message, { details });
    return new TalkbackError('MailRejected', message, { details });
  }

  if (isRestError(error)) {
    const networkCode = error.code ?? 'no response';
    return new TalkbackError('ServiceUnavailable', `ACS Email unreachable (${networkCode}): ${rawMessage}`, {
      details: { ...base, networkCode },
    });
  }

  const name = typeof error === 'object' && error !== null ? (error as { name?: unknown }).name : undefined;
  if (name === 'AbortError' || name === 'TimeoutError') {
    return new TalkbackError('Timeout', `ACS Email did not answer in time: ${rawMessage}`, { details: base });
  }

  return new TalkbackError('MailRejected', `ACS Email request not built: ${rawMessage}`, { details: base });
}

/**
 * A send operation that ended Failed or Canceled (its status body: `{ id, status, error: { code, message } }`):
 * permanent, with ACS's code and message.
 */
export function failedOperationError(
  result: { id?: string; status?: string; error?: { code?: string; message?: string } },
  context: AcsErrorContext,
): TalkbackError {
  const redact = (text: string) => redactSecrets(text, context.secrets);
  const serviceCode = result.error?.code === undefined ? undefined : redact(result.error.code);
  const reason = result.error?.message === undefined ? 'no reason given' : redact(result.error.message);
  const message = `ACS Email send operation ${result.id ?? context.operationId ?? '?'} ended ${result.status ?? 'unsuccessfully'}${serviceCode === undefined ? '' : ` (${serviceCode})`}: ${reason}`;
  return new TalkbackError('MailRejected', message, {
    details: {
      idempotencyKey: context.idempotencyKey,
      operationId: result.id ?? context.operationId,
      status: result.status,
      ...(serviceCode === undefined ? {} : { serviceCode }),
    },
  });
}

/** Azure's millisecond headers first, then Retry-After (seconds or an HTTP date). */
function retryAfter(headers: { get(name: string): string | undefined } | undefined): number | undefined {
  if (headers === undefined) return undefined;
  for (const name of ['retry-after-ms', 'x-ms-retry-after-ms']) {
    const value = headers.get(name)?.trim();
    if (value !== undefined && /^\d+$/.test(value)) return Number(value);
  }
  return parseRetryAfter(headers.get('retry-after'));
}
