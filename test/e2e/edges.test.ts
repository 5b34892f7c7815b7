import { connect } from 'node:net';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageEventId } from '../../core/ids.js';
import { replies } from '../../core/replies.js';
import type { LocalHost } from '../../local/host.js';
import { messageActivity, postActivity, startFakeChannel, waitFor, type FakeChannel } from '../support/fake-channel.js';
import { startTestHost, tempDataDir } from '../support/host.js';

/** A raw HTTP/1.1 exchange, so the Host header and the body's pace are ours to choose. */
function raw(url: string, request: string, options: { keepOpenMs?: number } = {}): Promise<{ status: number; head: string; closed: boolean }> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1');
    let data = '';
    socket.on('data', (c: Buffer) => (data += c.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => {
      const status = Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? 0);
      resolve({ status, head: data.split('\r\n\r\n')[0] ?? '', closed: true });
    });
    socket.write(request);
    if (options.keepOpenMs === undefined) socket.end();
  });
}

describe('the edges of the local host', () => {
  let data: Awaited<ReturnType<typeof tempDataDir>>;
  let channel: FakeChannel;
  let host: LocalHost;
  /** Whether the message.received event of this activity was published (the bus's duplicate-detection table). */
  let published: (conversationId: string, activityId?: string) => boolean;

  beforeAll(async () => {
    data = await tempDataDir('talkback-edges-');
    channel = await startFakeChannel();
    ({ host } = await startTestHost(data.dir, { CHANNEL_TIMEOUT_MS: '1500', CHANNEL_COOLDOWN_MS: '1000' }));
    const bus = new Database(path.join(data.dir, 'bus.sqlite'), { readonly: true });
    const lookup = bus.prepare('SELECT 1 FROM published WHERE message_id = ?');
    published = (conversationId, activityId = `${conversationId}-a`) =>
      lookup.get(messageEventId('emulator', conversationId, activityId)) !== undefined;
  });
  afterAll(async () => {
    await host.stop();
    await channel.stop();
    await data.remove();
  });

  const activity = (conversationId: string, overrides: Record<string, unknown> = {}) => ({
    ...messageActivity({ serviceUrl: channel.serviceUrl, conversationId, activityId: `${conversationId}-a`, text: 'hello there' }),
    ...overrides,
  });
  const post = (body: string, headers: Record<string, string>) => fetch(`${host.url}/api/messages`, { method: 'POST', headers, body });

  it('refuses anything but JSON with 415, and publishes nothing', async () => {
    const text = await post(JSON.stringify(activity('ct-1')), { 'content-type': 'text/plain', origin: 'http://evil.example' });
    const form = await post('type=message&text=hi', { 'content-type': 'application/x-www-form-urlencoded' });
    const none = await post(JSON.stringify(activity('ct-2')), {});
    expect([text.status, form.status, none.status]).toEqual([415, 415, 415]);
    // No CORS: nothing tells a browser it may read the answer.
    expect(text.headers.get('access-control-allow-origin')).toBeNull();
    expect([published('ct-1'), published('ct-2')]).toEqual([false, false]);
    expect(channel.forConversation('ct-1')).toEqual([]);
  });

  it('answers a wrong field type with 400 naming the field, and publishes nothing', async () => {
    const cases: [Record<string, unknown>, string][] = [
      [{ text: 42 }, 'text'],
      [{ text: { a: 1 } }, 'text'],
      [{ id: 7 }, 'id'],
      [{ id: '' }, 'id'],
      [{ locale: 5 }, 'locale'],
      [{ conversation: { id: 'c', nested: 'DEEP' } }, 'nested deeper'],
    ];
    for (const [overrides, field] of cases) {
      const body = JSON.stringify(activity('types', overrides)).replace('"DEEP"', `${'['.repeat(5000)}${']'.repeat(5000)}`);
      const response = await post(body, { 'content-type': 'application/json' });
      expect(response.status, JSON.stringify(overrides).slice(0, 60)).toBe(400);
      expect(await response.text()).toContain(field);
    }
    expect(published('types')).toBe(false);
    const counts = host.refusals.counts();
    expect(counts.byStatus['400']).toBeGreaterThanOrEqual(cases.length);
    expect(JSON.stringify(host.refusals.latest())).not.toMatch(/authorization|bearer/i);
  });

  it('a message of only control characters is an empty message: asked for text, nothing published', async () => {
    const response = await postActivity(host.url, activity('ctrl', { text: '\u0000\u0001\u0002\u001b\u007f' }));
    expect(response.status).toBe(200);
    expect(published('ctrl')).toBe(false);
    expect(channel.forConversation('ctrl').map((a) => a.body.text)).toEqual([replies.askForText.en]);
  });

  it('answers only to a loopback Host header, with CSP, X-Frame-Options and nosniff', async () => {
    for (const target of ['/', '/api/health']) {
      const foreign = await raw(host.url, `GET ${target} HTTP/1.1\r\nHost: evil.example:${new URL(host.url).port}\r\nConnection: close\r\n\r\n`);
      expect(foreign.status, target).toBe(403);
      expect(foreign.head).not.toContain('talkback');
    }
    const dashboard = await raw(host.url, `GET / HTTP/1.1\r\nHost: localhost:${new URL(host.url).port}\r\nConnection: close\r\n\r\n`);
    expect(dashboard.status).toBe(200);
    expect(dashboard.head.toLowerCase()).toContain('x-frame-options: deny');
    expect(dashboard.head.toLowerCase()).toContain('x-content-type-options: nosniff');
    expect(dashboard.head.toLowerCase()).toMatch(/content-security-policy: default-src 'none'/);
  });

  it('a flood from one conversation: 10 accepted, the rest 429 with Retry-After, one polite reply', async () => {
    const rssBefore = process.memoryUsage().rss;
    const statuses: number[] = [];
    const retryAfter: (string | null)[] = [];
    for (let i = 0; i < 40; i += 1) {
      const response = await post(JSON.stringify(activity('flood', { id: `flood-${i}` })), { 'content-type': 'application/json' });
      statuses.push(response.status);
      if (response.status === 429) retryAfter.push(response.headers.get('retry-after'));
      await response.text();
    }
    const accepted = statuses.filter((s) => s === 200).length;
    process.stdout.write(
      `flood guard: 40 messages from one conversation → ${accepted} accepted, ${statuses.filter((s) => s === 429).length} refused (429); ` +
        `polite replies: ${channel.forConversation('flood').filter((a) => a.body.text === replies.slowDown.en).length}; ` +
        `RSS ${Math.round(rssBefore / 1e6)} → ${Math.round(process.memoryUsage().rss / 1e6)} MB\n`,
    );
    // 10 at once, and about one more for every 2 s the 40 posts took.
    expect(accepted).toBeGreaterThanOrEqual(10);
    expect(accepted).toBeLessThan(20);
    expect(statuses.map((status, i) => published('flood', `flood-${i}`) === (status === 200))).not.toContain(false);
    expect(retryAfter.every((v) => Number(v) >= 1)).toBe(true);
    await waitFor(() => (channel.forConversation('flood').some((a) => a.body.text === replies.slowDown.en) ? true : undefined), 10_000, 'the slow-down reply');
    expect(channel.forConversation('flood').filter((a) => a.body.text === replies.slowDown.en)).toHaveLength(1);
    // Another conversation is not affected.
    expect((await postActivity(host.url, activity('not-flooding'))).status).toBe(200);
    expect(host.refusals.counts().byStatus['429']).toBe(40 - accepted);
  });

  it('the ack tells the truth: published → 200 even when the channel refuses or never answers the confirmation', async () => {
    channel.failFor('ack-404', 404);
    expect((await postActivity(host.url, activity('ack-404'))).status).toBe(200);
    expect(published('ack-404')).toBe(true);
    channel.failFor('ack-404', undefined);
    // A channel that never answers the confirmation: cut off at CHANNEL_TIMEOUT_MS, still 200.
    channel.hang(true, 'ack-hang');
    expect((await postActivity(host.url, activity('ack-hang'))).status).toBe(200);
    expect(published('ack-hang')).toBe(true);
    expect(channel.requestsFor('ack-hang')).toBe(1);
  });

  it('cuts off a request whose headers or body never finish', async () => {
    const port = new URL(host.url).port;
    // Slowloris: headers that never end. Node answers 408 and closes.
    const headers = await raw(host.url, `POST /api/messages HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-Slow: 1`, { keepOpenMs: 60_000 });
    expect(headers.closed).toBe(true);
    expect([0, 408]).toContain(headers.status);
    // A stalled Content-Length body.
    const body = await raw(
      host.url,
      `POST /api/messages HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n{"type":`,
      { keepOpenMs: 60_000 },
    );
    expect(body.closed).toBe(true);
    expect(body.status).not.toBe(200);
  }, 60_000);
});
