import { TalkbackError, codeForStatus, isTalkbackError } from '../../core/errors.js';
import { isRetryableCode } from '../../core/failure-policy.js';
import { retryAfterMs } from '../../core/retry-after.js';

interface ConnectorErrorShape {
  name?: unknown;
  statusCode?: unknown;
  status?: unknown;
  message?: unknown;
  response?: { headers?: { get?: (name: string) => string | undefined } | Record<string, unknown> };
}

function header(error: ConnectorErrorShape, name: string): unknown {
  const headers = error.response?.headers;
  if (!headers) return undefined;
  if (typeof headers.get === 'function') return (headers as { get(n: string): string | undefined }).get(name);
  return (headers as Record<string, unknown>)[name];
}

/**
 * A failed proactive send, mapped to a code; whether it is retried is the failure policy's
 * (core/failure-policy.ts): 403 (the bot was blocked) and 404 (the conversation is gone) are
 * permanent; 412, 429, 5xx and no answer at all (network, timeout) are retried, after the
 * channel's Retry-After when it gave one.
 */
export function translateConnectorError(error: unknown): TalkbackError {
  // Already decided by the bounded connector (a timeout, an endpoint cooling down or busy).
  if (isTalkbackError(error)) return error;
  const e = (error ?? {}) as ConnectorErrorShape;
  const status = typeof e.statusCode === 'number' ? e.statusCode : typeof e.status === 'number' ? e.status : undefined;
  // Its first line only: a RestError's message may go on with the request it failed on.
  const message = (typeof e.message === 'string' ? e.message : String(error)).split('\n')[0]?.slice(0, 300) ?? '';
  if (status === undefined && e.name === 'AbortError') {
    return new TalkbackError('Timeout', `chat reply aborted: ${message}`, { retryable: true, cause: error });
  }
  const mapped = status === undefined ? 'ReplyFailed' : codeForStatus(status, 'ReplyFailed');
  const code = mapped === 'BadRequest' ? 'ReplyFailed' : mapped;
  // No answer (network, timeout) and a refused precondition (412: the conversation is busy) are worth another try.
  const retryable = status === undefined || status === 412 || isRetryableCode(code);
  const after = retryAfterMs(header(e, 'retry-after'));
  return new TalkbackError(code, `chat reply failed${status ? ` (${status})` : ''}: ${message}`, {
    retryable,
    cause: error,
    ...(after === undefined ? {} : { retryAfterMs: after }),
  });
}
