import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AgentsChatChannel } from '../../../../adapters/chat/agents-chat-channel.js';
import { BotbuilderChatChannel } from '../../../../adapters/chat/botbuilder-chat-channel.js';
import type { ConnectorBounds } from '../../../../adapters/chat/bounded-call.js';
import type { ChatChannel } from '../../../../adapters/ports.js';
import { audioReplyActivity } from '../../../../core/audio-reply.js';
import { EndpointGuard } from '../../../../core/endpoint-guard.js';
import { startFakeChannel, type FakeChannel } from '../../../support/fake-channel.js';

const activity = audioReplyActivity({ channelId: 'emulator', language: 'en', audioUrl: 'http://127.0.0.1:1/a.mp3', fileName: 'a.mp3' });

/**
 * Fault sinks speaking the Bot Connector API: the connector makes exactly one bounded attempt per
 * send (our failure policy decides retries), and a dead endpoint cannot hold every worker.
 */
const channels: { sdk: string; create: (bounds: ConnectorBounds) => ChatChannel }[] = [
  { sdk: 'botbuilder', create: (connectorBounds) => new BotbuilderChatChannel({ appType: 'MultiTenant', connectorBounds }) },
  { sdk: 'agents', create: (connectorBounds) => new AgentsChatChannel({ appType: 'MultiTenant', connectorBounds }) },
];

describe.each(channels)('$sdk ChatChannel with bounds (fault sinks)', ({ sdk, create }) => {
  let sinks: FakeChannel[] = [];
  let guard: EndpointGuard;
  let channel: ChatChannel;
  const sink = async () => {
    const s = await startFakeChannel();
    sinks.push(s);
    return s;
  };
  const to = (s: FakeChannel, conversationId: string) => ({ channelId: 'emulator', serviceUrl: s.serviceUrl, conversation: { id: conversationId } });

  beforeEach(() => {
    guard = new EndpointGuard({ maxConcurrent: 2, cooldownMs: 60_000 });
    channel = create({ timeoutMs: 500, guard });
  });
  afterEach(async () => {
    await Promise.all(sinks.map((s) => s.stop()));
    sinks = [];
  });

  it('a hanging endpoint fails as a retryable Timeout after one request, then is skipped without a request while it cools down', async () => {
    const hung = await sink();
    hung.hang();
    const started = performance.now();
    await expect(channel.send(to(hung, 'c-hang'), activity)).rejects.toMatchObject({ code: 'Timeout', retryable: true });
    process.stdout.write(`time to detect a hanging endpoint: ${Math.round(performance.now() - started)} ms (CHANNEL_TIMEOUT_MS=500)\n`);
    expect(hung.requestsFor('c-hang')).toBe(1);
    await expect(channel.send(to(hung, 'c-hang'), activity)).rejects.toMatchObject({ code: 'ServiceUnavailable', retryable: true, retryAfterMs: expect.any(Number) as number });
    expect(hung.requestsFor('c-hang')).toBe(1);
    expect(guard.down()).toEqual([new URL(hung.serviceUrl).host]);
  });

  it('500, 403 and 429 + Retry-After each cost exactly one request (no hidden retries)', async () => {
    const s = await sink();
    s.failFor('c-500', 500);
    s.failFor('c-403', 403);
    s.failFor('c-429', 429, { 'retry-after': '7' });
    await expect(channel.send(to(s, 'c-500'), activity)).rejects.toMatchObject({ code: 'ServiceUnavailable', retryable: true });
    await expect(channel.send(to(s, 'c-403'), activity)).rejects.toMatchObject({ code: 'Unauthorized', retryable: false });
    await expect(channel.send(to(s, 'c-429'), activity)).rejects.toMatchObject({ code: 'Throttled', retryable: true, retryAfterMs: 7_000 });
    expect([s.requestsFor('c-500'), s.requestsFor('c-403'), s.requestsFor('c-429')]).toEqual([1, 1, 1]);
    // An endpoint that answers, even with errors, is not dead.
    expect(guard.down()).toEqual([]);
  });

  it('a conversation id beyond Latin-1 reaches the channel (its header percent-encoded)', async () => {
    const s = await sink();
    await channel.send(to(s, '대화-1'), activity);
    expect(s.forConversation('대화-1')).toHaveLength(1);
    // botbuilder names the conversation in a header too (agents does not)
    if (sdk === 'botbuilder') expect(s.conversationHeaders).toContain(encodeURIComponent('대화-1'));
  });

  it('four hanging endpoints do not hold back replies to a healthy one', async () => {
    const hung = await Promise.all([sink(), sink(), sink(), sink()]);
    for (const h of hung) h.hang();
    const healthy = await sink();
    const stuck = hung.flatMap((h, i) => [0, 1, 2].map((j) => channel.send(to(h, `hung-${i}-${j}`), activity).then(() => 'sent', (e: { code: string }) => e.code)));
    const delivered = await Promise.all(Array.from({ length: 20 }, (_, i) => channel.send(to(healthy, `ok-${i}`), activity).then(() => 1)));
    const outcomes = await Promise.all(stuck);
    process.stdout.write(`replies delivered to healthy conversations while four endpoints hang: ${delivered.length}/20; hung sends: ${JSON.stringify(outcomes.reduce<Record<string, number>>((a, o) => ({ ...a, [o]: (a[o] ?? 0) + 1 }), {}))}\n`);
    expect(healthy.received).toHaveLength(20);
    // Each hung endpoint got at most its concurrency cap of requests: the third send waited for a slot
    // and was refused, without a request, once the endpoint had timed out.
    hung.forEach((h, i) => expect([0, 1, 2].reduce((n, j) => n + h.requestsFor(`hung-${i}-${j}`), 0)).toBe(2));
    expect(outcomes.filter((o) => o === 'Timeout')).toHaveLength(8);
    // (refused as busy when its wait ended first, as unresponsive when the timeout did: both retried later)
    expect(outcomes.filter((o) => o === 'ServiceUnavailable' || o === 'Throttled')).toHaveLength(4);
  });
});

describe('agents ChatChannel: getting the bot token is bounded too', () => {
  it('a token endpoint that never answers fails the send as a retryable Timeout, and the channel gets no request', async () => {
    const sink = await startFakeChannel();
    try {
      const stalledTokens = (() => ({ getAccessToken: () => new Promise<string>(() => undefined) })) as unknown as NonNullable<
        ConstructorParameters<typeof AgentsChatChannel>[0]['authProviderFactory']
      >;
      const channel = new AgentsChatChannel({
        appId: '00000000-0000-0000-0000-000000000001',
        appPassword: 'secret',
        appType: 'SingleTenant',
        tenantId: '00000000-0000-0000-0000-000000000002',
        authProviderFactory: stalledTokens,
        connectorBounds: { timeoutMs: 300, guard: new EndpointGuard({ maxConcurrent: 2, cooldownMs: 60_000 }) },
      });
      await expect(
        channel.send({ channelId: 'emulator', serviceUrl: sink.serviceUrl, conversation: { id: 'c-token' } }, activity),
      ).rejects.toMatchObject({ code: 'Timeout', retryable: true, message: expect.stringContaining('no token for the channel') as string });
      expect(sink.requestsFor('c-token')).toBe(0);
    } finally {
      await sink.stop();
    }
  });
});
