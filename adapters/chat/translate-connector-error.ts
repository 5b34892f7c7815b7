import { TalkbackError, codeForStatus, isTalkbackError, type ErrorCode } from '../../core/errors.js';
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
 * The code of a channel's answer; the failure policy (core/failure-policy.ts) decides the retry.
 * 403 (the bot was blocked or removed: Unauthorized) and 404 (the conversation is gone: NotFound)
 * are permanent, and so is any other 4xx (400 and the rest: the channel refuses this reply,
 * ReplyRejected) but 408 (Timeout), 412 (the conversation is busy: Busy) and 429 (Throttled);
 * 5xx (ServiceUnavailable) and no answer at all (ReplyFailed) are retried.
 */
function codeForChannelStatus(status: number | undefined): ErrorCode {
  if (status === 412) return 'Busy';
  const code = codeForStatus(status, 'ReplyFailed', 'ReplyRejected');
  return code === 'BadRequest' ? 'ReplyRejected' : code;
}

/** A failed proactive send → a TalkbackError with the channel's Retry-After when it gave one. */
export function translateConnectorError(error: unknown): TalkbackError {
  // Already decided by the bounded connector (a timeout, an endpoint cooling down or busy).
  if (isTalkbackError(error)) return error;
  const e = (error ?? {}) as ConnectorErrorShape;
  const status = typeof e.statusCode === 'number' ? e.statusCode : typeof e.status === 'number' ? e.status : undefined;
  // Its first line only: a RestError's message may go on with the request it failed on.
  const message = (typeof e.message === 'string' ? e.message : String(error)).split('\n')[0]?.slice(0, 300) ?? '';
  if (status === undefined && e.name === 'AbortError') {
    return new TalkbackError('Timeout', `chat reply aborted: ${message}`, { cause: error });
  }
  const after = retryAfterMs(header(e, 'retry-after'));
  return new TalkbackError(codeForChannelStatus(status), `chat reply failed${status ? ` (${status})` : ''}: ${message}`, {
    cause: error,
    ...(after === undefined ? {} : { retryAfterMs: after }),
  });
}
