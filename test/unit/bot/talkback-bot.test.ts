import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replies, tooLong } from '../../../core/replies.js';
import type { MessageReceived } from '../../../core/events.js';
import { messageEventId } from '../../../core/ids.js';
import { messageReceivedSchema } from '../../../core/events.js';
import { BOT_SDKS, type BotSdk } from '../../support/bot-sdks.js';
import { anonymousChatEndpoint } from '../../support/chat-bots.js';
import { startFakeChannel, type FakeChannel } from '../../support/fake-channel.js';

let channel: FakeChannel;
beforeAll(async () => {
  channel = await startFakeChannel();
});
afterAll(async () => {
  await channel?.stop();
});

let conversations = 0;

/** One conversation with the bot on `sdk`: activities go in through the SDK's adapter, answers arrive at the fake channel. */
function harness(sdk: BotSdk, maxMessageChars = 20, publish?: (e: MessageReceived) => Promise<void>) {
  const published: MessageReceived[] = [];
  const bot = anonymousChatEndpoint(sdk, { maxMessageChars, publish: publish ?? (async (e) => void published.push(e)) });
  const conversationId = `conv-${sdk}-${(conversations += 1)}`;
  let activities = 0;
  return {
    published,
    conversationId,
    /** Sends one activity; answers with the HTTP status the bot gave. */
    async send(activity: Record<string, unknown>): Promise<number> {
      activities += 1;
      const response = await bot.process({
        headers: { 'content-type': 'application/json' },
        body: {
          type: 'message',
          id: `act-${activities}`,
          channelId: 'test',
          serviceUrl: channel.serviceUrl,
          from: { id: 'user-1', name: 'Ada' },
          recipient: { id: 'bot', name: 'bot' },
          conversation: { id: conversationId },
          ...activity,
        },
      });
      return response.status;
    },
    replies: () => channel.forConversation(conversationId).map((a) => a.body.text),
  };
}

describe.each(BOT_SDKS)('TalkbackBot on %s', (sdk) => {
  it('publishes an accepted message, then confirms it in English', async () => {
    const h = harness(sdk);
    expect(await h.send({ text: '  Where is it?  ', id: 'act-1' })).toBe(200);
    expect(h.replies()).toEqual([replies.received.en]);
    expect(h.published).toHaveLength(1);
    const event = messageReceivedSchema.parse(h.published[0]);
    expect(event.data.text).toBe('Where is it?');
    expect(event.data.language).toBe('en');
    expect(event.id).toBe(messageEventId('test', h.conversationId, 'act-1'));
    expect(event.data.reference).toEqual({
      activityId: 'act-1',
      user: { id: 'user-1', name: 'Ada' },
      bot: { id: 'bot', name: 'bot' },
      conversation: { id: h.conversationId },
      channelId: 'test',
      serviceUrl: channel.serviceUrl,
    });
  });

  it('answers in Korean for a ko-* locale or mostly Hangul text', async () => {
    const first = harness(sdk);
    await first.send({ text: 'hello', locale: 'ko-KR' });
    expect(first.replies()).toEqual([replies.received.ko]);
    const second = harness(sdk);
    await second.send({ text: '배송 언제 와요?' });
    expect(second.replies()).toEqual([replies.received.ko]);
  });

  it('asks for text when the message is empty or only an attachment, and publishes nothing', async () => {
    const h = harness(sdk);
    await h.send({ text: '   ' });
    await h.send({ text: '', attachments: [{ contentType: 'image/png', contentUrl: 'http://x/y.png' }] });
    expect(h.replies()).toEqual([replies.askForText.en, replies.askForText.en]);
    expect(h.published).toEqual([]);
  });

  it('refuses a message longer than the limit, counting characters not UTF-16 units', async () => {
    const h = harness(sdk, 5);
    await h.send({ text: '😀😀😀😀😀' });
    await h.send({ text: 'abcdef' });
    expect(h.replies()).toEqual([replies.received.en, tooLong('en', 5, 6)]);
    expect(h.published).toHaveLength(1);
  });

  it('does not confirm a message it could not publish: the turn fails with a 500 the channel retries', async () => {
    const h = harness(sdk, 100, () => Promise.reject(new Error('bus down')));
    expect(await h.send({ text: 'hello' })).toBe(500);
    expect(h.replies()).toEqual([]);
  });

  it('welcomes members who join, not the bot itself', async () => {
    const conversationUpdate = (memberId: string) => ({
      type: 'conversationUpdate',
      membersAdded: [{ id: memberId, name: memberId }],
      recipient: { id: 'bot', name: 'bot' },
    });
    const h = harness(sdk);
    expect(await h.send(conversationUpdate('user-7'))).toBe(200);
    expect(h.replies()).toEqual([replies.welcome.en]);
    const quiet = harness(sdk);
    expect(await quiet.send(conversationUpdate('bot'))).toBe(200);
    expect(quiet.replies()).toEqual([]);
    expect([...h.published, ...quiet.published]).toEqual([]);
  });

  it('answers other activities without a reply or a publish: typing and a member leaving 200, an invoke it does not handle 501', async () => {
    const h = harness(sdk);
    expect(await h.send({ type: 'typing', text: undefined })).toBe(200);
    expect(await h.send({ type: 'conversationUpdate', membersRemoved: [{ id: 'user-1', name: 'Ada' }] })).toBe(200);
    expect(await h.send({ type: 'invoke', name: 'composeExtension/query', value: {} })).toBe(501);
    expect(h.replies()).toEqual([]);
    expect(h.published).toEqual([]);
  });

  it('refuses an activity without the fields a reply needs, before the SDK sees it', async () => {
    const h = harness(sdk);
    expect(await h.send({ serviceUrl: '' })).toBe(400);
    expect(await h.send({ conversation: {} })).toBe(400);
    expect(h.published).toEqual([]);
  });
});
