import { ActivityTypes, TestAdapter, type Activity } from 'botbuilder';
import { describe, expect, it } from 'vitest';
import { replies, tooLong } from '../../../core/replies.js';
import { TalkbackBot } from '../../../bot/talkback-bot.js';
import type { MessageReceived } from '../../../core/events.js';
import { messageEventId } from '../../../core/ids.js';
import { messageReceivedSchema } from '../../../core/events.js';

function harness(maxMessageChars = 20) {
  const published: MessageReceived[] = [];
  const bot = new TalkbackBot({ maxMessageChars, publish: async (e) => void published.push(e) });
  const adapter = new TestAdapter((context) => bot.run(context));
  return { adapter, published };
}

const message = (text: string, extra: Partial<Activity> = {}): Partial<Activity> => ({ type: ActivityTypes.Message, text, ...extra });

describe('TalkbackBot', () => {
  it('publishes an accepted message, then confirms it in English', async () => {
    const { adapter, published } = harness();
    await adapter.send(message('  Where is it?  ', { id: 'act-1' })).assertReply(replies.received.en).startTest();
    expect(published).toHaveLength(1);
    const event = messageReceivedSchema.parse(published[0]);
    expect(event.data.text).toBe('Where is it?');
    expect(event.data.language).toBe('en');
    expect(event.id).toBe(messageEventId('test', event.data.conversationId, 'act-1'));
    expect(event.data.reference.serviceUrl).toBeTruthy();
  });

  it('answers in Korean for a ko-* locale or mostly Hangul text', async () => {
    const { adapter } = harness();
    await adapter.send(message('hello', { locale: 'ko-KR' })).assertReply(replies.received.ko).startTest();
    const second = harness();
    await second.adapter.send(message('배송 언제 와요?')).assertReply(replies.received.ko).startTest();
  });

  it('asks for text when the message is empty or only an attachment, and publishes nothing', async () => {
    const { adapter, published } = harness();
    await adapter
      .send(message('   '))
      .assertReply(replies.askForText.en)
      .send(message('', { attachments: [{ contentType: 'image/png', contentUrl: 'http://x/y.png' }] }))
      .assertReply(replies.askForText.en)
      .startTest();
    expect(published).toEqual([]);
  });

  it('refuses a message longer than the limit, counting characters not UTF-16 units', async () => {
    const { adapter, published } = harness(5);
    await adapter.send(message('😀😀😀😀😀')).assertReply(replies.received.en).startTest();
    await adapter.send(message('abcdef')).assertReply(tooLong('en', 5, 6)).startTest();
    expect(published).toHaveLength(1);
  });

  it('does not confirm a message it could not publish', async () => {
    const bot = new TalkbackBot({ maxMessageChars: 100, publish: () => Promise.reject(new Error('bus down')) });
    const sent: Partial<Activity>[] = [];
    const adapter = new TestAdapter(async (context) => {
      context.onSendActivities(async (_ctx, activities, next) => {
        sent.push(...activities);
        return next();
      });
      await bot.run(context);
    });
    await expect(adapter.send(message('hello')).startTest()).rejects.toThrow('bus down');
    expect(sent).toEqual([]);
  });

  it('welcomes members who join, not the bot itself', async () => {
    const { adapter, published } = harness();
    const conversationUpdate = (memberId: string): Partial<Activity> => ({
      type: ActivityTypes.ConversationUpdate,
      membersAdded: [{ id: memberId, name: memberId }],
      recipient: { id: 'bot', name: 'bot' },
    });
    await adapter.send(conversationUpdate('user-7')).assertReply(replies.welcome.en).startTest();
    const quiet = harness();
    await quiet.adapter.send(conversationUpdate('bot')).startTest();
    expect(quiet.adapter.activeQueue).toHaveLength(0);
    expect(published).toEqual([]);
  });
});
