import { TalkbackError, codeForStatus, isRetryableStatus } from '../core/errors.js';

/**
 * A failed proactive send. The channel answered: 429/5xx retry, other 4xx (the bot was removed from
 * the conversation, the conversation is gone) are permanent. No answer at all (network) retries.
 */
export function translateConnectorError(error: unknown): TalkbackError {
  const e = error as { statusCode?: unknown; status?: unknown; code?: unknown; message?: unknown };
  const status = typeof e.statusCode === 'number' ? e.statusCode : typeof e.status === 'number' ? e.status : undefined;
  const message = typeof e.message === 'string' ? e.message : String(error);
  const code = status === undefined ? 'ReplyFailed' : codeForStatus(status, 'ReplyFailed');
  return new TalkbackError(code === 'BadRequest' ? 'ReplyFailed' : code, `chat reply failed${status ? ` (${status})` : ''}: ${message}`, {
    retryable: isRetryableStatus(status),
    cause: error,
  });
}
