import { TalkbackError, codeForStatus, isTalkbackError } from '../../core/errors.js';
import { isRetryableCode } from '../../core/failure-policy.js';
import { redactSecrets } from '../../core/redact.js';

/**
 * Turns what @azure/cosmos throws into a TalkbackError. The SDK throws ErrorResponse with the HTTP
 * status in `code` (number) and `retryAfterInMs` on 429; network failures arrive as RestError or
 * Node errors with a string `code` (ECONNREFUSED...) and no status; its own timeout is `TimeoutError`.
 * `secrets` (the account key, the connection string) are cut out of the message.
 */
export function translateCosmosError(error: unknown, action: string, secrets: readonly string[] = []): TalkbackError {
  if (isTalkbackError(error)) return error;
  const e = (typeof error === 'object' && error !== null ? error : {}) as {
    code?: unknown;
    statusCode?: unknown;
    name?: unknown;
    message?: unknown;
    retryAfterInMs?: unknown;
  };
  const status = statusOf(e.code) ?? statusOf(e.statusCode);
  const timedOut = status === undefined && (e.code === 'TimeoutError' || e.name === 'TimeoutError' || e.name === 'AbortError');
  // 449 (RetryWith) is Cosmos asking for a retry; no status at all means the request never got an answer.
  const code = timedOut ? 'Timeout' : status === 449 ? 'StorageFailed' : codeForStatus(status, 'StorageFailed', 'StorageRejected');
  const retryAfterMs = isRetryableCode(code) && typeof e.retryAfterInMs === 'number' && e.retryAfterInMs > 0 ? e.retryAfterInMs : undefined;
  const detail = typeof e.message === 'string' && e.message !== '' ? e.message : String(error);
  const label = status ?? (typeof e.code === 'string' ? e.code : 'no status');
  return new TalkbackError(code, redactSecrets(`Cosmos DB ${action} failed (${label}): ${detail}`, secrets), {
    retryAfterMs,
    cause: error,
    details: status === undefined ? undefined : { status },
  });
}

/** The HTTP status of an SDK error, or undefined when there was no response. */
export function cosmosStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null) return undefined;
  const e = error as { code?: unknown; statusCode?: unknown };
  return statusOf(e.code) ?? statusOf(e.statusCode);
}

function statusOf(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 100 && value < 600 ? value : undefined;
}
