import { createHttpHeaders, createPipelineRequest, RestError } from '@azure/core-rest-pipeline';
import { describe, expect, it } from 'vitest';
import { failedOperationError, translateAcsEmailError } from '../../../../adapters/mail/acs-email-errors.js';
import { TalkbackError } from '../../../../core/errors.js';

const request = createPipelineRequest({ url: 'https://acs.example.com/emails:send?api-version=2025-09-01' });
const SECRET = 'c2VjcmV0LWFjY2Vzcy1rZXk=';
const context = { idempotencyKey: 'k', secrets: [SECRET] };

function restError(statusCode: number | undefined, code?: string, headers: Record<string, string> = {}, message = `status ${statusCode}`): RestError {
  const response = statusCode === undefined ? undefined : { status: statusCode, headers: createHttpHeaders(headers), request };
  return new RestError(message, { statusCode, code, request, response });
}

describe('translateAcsEmailError', () => {
  it.each([
    [400, 'BadRequest', 'MailRejected', false],
    [401, 'Denied', 'Unauthorized', false],
    [403, 'Forbidden', 'Unauthorized', false],
    [404, 'NotFound', 'MailRejected', false],
    [413, 'RequestEntityTooLarge', 'MailRejected', false],
    [408, 'RequestTimeout', 'Timeout', true],
    [429, 'TooManyRequests', 'Throttled', true],
    [500, 'InternalError', 'ServiceUnavailable', true],
    [503, 'ServiceUnavailable', 'ServiceUnavailable', true],
  ] as const)('maps HTTP %i (%s) to %s, retryable %s', (status, serviceCode, code, retryable) => {
    const error = translateAcsEmailError(restError(status, serviceCode), context);
    expect(error).toBeInstanceOf(TalkbackError);
    expect({ code: error.code, retryable: error.retryable }).toEqual({ code, retryable });
    expect(error.details).toEqual({ idempotencyKey: 'k', status, serviceCode });
    expect(error.cause).toBeUndefined();
  });

  it('takes the delay from retry-after-ms, x-ms-retry-after-ms or Retry-After, in that order', () => {
    expect(translateAcsEmailError(restError(429, 'T', { 'retry-after': '7' }), context).retryAfterMs).toBe(7000);
    expect(translateAcsEmailError(restError(429, 'T', { 'x-ms-retry-after-ms': '250', 'retry-after': '7' }), context).retryAfterMs).toBe(250);
    expect(translateAcsEmailError(restError(503, 'T', { 'retry-after-ms': '40', 'x-ms-retry-after-ms': '250' }), context).retryAfterMs).toBe(40);
    expect(translateAcsEmailError(restError(429, 'T', { 'retry-after': 'soon' }), context).retryAfterMs).toBeUndefined();
    expect(translateAcsEmailError(restError(400, 'T', { 'retry-after': '7' }), context).retryAfterMs).toBeUndefined();
  });

  it('treats a RestError without a status as a retryable network failure', () => {
    const error = translateAcsEmailError(restError(undefined, 'ECONNRESET', {}, 'socket hang up'), context);
    expect(error).toMatchObject({ code: 'ServiceUnavailable', retryable: true, details: { networkCode: 'ECONNRESET' } });
  });

  it('treats an abort as a retryable Timeout and a model error as permanent', () => {
    const abort = Object.assign(new Error('The operation was aborted.'), { name: 'AbortError' });
    expect(translateAcsEmailError(abort, context)).toMatchObject({ code: 'Timeout', retryable: true });
    expect(translateAcsEmailError(new Error('message.senderAddress cannot be null or undefined.'), context)).toMatchObject({
      code: 'MailRejected',
      retryable: false,
    });
  });

  it('cuts the secrets out of every message kept', () => {
    const error = translateAcsEmailError(restError(400, `bad ${SECRET}`, {}, `Invalid connection string endpoint=x;accesskey=${SECRET}`), context);
    expect(`${error.message} ${JSON.stringify(error.details)}`).not.toContain(SECRET);
    expect(error.message).toContain('[redacted]');
  });

  it('passes a TalkbackError through', () => {
    const original = new TalkbackError('Throttled', 'x');
    expect(translateAcsEmailError(original, context)).toBe(original);
  });
});

describe('failedOperationError', () => {
  it('is permanent, with ACS’s code and message and the operation id', () => {
    const error = failedOperationError(
      { id: 'op-1', status: 'Failed', error: { code: 'EmailDropped', message: 'Email was dropped after several attempts to deliver.' } },
      context,
    );
    expect(error).toMatchObject({
      code: 'MailRejected',
      retryable: false,
      details: { idempotencyKey: 'k', operationId: 'op-1', status: 'Failed', serviceCode: 'EmailDropped' },
    });
    expect(error.message).toBe('ACS Email send operation op-1 ended Failed (EmailDropped): Email was dropped after several attempts to deliver.');
  });
});
