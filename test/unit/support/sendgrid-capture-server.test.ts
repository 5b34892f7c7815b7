import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startSendGridCaptureServer, type SendGridCaptureServer } from '../../support/sendgrid-capture-server.js';

const valid = {
  from: { email: 'talkback@example.com' },
  personalizations: [{ to: [{ email: 'staff@example.com' }] }],
  subject: 'Hi',
  content: [
    { type: 'text/plain', value: 'Hi' },
    { type: 'text/html', value: '<p>Hi</p>' },
  ],
  attachments: [{ content: Buffer.from('ID3').toString('base64'), filename: 'a.mp3', type: 'audio/mpeg' }],
};

describe('SendGrid capture server', () => {
  let server: SendGridCaptureServer;
  const post = (body: unknown, authorization: string | null = 'Bearer SG.k') =>
    fetch(`${server.baseUrl}/v3/mail/send`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });
  const fields = async (response: Response) =>
    ((await response.json()) as { errors: { field: string | null }[] }).errors.map((e) => e.field);

  beforeEach(async () => {
    server = await startSendGridCaptureServer({ apiKey: 'SG.k' });
  });
  afterEach(async () => {
    await server.stop();
  });

  it('accepts a valid mail with 202, an x-message-id and an empty body, and records it', async () => {
    const response = await post(valid);
    expect(response.status).toBe(202);
    expect(await response.text()).toBe('');
    const id = response.headers.get('x-message-id');
    expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(server.received).toMatchObject([{ method: 'POST', path: '/v3/mail/send', body: valid, status: 202, messageId: id }]);
  });

  it('answers 401 with errors[] without a Bearer key or with another key', async () => {
    const missing = await post(valid, null);
    expect(missing.status).toBe(401);
    expect(await missing.json()).toEqual({ errors: [{ message: 'authorization required', field: null, help: null }] });
    expect((await post(valid, 'Bearer SG.other')).status).toBe(401);
  });

  it('answers 400 naming every missing or malformed field', async () => {
    const response = await post({
      from: { email: 'not an address' },
      personalizations: [{ to: [{ email: 'a@example.com' }, { email: 'A@example.com' }] }, { to: [] }],
      content: [
        { type: 'text/html', value: '<p>x</p>' },
        { type: 'text/plain', value: '' },
      ],
      attachments: [{ content: 'not base64!', filename: '' }],
    });
    expect(response.status).toBe(400);
    expect((await fields(response)).sort()).toEqual(
      [
        'from.email',
        'personalizations.0',
        'personalizations.1.to',
        'subject',
        'content.1.value',
        'content',
        'attachments.0.content',
        'attachments.0.filename',
      ].sort(),
    );
  });

  it('answers 400 to a body that is not JSON, and requires from, personalizations and content', async () => {
    expect((await post('{not json')).status).toBe(400);
    expect(await fields(await post({ subject: 'x' }))).toEqual(['from', 'personalizations', 'content']);
  });

  it('plays scripted responses in order, then validates again', async () => {
    server.respondWith([
      { status: 429, headers: { 'retry-after': '7' }, body: { errors: [{ message: 'slow down', field: null }] } },
      { status: 500 },
    ]);
    const first = await post(valid);
    expect([first.status, first.headers.get('retry-after')]).toEqual([429, '7']);
    expect((await post(valid)).status).toBe(500);
    expect((await post(valid)).status).toBe(202);
    expect(server.received.map((r) => r.status)).toEqual([429, 500, 202]);
  });

  it('lists what it received on GET /captured without the key', async () => {
    await post(valid);
    const listed = (await (await fetch(`${server.baseUrl}/captured`)).json()) as { headers: { authorization?: string } }[];
    expect(listed).toHaveLength(1);
    expect(listed[0]?.headers.authorization).toBe('***');
  });
});
