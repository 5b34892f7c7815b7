import { describe, expect, it } from 'vitest';
import { retryAfterMs, translateSendGridError } from '../../../../adapters/mail/sendgrid-errors.js';

describe('retryAfterMs', () => {
  const now = Date.parse('2025-01-05T03:04:05.000Z');

  it('reads delay-seconds, an HTTP date, then X-RateLimit-Reset', () => {
    expect(retryAfterMs({ 'retry-after': '7' }, now)).toBe(7000);
    expect(retryAfterMs({ 'retry-after': ' 1.5 ' }, now)).toBe(1500);
    expect(retryAfterMs({ 'retry-after': 'Sun, 05 Jan 2025 03:04:35 GMT' }, now)).toBe(30_000);
    expect(retryAfterMs({ 'retry-after': 'Sun, 05 Jan 2025 03:00:00 GMT' }, now)).toBe(0);
    expect(retryAfterMs({ 'x-ratelimit-reset': String(now / 1000 + 12) }, now)).toBe(12_000);
    expect(retryAfterMs({ 'retry-after': '3', 'x-ratelimit-reset': String(now / 1000 + 12) }, now)).toBe(3000);
  });

  it('is undefined when nothing usable is said', () => {
    expect(retryAfterMs(undefined, now)).toBeUndefined();
    expect(retryAfterMs({}, now)).toBeUndefined();
    expect(retryAfterMs({ 'retry-after': 'soon' }, now)).toBeUndefined();
  });
});

describe('translateSendGridError', () => {
  it('treats an error thrown while building the request as permanent', () => {
    const error = translateSendGridError(new Error('Expected each `content` entry to contain a `type` string'), 'k', []);
    expect(error).toMatchObject({ code: 'MailRejected', retryable: false, details: { idempotencyKey: 'k' } });
  });

  it('maps 408 to a retryable Timeout', () => {
    const error = translateSendGridError({ code: 408, message: 'Request Timeout', response: { headers: {}, body: '' } }, 'k', []);
    expect(error).toMatchObject({ code: 'Timeout', retryable: true, details: { status: 408 } });
    expect(error.message).toContain('Request Timeout');
  });
});
