import { TalkbackError, isTalkbackError } from '../../core/errors.js';
import { redactSecrets } from '../../core/redact.js';
import { retryAfterMs as parseRetryAfter } from '../../core/retry-after.js';

/**
 * Turns what @sendgrid/mail throws into a TalkbackError:
 * - ResponseError (numeric `code` = HTTP status, `response.headers`, `response.body.errors[]`):
 *   429 Throttled (retryAfterMs from Retry-After or X-RateLimit-Reset), 408 Timeout, 5xx
 *   ServiceUnavailable — retryable; 401/403 Unauthorized, any other 4xx MailRejected — permanent,
 *   with SendGrid's `errors[].message` and `field` in the message and details (they end up on the record).
 * - axios errors without a response (string `code`: ECONNREFUSED, ECONNRESET, ECONNABORTED on timeout...):
 *   retryable; Timeout for timeouts, ServiceUnavailable otherwise.
 * - anything else was thrown by @sendgrid/helpers while building the request (a malformed mail): permanent.
 * The raw error is never kept as `cause`: axios errors carry the request config, Authorization included.
 * `secrets` are cut out of every string that is kept.
 */
export function translateSendGridError(error: unknown, idempotencyKey: string, secrets: readonly string[]): TalkbackError {
  if (isTalkbackError(error)) return error;
  const e = (typeof error === 'object' && error !== null ? error : {}) as {
    code?: unknown;
    message?: unknown;
    isAxiosError?: unknown;
    response?: { headers?: Record<string, unknown>; body?: unknown };
  };
  const redact = (text: string) => redactSecrets(text, secrets);
  const rawMessage = typeof e.message === 'string' && e.message !== '' ? e.message : String(error);

  if (typeof e.code === 'number') {
    const status = e.code;
    const problems = sendGridProblems(e.response?.body).map((p) => ({
      message: redact(p.message),
      ...(p.field === undefined ? {} : { field: redact(p.field) }),
    }));
    const listed = problems.map((p) => (p.field === undefined ? p.message : `${p.message} (${p.field})`)).join('; ');
    const message = redact(`SendGrid answered ${status}${listed === '' ? `: ${rawMessage}` : `: ${listed}`}`);
    const details = { status, errors: problems, idempotencyKey };
    if (status === 429) {
      return new TalkbackError('Throttled', message, { retryAfterMs: retryAfterMs(e.response?.headers), details });
    }
    if (status === 408) return new TalkbackError('Timeout', message, { details });
    if (status >= 500) return new TalkbackError('ServiceUnavailable', message, { details });
    if (status === 401 || status === 403) return new TalkbackError('Unauthorized', message, { details });
    return new TalkbackError('MailRejected', message, { details });
  }

  if (e.isAxiosError === true || typeof e.code === 'string') {
    const networkCode = typeof e.code === 'string' ? e.code : 'no response';
    const timedOut = networkCode === 'ECONNABORTED' || networkCode === 'ETIMEDOUT' || /timeout/i.test(rawMessage);
    return new TalkbackError(timedOut ? 'Timeout' : 'ServiceUnavailable', redact(`SendGrid unreachable (${networkCode}): ${rawMessage}`), {
      details: { networkCode, idempotencyKey },
    });
  }

  return new TalkbackError('MailRejected', redact(`SendGrid request not built: ${rawMessage}`), {
    details: { idempotencyKey },
  });
}

/** SendGrid's error body: `{ errors: [{ message, field, help }] }`; field may be null. */
function sendGridProblems(body: unknown): { message: string; field?: string }[] {
  const errors = (body as { errors?: unknown } | null | undefined)?.errors;
  if (!Array.isArray(errors)) return [];
  return errors.flatMap((item: { message?: unknown; field?: unknown }) =>
    typeof item?.message === 'string'
      ? [{ message: item.message, ...(typeof item.field === 'string' && item.field !== '' ? { field: item.field } : {}) }]
      : [],
  );
}

/**
 * Retry-After as delay-seconds or an HTTP date; failing that, SendGrid's X-RateLimit-Reset (Unix
 * seconds when the rate-limit window reopens). Undefined when neither says anything usable.
 */
export function retryAfterMs(headers: Record<string, unknown> | undefined, now = Date.now()): number | undefined {
  const fromRetryAfter = parseRetryAfter(headers?.['retry-after'], now);
  if (fromRetryAfter !== undefined) return fromRetryAfter;
  const value = headers?.['x-ratelimit-reset'];
  const reset = typeof value === 'string' ? value.trim() : typeof value === 'number' ? String(value) : '';
  return /^\d+$/.test(reset) ? Math.max(0, Number(reset) * 1000 - now) : undefined;
}
