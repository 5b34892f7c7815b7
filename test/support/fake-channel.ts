import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ChannelActivity {
  conversationId: string;
  replyToId: string | undefined;
  /** When the activity arrived: performance.now(), or the `now` clock given to startFakeChannel. */
  receivedAt: number;
  /** The HTTP status the channel answered. */
  status: number;
  body: {
    type?: string;
    text?: string;
    attachments?: { contentType: string; contentUrl?: string; name?: string; content?: unknown }[];
    [key: string]: unknown;
  };
}

/** How the channel answers an activity instead of 200 (e.g. Teams' 403 MessageWritesBlocked, a 429 with Retry-After). */
export interface ChannelAnswer {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

export interface FakeChannelOptions {
  /** The clock that stamps `receivedAt` (default performance.now). */
  now?: () => number;
  /** Answers an activity; undefined = 200 with an id. */
  answer?: (activity: Omit<ChannelActivity, 'status'>) => ChannelAnswer | undefined;
}

/**
 * Plays the channel side of the Bot Framework protocol: the activity's serviceUrl points here, and
 * every activity the bot sends (replies and proactive messages) is collected: `received` holds the
 * accepted ones, `requests` every attempt with the status it got.
 */
export async function startFakeChannel(options: FakeChannelOptions = {}) {
  const now = options.now ?? (() => performance.now());
  const received: ChannelActivity[] = [];
  /** Conversations whose activities the channel refuses, with the status and headers it answers. */
  const failures = new Map<string, { status: number; headers: Record<string, string> }>();
  const requests: ChannelActivity[] = [];
  /** Every request's x-ms-conversation-id header, as it arrived. */
  const conversationHeaders: string[] = [];
  let hangAll = false;
  const hanging = new Set<string>();
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
      const activity = {
        conversationId: decodeURIComponent(match[1] ?? ''),
        replyToId: match[2] === undefined ? undefined : decodeURIComponent(match[2]),
        receivedAt: now(),
        body: JSON.parse(Buffer.concat(chunks).toString('utf8')) as ChannelActivity['body'],
      };
      const header = req.headers['x-ms-conversation-id'];
      if (typeof header === 'string') conversationHeaders.push(header);
      // A channel that accepts the connection and never answers (status 0: no answer).
      if (hangAll || hanging.has(activity.conversationId)) {
        requests.push({ ...activity, status: 0 });
        return;
      }
      const failure = failures.get(activity.conversationId);
      const answer: ChannelAnswer | undefined = failure
        ? { ...failure, body: { error: { code: 'Refused', message: `the channel answered ${failure.status}` } } }
        : options.answer?.(activity);
      requests.push({ ...activity, status: answer?.status ?? 200 });
      if (answer) {
        res.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers }).end(JSON.stringify(answer.body ?? {}));
        return;
      }
      received.push({ ...activity, status: 200 });
      counter += 1;
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ id: `sent-${counter}` }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    serviceUrl: `http://127.0.0.1:${port}`,
    received,
    requests,
    forConversation: (id: string) => received.filter((a) => a.conversationId === id),
    /** Requests (answered or not) for a conversation: the bot's own retries would show here. */
    requestsFor: (id: string) => requests.filter((a) => a.conversationId === id).length,
    conversationHeaders,
    /** Accepts every connection (or those for one conversation) and never answers (true), or answers again (false). */
    hang(on = true, conversationId?: string) {
      if (conversationId === undefined) hangAll = on;
      else if (on) hanging.add(conversationId);
      else hanging.delete(conversationId);
    },
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
  from?: { id: string; name: string };
}) {
  return {
    type: 'message',
    id: input.activityId,
    channelId: input.channelId ?? 'emulator',
    serviceUrl: input.serviceUrl,
    timestamp: new Date().toISOString(),
    locale: input.locale ?? 'en-US',
    from: input.from ?? { id: 'user-1', name: 'Ada Customer' },
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

/** The audio link an audio reply carries: its Listen card's button (on every channel), else an audio attachment's URL. */
export function audioLinkOf(body: Pick<ChannelActivity['body'], 'attachments'>): string | undefined {
  for (const attachment of body.attachments ?? []) {
    if (attachment.contentType === 'application/vnd.microsoft.card.hero') {
      const buttons = (attachment.content as { buttons?: { type: string; value: string }[] } | undefined)?.buttons ?? [];
      const listen = buttons.find((b) => b.type === 'openUrl');
      if (listen) return listen.value;
    }
  }
  return body.attachments?.find((a) => a.contentType === 'audio/mpeg')?.contentUrl;
}
