import { createServer, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AgentsChatChannel } from '../../../../adapters/chat/agents-chat-channel.js';
import type { StoredConversationReference } from '../../../../core/events.js';

interface Received {
  path: string;
  body: { type?: string; text?: string; from?: { id?: string }; recipient?: { id?: string }; replyToId?: string };
}

/** A channel's connector that answers each conversation as its id says (`status-429`, `hang`, …). */
async function startConnector() {
  const received: Received[] = [];
  const hanging: ServerResponse[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      received.push({ path: req.url ?? '', body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Received['body'] });
      const conversation = /^\/v3\/conversations\/([^/]+)\/activities/.exec(req.url ?? '')?.[1] ?? '';
      const json = (status: number, body: unknown, headers: Record<string, string> = {}) =>
        res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
      if (conversation === 'hang') return void hanging.push(res);
      if (conversation === 'blocked') return json(403, { error: { code: 'MessageWritesBlocked', message: 'Thread is blocked' } });
      const status = /^status-(\d+)$/.exec(conversation)?.[1];
      if (status) return json(Number(status), { error: { code: 'Failed', message: 'no' } }, status === '429' ? { 'retry-after': '7' } : {});
      json(200, { id: `sent-${received.length}` });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    serviceUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    received,
    stop: () =>
      new Promise<void>((resolve) => {
        for (const res of hanging) res.destroy();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

// The statuses the ChatChannel contract covers too are here with the Agents SDK's own HttpError and a timeout.
describe('AgentsChatChannel (anonymous, against a local connector)', () => {
  let connector: Awaited<ReturnType<typeof startConnector>>;
  const channel = new AgentsChatChannel({ appType: 'MultiTenant', timeoutMs: 1_000 });
  const reference = (conversationId: string): StoredConversationReference => ({
    activityId: 'act-1',
    user: { id: 'user-1', name: 'Ada' },
    bot: { id: 'bot-1', name: 'talkback' },
    conversation: { id: conversationId },
    channelId: 'webchat',
    serviceUrl: connector.serviceUrl,
  });
  const send = (conversationId: string) => channel.send(reference(conversationId), { type: 'message', text: 'hello' });

  beforeAll(async () => {
    connector = await startConnector();
  });
  afterAll(async () => {
    await connector?.stop();
  });

  it('sends a new message into the conversation from the bot to the customer (a reference stored by botbuilder)', async () => {
    const result = await send('ok-1');
    expect(result.activityId).toMatch(/^sent-/);
    const sent = connector.received.find((r) => r.path.includes('/ok-1/'));
    expect(sent?.body).toMatchObject({ type: 'message', text: 'hello', from: { id: 'bot-1' }, recipient: { id: 'user-1' } });
    expect(sent?.body.replyToId).not.toBe('act-1');
  });

  it.each([
    ['blocked', { code: 'Unauthorized', retryable: false }],
    ['status-403', { code: 'Unauthorized', retryable: false }],
    ['status-404', { code: 'NotFound', retryable: false }],
    ['status-429', { code: 'Throttled', retryable: true, retryAfterMs: 7_000 }],
    ['status-412', { code: 'Busy', retryable: true }],
    ['status-502', { code: 'ServiceUnavailable', retryable: true }],
    ['status-504', { code: 'ServiceUnavailable', retryable: true }],
    ['hang', { code: 'Timeout', retryable: true }],
  ])('classifies %s', async (conversationId, expected) => {
    await expect(send(conversationId)).rejects.toMatchObject({ name: 'TalkbackError', ...expected });
  });

  it('classifies a connector that cannot be reached as retryable', async () => {
    const gone = { ...reference('x'), serviceUrl: 'http://127.0.0.1:1' };
    await expect(channel.send(gone, { type: 'message', text: 'hello' })).rejects.toMatchObject({ code: 'ReplyFailed', retryable: true });
  });
});
