import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { IDEMPOTENCY_ARG, SendGridMailer } from '../../../../adapters/mail/sendgrid-mailer.js';
import type { OutgoingMail } from '../../../../adapters/ports.js';
import { isTalkbackError, type TalkbackError } from '../../../../core/errors.js';
import { startSendGridCaptureServer, type SendGridCaptureServer } from '../../../support/sendgrid-capture-server.js';

const API_KEY = 'SG.unit-test-key.do-not-leak-7f3a9c';

function mail(overrides: Partial<OutgoingMail> = {}): OutgoingMail {
  return {
    idempotencyKey: 'mail:evt-123',
    from: 'talkback@example.com',
    to: ['staff@example.com', 'manager@example.com'],
    subject: '[talkback] 김민지 (Web Chat): 안녕하세요',
    text: 'Transcript:\n안녕하세요 😀',
    html: '<p>안녕하세요 😀</p>',
    attachments: [],
    ...overrides,
  };
}

async function sendError(mailer: SendGridMailer, outgoing = mail()): Promise<TalkbackError> {
  const error: unknown = await mailer.send(outgoing).then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!isTalkbackError(error)) throw new Error(`expected a TalkbackError, got ${inspect(error)}`);
  return error;
}

describe('SendGridMailer', () => {
  let server: SendGridCaptureServer;
  let mailer: SendGridMailer;

  beforeEach(async () => {
    server = await startSendGridCaptureServer({ apiKey: API_KEY });
    mailer = new SendGridMailer({ apiKey: API_KEY, baseUrl: server.baseUrl });
  });
  afterEach(async () => {
    await mailer.close();
    await server.stop();
  });

  it('posts the exact v3 payload and answers the x-message-id', async () => {
    const audio = Buffer.concat([Buffer.from([0x49, 0x44, 0x33, 0x00, 0xff, 0xfe, 0x0d, 0x0a]), randomBytes(5_000)]);
    const { messageId } = await mailer.send(
      mail({ attachments: [{ filename: '음성.mp3', contentType: 'audio/mpeg', content: audio }] }),
    );

    expect(server.received).toHaveLength(1);
    const [request] = server.received;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/v3/mail/send');
    expect(request?.headers.authorization).toBe(`Bearer ${API_KEY}`);
    expect(request?.headers['content-type']).toMatch(/^application\/json/);
    expect(request?.body).toEqual({
      from: { email: 'talkback@example.com' },
      subject: '[talkback] 김민지 (Web Chat): 안녕하세요',
      personalizations: [{ to: [{ email: 'staff@example.com' }, { email: 'manager@example.com' }] }],
      content: [
        { type: 'text/plain', value: 'Transcript:\n안녕하세요 😀' },
        { type: 'text/html', value: '<p>안녕하세요 😀</p>' },
      ],
      attachments: [
        { content: audio.toString('base64'), filename: '음성.mp3', type: 'audio/mpeg', disposition: 'attachment' },
      ],
      custom_args: { [IDEMPOTENCY_ARG]: 'mail:evt-123' },
    });
    const sentAttachment = (request?.body as { attachments: { content: string }[] }).attachments[0];
    expect(Buffer.compare(Buffer.from(sentAttachment?.content ?? '', 'base64'), audio)).toBe(0);
    expect(request?.status).toBe(202);
    expect(messageId).toBe(request?.messageId);
  });

  it('names each recipient once and leaves out an empty body part', async () => {
    await mailer.send(mail({ to: ['staff@example.com', 'Staff@Example.com', 'ops@example.com'], html: '' }));
    const body = server.received[0]?.body as { personalizations: unknown; content: unknown };
    expect(server.received[0]?.status).toBe(202);
    expect(body.personalizations).toEqual([{ to: [{ email: 'staff@example.com' }, { email: 'ops@example.com' }] }]);
    expect(body.content).toEqual([{ type: 'text/plain', value: 'Transcript:\n안녕하세요 😀' }]);
  });

  it('falls back to the idempotency key when SendGrid gives no x-message-id', async () => {
    server.respondWith([{ status: 202 }]);
    expect(await mailer.send(mail())).toEqual({ messageId: 'mail:evt-123' });
  });

  it('turns 429 with Retry-After: 7 into a retryable Throttled of 7000 ms', async () => {
    server.respondWith([
      { status: 429, headers: { 'retry-after': '7' }, body: { errors: [{ message: 'too many requests', field: null }] } },
    ]);
    const error = await sendError(mailer);
    expect(error).toMatchObject({ code: 'Throttled', retryable: true, retryAfterMs: 7000 });
    expect(error.message).toContain('too many requests');
  });

  it('turns a 400 into a permanent MailRejected that keeps SendGrid’s messages and fields', async () => {
    const errors = [
      { message: 'The from email does not contain a valid address.', field: 'from.email', help: null },
      { message: 'Does not contain a valid address.', field: 'personalizations.0.to.0.email', help: null },
    ];
    server.respondWith([{ status: 400, body: { errors } }]);
    const error = await sendError(mailer);
    expect(error).toMatchObject({ code: 'MailRejected', retryable: false });
    expect(error.message).toContain('The from email does not contain a valid address. (from.email)');
    expect(error.message).toContain('Does not contain a valid address. (personalizations.0.to.0.email)');
    expect(error.details).toMatchObject({
      status: 400,
      idempotencyKey: 'mail:evt-123',
      errors: [
        { message: errors[0]?.message, field: 'from.email' },
        { message: errors[1]?.message, field: 'personalizations.0.to.0.email' },
      ],
    });
  });

  it('is rejected by the server’s own validation for an email SendGrid would refuse', async () => {
    const error = await sendError(mailer, mail({ subject: '' }));
    expect(server.received[0]?.status).toBe(400);
    expect(error).toMatchObject({ code: 'MailRejected', retryable: false, details: { status: 400 } });
    expect(error.message).toContain('(subject)');
  });

  it.each([413, 404])('turns %i into a permanent MailRejected', async (status) => {
    server.respondWith([{ status, body: { errors: [{ message: 'nope', field: null }] } }]);
    expect(await sendError(mailer)).toMatchObject({ code: 'MailRejected', retryable: false, details: { status } });
  });

  it.each([500, 503])('turns %i into a retryable ServiceUnavailable', async (status) => {
    server.respondWith([{ status, body: '<html>oops</html>' }]);
    const error = await sendError(mailer);
    expect(error).toMatchObject({ code: 'ServiceUnavailable', retryable: true, details: { status } });
  });

  it('turns a request that outlasts requestTimeoutMs into a retryable Timeout', async () => {
    const impatient = new SendGridMailer({ apiKey: API_KEY, baseUrl: server.baseUrl, requestTimeoutMs: 200 });
    server.respondWith([{ status: 202, delayMs: 30_000 }]);
    try {
      expect(await sendError(impatient)).toMatchObject({ code: 'Timeout', retryable: true });
    } finally {
      await impatient.close();
    }
  });

  it('turns a refused connection into a retryable ServiceUnavailable', async () => {
    const { baseUrl } = server;
    await server.stop();
    const orphan = new SendGridMailer({ apiKey: API_KEY, baseUrl });
    try {
      const error = await sendError(orphan);
      expect(error).toMatchObject({ code: 'ServiceUnavailable', retryable: true, details: { networkCode: 'ECONNREFUSED' } });
      // axios errors carry the request config, Authorization included: none of it may survive.
      expect(inspect(error, { depth: null })).not.toContain(API_KEY);
    } finally {
      await orphan.close();
    }
  });

  it('turns a wrong API key into a permanent Unauthorized that never shows the key', async () => {
    const wrongKey = 'SG.wrong-key.must-not-appear-4b1d';
    const wrong = new SendGridMailer({ apiKey: wrongKey, baseUrl: server.baseUrl });
    try {
      const error = await sendError(wrong);
      // The key did travel (so its absence below means something), and the server refused it.
      expect(server.received[0]?.headers.authorization).toBe(`Bearer ${wrongKey}`);
      expect(server.received[0]?.status).toBe(401);
      expect(error).toMatchObject({ code: 'Unauthorized', retryable: false, details: { status: 401 } });
      expect(error.message).toContain('The provided authorization grant is invalid');
      for (const view of [error.message, String(error.stack), JSON.stringify(error), JSON.stringify(error.details), inspect(error, { depth: null })]) {
        expect(view).not.toContain(wrongKey);
        expect(view).not.toContain('must-not-appear');
      }
    } finally {
      await wrong.close();
    }
  });

  it('cuts the key out even when the server echoes it back', async () => {
    server.respondWith([{ status: 403, body: { errors: [{ message: `key ${API_KEY} lacks mail.send`, field: null }] } }]);
    const error = await sendError(mailer);
    expect(error).toMatchObject({ code: 'Unauthorized', retryable: false });
    expect(error.message).toContain('lacks mail.send');
    expect(inspect(error, { depth: null })).not.toContain(API_KEY);
  });

  it('refuses to send once closed, retryably (another instance can)', async () => {
    await mailer.close();
    expect(await sendError(mailer)).toMatchObject({ code: 'MailFailed', retryable: true });
    expect(server.received).toHaveLength(0);
  });
});
