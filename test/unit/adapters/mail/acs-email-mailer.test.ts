import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AcsEmailMailer, IDEMPOTENCY_HEADER, type AcsEmailMailerOptions } from '../../../../adapters/mail/acs-email-mailer.js';
import type { OutgoingMail } from '../../../../adapters/ports.js';
import { isTalkbackError, type TalkbackError } from '../../../../core/errors.js';
import { ACS_EMAIL_API_VERSION, startAcsEmailServer, type AcsEmailServer } from '../../../support/acs-email-server.js';

function mail(overrides: Partial<OutgoingMail> = {}): OutgoingMail {
  return {
    idempotencyKey: 'corr-123',
    from: 'talkback@example.com',
    to: ['staff@example.com', 'manager@example.com'],
    subject: '[talkback] 김민지 (Web Chat): 안녕하세요',
    text: 'Transcript:\n안녕하세요 😀',
    html: '<p>안녕하세요 😀</p>',
    attachments: [],
    ...overrides,
  };
}

async function sendError(mailer: AcsEmailMailer, outgoing = mail()): Promise<TalkbackError> {
  const error: unknown = await mailer.send(outgoing).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isTalkbackError(error)) throw new Error(`expected a TalkbackError, got ${inspect(error)}`);
  return error;
}

describe('AcsEmailMailer', () => {
  let server: AcsEmailServer;
  const mailers: AcsEmailMailer[] = [];
  const mailerFor = (options: Partial<AcsEmailMailerOptions> = {}) => {
    const created = new AcsEmailMailer({ connectionString: server.connectionString, pollIntervalMs: 10, ...options });
    mailers.push(created);
    return created;
  };

  beforeEach(async () => {
    server = await startAcsEmailServer({ runningPolls: 2 });
  });
  afterEach(async () => {
    await Promise.all(mailers.splice(0).map((m) => m.close()));
    await server.stop();
  });

  it('sends the exact EmailMessage, signed, polls until Succeeded and answers the operation id', async () => {
    const audio = Buffer.concat([Buffer.from('ID3\u0004\u0000', 'latin1'), randomBytes(5_000)]);
    const { messageId } = await mailerFor().send(
      mail({
        to: ['staff@example.com', 'Staff@Example.com', 'manager@example.com'],
        attachments: [{ filename: '음성.mp3', contentType: 'audio/mpeg', content: audio }],
      }),
    );

    expect(server.accepted).toHaveLength(1);
    const [email] = server.accepted;
    expect(email?.message).toEqual({
      senderAddress: 'talkback@example.com',
      recipients: { to: [{ address: 'staff@example.com' }, { address: 'manager@example.com' }] },
      content: { subject: '[talkback] 김민지 (Web Chat): 안녕하세요', plainText: 'Transcript:\n안녕하세요 😀', html: '<p>안녕하세요 😀</p>' },
      attachments: [{ name: '음성.mp3', contentType: 'audio/mpeg', contentInBase64: audio.toString('base64') }],
      headers: { [IDEMPOTENCY_HEADER]: 'corr-123' },
      userEngagementTrackingDisabled: true,
    });
    expect(messageId).toBe(email?.operationId);
    // One send, then status polls (Running, Running, Succeeded), every one signed and verified.
    expect(server.received.map((r) => [r.method, r.url.replace(/[0-9a-f-]{36}/, '{id}'), r.status])).toEqual([
      ['POST', `/emails:send?api-version=${ACS_EMAIL_API_VERSION}`, 202],
      ['GET', `/emails/operations/{id}?api-version=${ACS_EMAIL_API_VERSION}`, 200],
      ['GET', `/emails/operations/{id}?api-version=${ACS_EMAIL_API_VERSION}`, 200],
      ['GET', `/emails/operations/{id}?api-version=${ACS_EMAIL_API_VERSION}`, 200],
    ]);
    expect(server.received[0]?.headers['x-ms-content-sha256']).toMatch(/^[A-Za-z0-9+/]{43}=$/);
  });

  it('leaves out an empty body part', async () => {
    await mailerFor().send(mail({ html: '' }));
    expect(server.accepted[0]?.message.content).toEqual({ subject: mail().subject, plainText: mail().text });
  });

  it('turns 429 with Retry-After into a retryable Throttled with retryAfterMs, without retrying itself', async () => {
    server.respondWith([
      { status: 429, headers: { 'retry-after': '7' }, body: { error: { code: 'TooManyRequests', message: 'Rate limit of 30 emails per minute exceeded.' } } },
    ]);
    const error = await sendError(mailerFor());
    expect(error).toMatchObject({ code: 'Throttled', retryable: true, retryAfterMs: 7000, details: { status: 429, serviceCode: 'TooManyRequests' } });
    expect(error.message).toContain('Rate limit of 30 emails per minute exceeded.');
    expect(server.received).toHaveLength(1);
  });

  it('reads retry-after-ms before Retry-After', async () => {
    server.respondWith([{ status: 503, headers: { 'retry-after-ms': '1500', 'retry-after': '9' }, body: { error: { code: 'ServiceUnavailable', message: 'busy' } } }]);
    expect(await sendError(mailerFor())).toMatchObject({ code: 'ServiceUnavailable', retryable: true, retryAfterMs: 1500 });
  });

  it.each([500, 502, 503])('turns %i into a retryable ServiceUnavailable', async (status) => {
    server.respondWith([{ status, body: { error: { code: 'InternalError', message: 'oops' } } }]);
    expect(await sendError(mailerFor())).toMatchObject({ code: 'ServiceUnavailable', retryable: true, details: { status } });
  });

  it('turns a 4xx into a permanent MailRejected that keeps ACS’s code and message', async () => {
    server.respondWith([
      { status: 400, body: { error: { code: 'InvalidSenderUserName', message: 'The sender username is not valid for the verified domain.' } } },
    ]);
    const error = await sendError(mailerFor());
    expect(error).toMatchObject({
      code: 'MailRejected',
      retryable: false,
      details: { status: 400, serviceCode: 'InvalidSenderUserName', idempotencyKey: 'corr-123' },
    });
    expect(error.message).toContain('The sender username is not valid for the verified domain.');
  });

  it('is refused by the stand-in’s own validation for an email ACS would refuse', async () => {
    const error = await sendError(mailerFor(), mail({ subject: '' }));
    expect(server.received[0]?.status).toBe(400);
    expect(error).toMatchObject({ code: 'MailRejected', retryable: false });
    expect(error.message).toContain('content.subject is required');
  });

  it('turns a wrong access key (401) into a permanent Unauthorized, without the key in it', async () => {
    const wrongKey = randomBytes(64).toString('base64');
    const error = await sendError(mailerFor({ connectionString: `endpoint=${server.endpoint};accesskey=${wrongKey}` }));
    expect(server.received.map((r) => r.status)).toEqual([401]);
    expect(server.accepted).toHaveLength(0);
    expect(error).toMatchObject({ code: 'Unauthorized', retryable: false, details: { status: 401 } });
    expect(error.message).toContain('signature does not match');
    expect(`${error.message} ${JSON.stringify(error.details)}`).not.toContain(wrongKey);
  });

  it('turns an operation that ends Failed into a permanent MailRejected with ACS’s reason', async () => {
    server.endOperationsWith({ status: 'Failed', error: { code: 'EmailDropped', message: 'Email was dropped after several attempts to deliver.' } });
    const error = await sendError(mailerFor());
    expect(error).toMatchObject({ code: 'MailRejected', retryable: false, details: { status: 'Failed', serviceCode: 'EmailDropped' } });
    expect(error.message).toContain('Email was dropped after several attempts to deliver.');
    expect(error.details?.['operationId']).toBe(server.accepted[0]?.operationId);
  });

  it('turns an operation that ends Canceled into a permanent MailRejected', async () => {
    server.endOperationsWith({ status: 'Canceled', error: { code: 'OperationCanceled', message: 'The operation was canceled.' } });
    expect(await sendError(mailerFor())).toMatchObject({ code: 'MailRejected', retryable: false, details: { status: 'Canceled' } });
  });

  it('gives up polling an operation that stays Running after sendTimeoutMs: a retryable Timeout naming the operation', async () => {
    server.endOperationsWith({ status: 'Running' });
    const error = await sendError(mailerFor({ sendTimeoutMs: 2_000 }));
    expect(error).toMatchObject({ code: 'Timeout', retryable: true, details: { timeoutMs: 2_000 } });
    expect(error.details?.['operationId']).toBe(server.accepted[0]?.operationId);
    expect(error.message).toContain('a retry may send a second copy');
    expect(server.received.filter((r) => r.method === 'GET').length).toBeGreaterThan(0);
  });

  it('turns a refused connection into a retryable ServiceUnavailable', async () => {
    const { connectionString } = server;
    await server.stop();
    expect(await sendError(mailerFor({ connectionString }))).toMatchObject({ code: 'ServiceUnavailable', retryable: true });
  });

  it('sends to 50 distinct recipients and refuses 51 permanently, sending nothing', async () => {
    const staff = (n: number) => Array.from({ length: n }, (_, i) => `staff${i}@example.com`);
    await mailerFor().send(mail({ to: [...staff(50), 'STAFF0@example.com'] }));
    expect(server.accepted[0]?.message.recipients.to).toHaveLength(50);
    const error = await sendError(mailerFor(), mail({ to: staff(51) }));
    expect(error).toMatchObject({ code: 'MailRejected', retryable: false, details: { recipients: 51 } });
    expect(server.accepted).toHaveLength(1);
  });

  it('leaves off an attachment that would take the request over 10 MB and still sends the email', async () => {
    const big = randomBytes(8 * 1024 * 1024);
    const small = randomBytes(1_000);
    await mailerFor().send(
      mail({
        attachments: [
          { filename: 'big.mp3', contentType: 'audio/mpeg', content: big },
          { filename: 'small.mp3', contentType: 'audio/mpeg', content: small },
        ],
      }),
    );
    expect(server.accepted[0]?.message.attachments).toEqual([{ name: 'small.mp3', contentType: 'audio/mpeg', contentInBase64: small.toString('base64') }]);
    expect(server.accepted[0]?.message.content.plainText).toBe(mail().text);
  });

  it('keeps to maxPerMinute: a send whose slot is further off than throttleMaxWaitMs fails retryable with retryAfterMs', async () => {
    const mailer = mailerFor({ maxPerMinute: 1, throttleMaxWaitMs: 0 });
    await mailer.send(mail());
    const error = await sendError(mailer, mail({ idempotencyKey: 'corr-124' }));
    expect(error).toMatchObject({ code: 'Throttled', retryable: true, details: { maxPerMinute: 1 } });
    expect(error.retryAfterMs).toBeGreaterThan(0);
    expect(error.retryAfterMs).toBeLessThanOrEqual(60_000);
    expect(server.accepted).toHaveLength(1);
  });

  it('waits for a slot within throttleMaxWaitMs, then sends', async () => {
    const clock = { now: 1_000_000 };
    const mailer = mailerFor({ maxPerMinute: 1, throttleMaxWaitMs: 60_000, now: () => clock.now });
    await mailer.send(mail());
    // The second slot is 20 ms off on the limiter's clock: the send waits for it instead of failing.
    clock.now += 59_980;
    await mailer.send(mail({ idempotencyKey: 'corr-124' }));
    expect(server.accepted.map((a) => a.message.headers?.[IDEMPOTENCY_HEADER])).toEqual(['corr-123', 'corr-124']);
  });

  it('ends a wait for a slot when closed, with a retryable error', async () => {
    const mailer = mailerFor({ maxPerMinute: 1, throttleMaxWaitMs: 60_000 });
    await mailer.send(mail());
    const waiting = sendError(mailer, mail({ idempotencyKey: 'corr-124' }));
    await mailer.close();
    expect(await waiting).toMatchObject({ code: 'MailFailed', retryable: true });
    expect(server.accepted).toHaveLength(1);
  });

  it('refuses a malformed connection string or a plain-http endpoint without echoing them', () => {
    const secret = 'endpoint=https://acs.example.com/;key=c2VjcmV0LWtleS12YWx1ZQ==';
    expect(() => new AcsEmailMailer({ connectionString: secret })).toThrow(expect.objectContaining({ code: 'ConfigInvalid' }));
    expect(() => new AcsEmailMailer({ connectionString: secret })).not.toThrow(/c2VjcmV0/);
    expect(() => new AcsEmailMailer({ endpoint: 'http://acs.example.com' })).toThrow(/https/);
  });

  it('with an endpoint, signs with the given Microsoft Entra credential (bearer token, https only)', async () => {
    let scopes: string | string[] = '';
    const mailer = new AcsEmailMailer({
      endpoint: 'https://127.0.0.1:1',
      credential: {
        getToken: async (requested) => {
          scopes = requested;
          return { token: 'not-a-token', expiresOnTimestamp: Date.now() + 3_600_000 };
        },
      },
      sendTimeoutMs: 5_000,
    });
    mailers.push(mailer);
    // Nothing listens on port 1: the request fails after the token was asked for.
    expect(await sendError(mailer)).toMatchObject({ code: 'ServiceUnavailable', retryable: true });
    expect(scopes).toEqual(['https://communication.azure.com//.default']);
  });
});
