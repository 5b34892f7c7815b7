import { codeForStatus, isTalkbackError, TalkbackError } from '../../core/errors.js';
import { retryAfterMs } from '../../core/retry-after.js';

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

/**
 * Blob storage SDK error -> TalkbackError. A RestError without a status is a network failure
 * (retryable); an AbortError is our request timeout. `action` says what failed, e.g. "upload audio/x.mp3".
 */
export function toBlobStorageError(error: unknown, action: string): TalkbackError {
  if (isTalkbackError(error)) return error;
  if (isRestError(error)) {
    const status = error.statusCode;
    const detail = error.code ?? (status === undefined ? 'network error' : `HTTP ${status}`);
    return new TalkbackError(codeForStatus(status, 'StorageFailed', 'StorageRejected'), `Blob storage: ${action} failed (${detail})`, {
      retryAfterMs: retryAfterMs(error.response?.headers.get('retry-after')),
      cause: error,
      details: { statusCode: status, storageCode: error.code },
    });
  }
  const name = typeof error === 'object' && error !== null ? (error as { name?: unknown }).name : undefined;
  if (name === 'AbortError' || name === 'TimeoutError') {
    return new TalkbackError('Timeout', `Blob storage: ${action} timed out`, { cause: error });
  }
  const message = error instanceof Error ? error.message : String(error);
  return new TalkbackError('StorageFailed', `Blob storage: ${action} failed: ${message}`, {
    cause: error,
  });
}
