import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ChannelActivity {
  conversationId: string;
  replyToId: string | undefined;
  /** performance.now() when the activity arrived. */
  receivedAt: number;
  body: {
    type?: string;
    text?: string;
    attachments?: { contentType: string; contentUrl?: string; name?: string; content?: unknown }[];
    [key: string]: unknown;
  };
}

/**
 * Plays the channel side of the Bot Framework protocol: the activity's serviceUrl points here, and
 * every activity the bot sends (replies and proactive messages) is collected.
 */
export async function startFakeChannel() {
  const received: ChannelActivity[] = [];
  /** Conversations whose activities the channel refuses, with the status and headers it answers. */
  const failures = new Map<string, { status: number; headers: Record<string, string> }>();
  let counter = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const match = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(req.url ?? '');
      if (req.method !== 'POST' || !match) {
        res.writeHead(404).end();
        return;
      }
      const failure = failures.get(decodeURIComponent(match[1] ?? ''));
      if (failure) {
        res.writeHead(failure.status, { 'content-type': 'application/json', ...failure.headers });
        res.end(JSON.stringify({ error: { code: 'Refused', message: `the channel answered ${failure.status}` } }));
        return;
      }
      received.push({
        conversationId: decodeURIComponent(match[1] ?? ''),
        replyToId: match[2] === undefined ? undefined : decodeURIComponent(match[2]),
        receivedAt: performance.now(),
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as ChannelActivity['body'],
      });
      counter += 1;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: `sent-${counter}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    serviceUrl: `http://127.0.0.1:${port}`,
    received,
    forConversation: (id: string) => received.filter((a) => a.conversationId === id),
    /** Activities to this conversation are answered with `status` (undefined: accepted again). */
    failFor(conversationId: string, status: number | undefined, headers: Record<string, string> = {}) {
      if (status === undefined) failures.delete(conversationId);
      else failures.set(conversationId, { status, headers });
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type FakeChannel = Awaited<ReturnType<typeof startFakeChannel>>;

export function messageActivity(input: {
  serviceUrl: string;
  conversationId: string;
  activityId: string;
  text: string;
  locale?: string;
  channelId?: string;
  attachments?: unknown[];
}) {
  return {
    type: 'message',
    id: input.activityId,
    channelId: input.channelId ?? 'emulator',
    serviceUrl: input.serviceUrl,
    timestamp: new Date().toISOString(),
    locale: input.locale ?? 'en-US',
    from: { id: 'user-1', name: 'Ada Customer' },
    recipient: { id: 'bot-1', name: 'talkback' },
    conversation: { id: input.conversationId },
    text: input.text,
    ...(input.attachments ? { attachments: input.attachments } : {}),
  };
}

export async function postActivity(hostUrl: string, activity: unknown): Promise<{ status: number; text: string }> {
  const response = await fetch(`${hostUrl}/api/messages`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(activity),
  });
  return { status: response.status, text: await response.text() };
}

/** Polls until `check` returns a value (not undefined) or the deadline passes. */
export async function waitFor<T>(check: () => Promise<T | undefined> | T | undefined, timeoutMs: number, what: string): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
