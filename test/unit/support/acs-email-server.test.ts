import { createHash, createHmac } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ACS_EMAIL_API_VERSION, startAcsEmailServer, type AcsEmailServer } from '../../support/acs-email-server.js';

const valid = {
  senderAddress: 'talkback@example.com',
  recipients: { to: [{ address: 'staff@example.com' }] },
  content: { subject: 'Hi', plainText: 'Hi', html: '<p>Hi</p>' },
  attachments: [{ name: 'a.mp3', contentType: 'audio/mpeg', contentInBase64: Buffer.from('ID3').toString('base64') }],
};

interface Signing {
  key?: string;
  date?: Date;
  /** Sign this body but send another. */
  signedBody?: string;
}

describe('ACS Email stand-in', () => {
  let server: AcsEmailServer;

  /** Signs as communication-common's access-key policy does, independently of the SDK. */
  function request(method: 'GET' | 'POST', pathAndQuery: string, body = '', signing: Signing = {}) {
    const url = new URL(pathAndQuery, server.endpoint);
    const date = (signing.date ?? new Date()).toUTCString();
    const hash = createHash('sha256').update(signing.signedBody ?? body).digest('base64');
    const stringToSign = `${method}\n${url.pathname}${url.search}\n${date};${url.host};${hash}`;
    const signature = createHmac('sha256', Buffer.from(signing.key ?? server.accessKey, 'base64')).update(stringToSign).digest('base64');
    return fetch(url, {
      method,
      headers: {
        'content-type': 'application/json',
        'x-ms-date': date,
        'x-ms-content-sha256': hash,
        authorization: `HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=${signature}`,
      },
      ...(method === 'POST' ? { body } : {}),
    });
  }
  const send = (message: unknown, signing?: Signing) =>
    request('POST', `/emails:send?api-version=${ACS_EMAIL_API_VERSION}`, JSON.stringify(message), signing);
  const errorCode = async (response: Response) => ((await response.json()) as { error: { code: string } }).error.code;

  beforeEach(async () => {
    server = await startAcsEmailServer({ runningPolls: 1, pollRetryAfterSeconds: 1 });
  });
  afterEach(async () => {
    await server.stop();
  });

  it('accepts a signed send with 202, Operation-Location and operation-id, then reports Running, then Succeeded', async () => {
    const response = await send(valid);
    expect(response.status).toBe(202);
    const { id, status } = (await response.json()) as { id: string; status: string };
    expect(status).toBe('Running');
    expect(response.headers.get('operation-id')).toBe(id);
    expect(response.headers.get('retry-after')).toBe('1');
    const location = response.headers.get('operation-location') ?? '';
    expect(location).toBe(`${server.endpoint}emails/operations/${id}?api-version=${ACS_EMAIL_API_VERSION}`);
    expect(server.accepted).toEqual([expect.objectContaining({ operationId: id, message: valid })]);

    const poll = async () => (await (await request('GET', location)).json());
    expect(await poll()).toEqual({ id, status: 'Running' });
    expect(await poll()).toEqual({ id, status: 'Succeeded' });
  });

  it('ends an operation as told, with the error body of a failed one', async () => {
    server.endOperationsWith({ status: 'Failed', error: { code: 'EmailDropped', message: 'dropped' } });
    const { id } = (await (await send(valid)).json()) as { id: string };
    const path = `/emails/operations/${id}?api-version=${ACS_EMAIL_API_VERSION}`;
    await request('GET', path);
    expect(await (await request('GET', path)).json()).toEqual({ id, status: 'Failed', error: { code: 'EmailDropped', message: 'dropped' } });
  });

  it.each<[string, Signing]>([
    ['another key', { key: Buffer.from('another key').toString('base64') }],
    ['a body other than the one signed', { signedBody: '{}' }],
    ['a date 20 minutes old', { date: new Date(Date.now() - 20 * 60_000) }],
  ])('answers 401 Denied to a request signed with %s, accepting nothing', async (_, signing) => {
    const response = await send(valid, signing);
    expect(response.status).toBe(401);
    expect(await errorCode(response)).toBe('Denied');
    expect(response.headers.get('x-ms-error-code')).toBe('Denied');
    expect(server.accepted).toHaveLength(0);
  });

  it('answers 401 to an unsigned request and to a signature over another path', async () => {
    const unsigned = await fetch(new URL(`/emails:send?api-version=${ACS_EMAIL_API_VERSION}`, server.endpoint), { method: 'POST', body: JSON.stringify(valid) });
    expect(unsigned.status).toBe(401);
    const response = await send(valid);
    const { id } = (await response.json()) as { id: string };
    // A valid signature for another operation's path does not open this one.
    const url = new URL(`/emails/operations/${id}?api-version=${ACS_EMAIL_API_VERSION}`, server.endpoint);
    const date = new Date().toUTCString();
    const hash = createHash('sha256').update('').digest('base64');
    const forged = createHmac('sha256', Buffer.from(server.accessKey, 'base64'))
      .update(`GET\n/emails/operations/other?api-version=${ACS_EMAIL_API_VERSION}\n${date};${url.host};${hash}`)
      .digest('base64');
    const poll = await fetch(url, {
      headers: { 'x-ms-date': date, 'x-ms-content-sha256': hash, authorization: `HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=${forged}` },
    });
    expect(poll.status).toBe(401);
  });

  it('refuses what ACS refuses: no api-version, no recipients, 51 recipients, bad base64, over 10 MB', async () => {
    const noVersion = await request('POST', '/emails:send', JSON.stringify(valid));
    expect([noVersion.status, await errorCode(noVersion)]).toEqual([400, 'MissingApiVersionParameter']);
    const noRecipients = await send({ ...valid, recipients: { to: [] } });
    expect(noRecipients.status).toBe(400);
    const many = Array.from({ length: 51 }, (_, i) => ({ address: `s${i}@example.com` }));
    const tooMany = await send({ ...valid, recipients: { to: many } });
    expect(tooMany.status).toBe(400);
    expect(((await tooMany.json()) as { error: { message: string } }).error.message).toContain('exceeds the maximum of 50');
    const badBase64 = await send({ ...valid, attachments: [{ name: 'a', contentType: 'audio/mpeg', contentInBase64: 'not base64!' }] });
    expect(badBase64.status).toBe(400);
    const huge = await send({ ...valid, attachments: [{ name: 'a', contentType: 'audio/mpeg', contentInBase64: 'A'.repeat(10 * 1024 * 1024) }] });
    expect(huge.status).toBe(413);
    expect(server.accepted).toHaveLength(0);
  });

  it('answers scripted failures to the next sends, after checking their signature', async () => {
    server.respondWith([{ status: 429, headers: { 'retry-after': '7' }, body: { error: { code: 'TooManyRequests', message: 'slow down' } } }]);
    expect((await send(valid, { key: Buffer.from('x').toString('base64') })).status).toBe(401);
    const throttled = await send(valid);
    expect([throttled.status, throttled.headers.get('retry-after'), await errorCode(throttled)]).toEqual([429, '7', 'TooManyRequests']);
    expect((await send(valid)).status).toBe(202);
  });

  it('answers 404 for an unknown operation', async () => {
    const response = await request('GET', `/emails/operations/00000000-0000-4000-8000-000000000000?api-version=${ACS_EMAIL_API_VERSION}`);
    expect([response.status, await errorCode(response)]).toEqual([404, 'NotFound']);
  });
});
