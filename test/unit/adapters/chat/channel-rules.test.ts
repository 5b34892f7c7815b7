import { RestError } from '@azure/core-rest-pipeline';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AgentsChatChannel } from '../../../../adapters/chat/agents-chat-channel.js';
import { BotbuilderChatChannel } from '../../../../adapters/chat/botbuilder-chat-channel.js';
import { ChannelSendLimits } from '../../../../adapters/chat/channel-send-limits.js';
import { RuledChatChannel } from '../../../../adapters/chat/channel-rules.js';
import { ConversationSendLimiter } from '../../../../adapters/chat/conversation-send-limiter.js';
import type { ChatChannel } from '../../../../adapters/ports.js';
import { SqliteInteractionStore } from '../../../../adapters/store/sqlite-interaction-store.js';
import { AgentsChatEndpoint } from '../../../../bot/agents/agents-chat-endpoint.js';
import { BotbuilderChatEndpoint } from '../../../../bot/botbuilder-chat-endpoint.js';
import { markerKey, noteCustomerMessage } from '../../../../core/conversation-marker.js';
import type { OutgoingActivity } from '../../../../core/audio-reply.js';
import { createLogger } from '../../../../core/logger.js';
import { BOT_SDKS } from '../../../support/bot-sdks.js';
import { fakeClock, maxInAnyWindow, type FakeClock } from '../../../support/fake-clock.js';
import { messageActivity, startFakeChannel, type ChannelAnswer, type FakeChannel } from '../../../support/fake-channel.js';

const T0 = Date.parse('2026-12-01T10:00:00.000Z');
const iso = (ms: number) => new Date(T0 + ms).toISOString();
const HOUR = 3_600_000;
const activity: OutgoingActivity = { type: 'message', text: 'Your audio reply is ready' };

/**
 * The channel rules around the botbuilder ChatChannel, against a fake Bot Connector over HTTP. The
 * limiter and the fake connector share a fake clock that moves only when the limiter waits, so the
 * connector's receive times are exact and the window checks count, not race.
 */
describe.each(BOT_SDKS)('channel rules (RuledChatChannel over the %s connector)', (sdk) => {
  let clock: FakeClock;
  let channel: FakeChannel;
  let store: SqliteInteractionStore;
  let limits: ChannelSendLimits;
  let answer: ((conversationId: string) => ChannelAnswer | undefined) | undefined;
  let rules: RuledChatChannel;

  beforeEach(async () => {
    clock = fakeClock(T0);
    answer = undefined;
    channel = await startFakeChannel({ now: clock.now, answer: (a) => answer?.(a.conversationId) });
    store = new SqliteInteractionStore({ path: ':memory:' });
    limits = new ChannelSendLimits(new Map([['msteams', new ConversationSendLimiter({ now: clock.now, wait: clock.wait })]]));
    rules = ruled(sdk === 'agents' ? new AgentsChatChannel({ appType: 'MultiTenant' }) : new BotbuilderChatChannel({ appType: 'MultiTenant' }));
  });
  afterEach(async () => {
    await channel.stop();
    await store.close();
  });

  function ruled(inner: ChatChannel) {
    return new RuledChatChannel(inner, { limits, store: async () => store, now: clock.date });
  }
  const reference = (channelId: string, conversationId: string) => ({ channelId, serviceUrl: channel.serviceUrl, conversation: { id: conversationId } });
  const sendTo = (channelId: string, conversationId: string, customerMessageAt = iso(0), eventId = 'e1') =>
    rules.send(reference(channelId, conversationId), activity, { eventId, customerMessageAt });

  describe('Teams', () => {
    it('spreads 10 replies issued in one second to one conversation to at most 7 per second', async () => {
      await Promise.all(Array.from({ length: 10 }, (_, i) => sendTo('msteams', 'teams-1', iso(0), `e${i}`)));
      const times = channel.forConversation('teams-1').map((a) => a.receivedAt);
      expect(times).toHaveLength(10);
      expect(maxInAnyWindow(times, 1_000)).toBeLessThanOrEqual(7);
      expect(maxInAnyWindow(times, 2_000)).toBeLessThanOrEqual(8);
    });

    it('counts the in-turn "received" replies of the inbound endpoint against the same conversation limit', async () => {
      const options = { appType: 'MultiTenant' as const, logger: createLogger('silent'), maxMessageChars: 2000, publish: async () => undefined, sendLimits: limits };
      const endpoint = sdk === 'agents' ? new AgentsChatEndpoint(options) : new BotbuilderChatEndpoint(options);
      const inbound = (i: number) =>
        endpoint.process({
          headers: {},
          body: messageActivity({ serviceUrl: channel.serviceUrl, conversationId: 'teams-ack', activityId: `a${i}`, text: 'hi', channelId: 'msteams' }),
        });
      const results = await Promise.all([
        ...Array.from({ length: 6 }, (_, i) => sendTo('msteams', 'teams-ack', iso(0), `e${i}`)),
        ...Array.from({ length: 4 }, (_, i) => inbound(i)),
      ]);
      expect(results.slice(6)).toEqual(Array.from({ length: 4 }, () => expect.objectContaining({ status: 200 }) as unknown));
      const arrived = channel.forConversation('teams-ack');
      expect(arrived.filter((a) => a.body.text !== activity.text)).toHaveLength(4);
      expect(arrived).toHaveLength(10);
      expect(maxInAnyWindow(arrived.map((a) => a.receivedAt), 1_000)).toBeLessThanOrEqual(7);
    });

    it('a 403 MessageWritesBlocked marks the conversation blocked; later replies to it are not sent, until the customer writes again', async () => {
      answer = (id) => (id === 'teams-blocked' ? { status: 403, body: { error: { code: 'Forbidden', subCode: 'MessageWritesBlocked', message: 'blocked' } } } : undefined);
      await expect(sendTo('msteams', 'teams-blocked', iso(0), 'e1')).rejects.toMatchObject({ code: 'ConversationBlocked', retryable: false });
      expect(channel.requests).toHaveLength(1);
      const marker = await store.get(markerKey('teams-blocked'));
      expect(marker?.conversation?.blocked).toEqual({ at: iso(0), code: 'MessageWritesBlocked', eventId: 'e1' });

      // Another reply to a message received before the block: refused here, Teams is not called again.
      clock.advance(60_000);
      await expect(sendTo('msteams', 'teams-blocked', iso(-5_000), 'e2')).rejects.toMatchObject({ code: 'ConversationBlocked', retryable: false });
      expect(channel.requests).toHaveLength(1);
      // Other conversations are not affected.
      await sendTo('msteams', 'teams-other', iso(0), 'e3');
      expect(channel.forConversation('teams-other')).toHaveLength(1);

      // The customer wrote after the block (they let the bot back in): the reply is tried again.
      answer = undefined;
      await sendTo('msteams', 'teams-blocked', iso(120_000), 'e4');
      expect(channel.forConversation('teams-blocked')).toHaveLength(1);
    });

    it('a 403 without MessageWritesBlocked is permanent but does not block the conversation', async () => {
      answer = () => ({ status: 403, body: { error: { code: 'BotNotInConversationRoster' } } });
      await expect(sendTo('msteams', 'teams-403')).rejects.toMatchObject({ code: 'Unauthorized', retryable: false });
      expect((await store.get(markerKey('teams-403')))?.conversation?.blocked).toBeUndefined();
    });

    it("429 is retryable after Teams' Retry-After", async () => {
      answer = () => ({ status: 429, headers: { 'retry-after': '3' }, body: { error: { code: 'Throttled' } } });
      await expect(sendTo('msteams', 'teams-429')).rejects.toMatchObject({ code: 'Throttled', retryable: true, retryAfterMs: 3_000 });
    });

    it('412 is retryable', async () => {
      answer = () => ({ status: 412, body: { error: { code: 'PreconditionFailed' } } });
      await expect(sendTo('msteams', 'teams-412')).rejects.toMatchObject({ code: 'Busy', retryable: true });
    });

    it.each([
      [502, 'ServiceUnavailable'],
      [504, 'Timeout'],
    ])('%i is retryable (%s), whichever implementation reports it', async (status, code) => {
      // An implementation whose translator called it permanent: the Teams rule still retries it.
      const inner: ChatChannel = {
        send: async () => {
          const cause = new RestError('gateway', { statusCode: status });
          throw Object.assign(new Error('chat reply failed'), { name: 'TalkbackError', code: 'ReplyFailed', retryable: false, cause });
        },
        close: async () => undefined,
      };
      await expect(ruled(inner).send(reference('msteams', `teams-${status}`), activity, {})).rejects.toMatchObject({ code, retryable: true });
    });
  });

  describe('Messenger', () => {
    it('does not send a reply 24 hours after the customer\'s last message', async () => {
      clock.advance(25 * HOUR);
      await expect(sendTo('facebook', 'fb-late', iso(0))).rejects.toMatchObject({ code: 'OutsideMessagingWindow', retryable: false });
      expect(channel.requests).toHaveLength(0);
    });

    it('sends within the window, and a later customer message (on the conversation record) reopens it', async () => {
      clock.advance(23 * HOUR);
      await sendTo('facebook', 'fb-open', iso(0));
      expect(channel.forConversation('fb-open')).toHaveLength(1);

      clock.advance(10 * HOUR);
      await store.update(markerKey('fb-open'), (current) => noteCustomerMessage(current, 'fb-open', iso(30 * HOUR), iso(30 * HOUR)));
      await sendTo('facebook', 'fb-open', iso(0));
      expect(channel.forConversation('fb-open')).toHaveLength(2);
    });

    it('refuses a retired message tag', async () => {
      const tagged = { ...activity, channelData: { messaging_type: 'MESSAGE_TAG', tag: 'POST_PURCHASE_UPDATE' } } as OutgoingActivity;
      await expect(rules.send(reference('facebook', 'fb-tag'), tagged, { customerMessageAt: iso(0) })).rejects.toMatchObject({
        code: 'BadRequest',
        retryable: false,
      });
      expect(channel.requests).toHaveLength(0);
    });
  });

  it('passes other channels through unchanged', async () => {
    clock.advance(48 * HOUR);
    await Promise.all(Array.from({ length: 10 }, () => sendTo('webchat', 'web-1', iso(0))));
    expect(channel.forConversation('web-1')).toHaveLength(10);
  });
});
