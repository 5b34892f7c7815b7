import { codeForStatus, isRetryableStatus, isTalkbackError, TalkbackError } from '../../core/errors.js';

interface RestErrorLike {
  name: string;
  message: string;
  statusCode?: number;
  code?: string;
  response?: { headers: { get(name: string): string | undefined } };
}

function isRestError(error: unknown): error is RestErrorLike {
  return typeof error === 'object' && error !== null && (error as { name?: unknown }).name === 'RestError';
}

function retryAfterMs(error: RestErrorLike): number | undefined {
  const header = error.response?.headers.get('retry-after');
  if (header === undefined) return undefined;
  const seconds = Number(header);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

/**
 * Blob storage SDK error -> TalkbackError. A RestError without a status is a network failure
 * (retryable); an AbortError is our request timeout. `action` says what failed, e.g. "upload audio/x.mp3".
 */
export function toBlobStorageError(error: unknown, action: string): TalkbackError {
  if (isTalkbackError(error)) return error;
  if (isRestError(error)) {
    const status = error.statusCode;
    const detail = error.code ?? (status === undefined ? 'network error' : `HTTP ${status}`);
    return new TalkbackError(codeForStatus(status, 'StorageFailed'), `Blob storage: ${action} failed (${detail})`, {
      retryable: isRetryableStatus(status),
      retryAfterMs: retryAfterMs(error),
      cause: error,
      details: { statusCode: status, storageCode: error.code },
    });
  }
  const name = typeof error === 'object' && error !== null ? (error as { name?: unknown }).name : undefined;
  if (name === 'AbortError' || name === 'TimeoutError') {
    return new TalkbackError('Timeout', `Blob storage: ${action} timed out`, { retryable: true, cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new TalkbackError('StorageFailed', `Blob storage: ${action} failed: ${message}`, {
    retryable: true,
    cause: error,
  });
}
