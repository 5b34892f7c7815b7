import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AgentsChatChannel } from '../../../adapters/chat/agents-chat-channel.js';
import { BotbuilderChatChannel } from '../../../adapters/chat/botbuilder-chat-channel.js';
import { BOT_SDKS } from '../../support/bot-sdks.js';
import { markerKey } from '../../../core/conversation-marker.js';
import { recordKeyOf } from '../../../core/record.js';
import type { FunctionContext } from '../../../functions/context.js';
import { log } from '../../../functions/log.js';
import { mail } from '../../../functions/mail.js';
import { reply } from '../../../functions/reply.js';
import { runSubscriber } from '../../../functions/run-subscriber.js';
import { embeddedApp } from '../../support/embedded-app.js';
import { audioStoredEvent, messageReceivedEvent } from '../../support/events.js';
import { startFakeChannel, type ChannelAnswer, type FakeChannel } from '../../support/fake-channel.js';
import { tempDataDir } from '../../support/host.js';
import { readOutbox } from '../../support/outbox.js';

const RECEIVED = '2026-12-01T10:00:00.000Z';
const HOUR = 3_600_000;
const on = (app: FunctionContext, deliveryCount = 1): FunctionContext => ({
  ...app,
  delivery: { messageId: 'm', deliveryCount, invocationId: `m:${deliveryCount}` },
});

/**
 * The reply and mail subscribers with the channel rules, the real connector of each bot SDK against a fake
 * Bot Connector, SQLite records, Azurite audio and the outbox mailer; the app's clock is set per test.
 */
describe.each(BOT_SDKS)('channel rules through the reply and mail subscribers (%s connector)', (sdk) => {
  let data: Awaited<ReturnType<typeof tempDataDir>>;
  let env: Awaited<ReturnType<typeof embeddedApp>>;
  let channel: FakeChannel;
  let answer: ChannelAnswer | undefined;
  let nowMs: number;

  beforeEach(async () => {
    data = await tempDataDir('talkback-channel-rules-');
    answer = undefined;
    channel = await startFakeChannel({ answer: () => answer });
    nowMs = Date.parse(RECEIVED) + 60_000;
    env = await embeddedApp(data.dir, {}, { chat: sdk === 'agents' ? new AgentsChatChannel({ appType: 'MultiTenant' }) : new BotbuilderChatChannel({ appType: 'MultiTenant' }), now: () => new Date(nowMs) });
  });
  afterEach(async () => {
    await env.close();
    await channel.stop();
    await data.remove();
  });

  async function storedAudio(channelId: string, conversationId: string, receivedAt = RECEIVED) {
    const reference = { channelId, serviceUrl: channel.serviceUrl, conversation: { id: conversationId } };
    const event = audioStoredEvent({ data: { channelId, conversationId, receivedAt, reference, text: 'Where is my order?' } });
    await env.audio.putIfAbsent(event.data.blobName, Buffer.from('ID3-not-really-mp3'), 'audio/mpeg');
    return event;
  }
  const emails = async () => readOutbox(path.join(data.dir, 'outbox'));

  it('Messenger: a reply 25 hours after the customer wrote is not sent, is recorded, and the email says to answer another way', async () => {
    const conversationId = 'fb-conversation';
    await runSubscriber(log, messageReceivedEvent({ data: { channelId: 'facebook', conversationId, receivedAt: RECEIVED } }), on(env.app));
    expect((await env.store.get(markerKey(conversationId)))?.conversation?.lastCustomerMessageAt).toBe(RECEIVED);

    nowMs = Date.parse(RECEIVED) + 25 * HOUR;
    const event = await storedAudio('facebook', conversationId);
    await runSubscriber(reply, event, on(env.app));
    await runSubscriber(mail, event, on(env.app));

    expect(channel.requests).toEqual([]);
    const record = await env.store.get(recordKeyOf(event));
    expect(record?.failures).toEqual([expect.objectContaining({ function: 'reply', code: 'OutsideMessagingWindow', eventId: event.id })]);
    expect(record?.claims.reply?.result).toBe('skipped:OutsideMessagingWindow');
    // Recorded, not retried: a redelivery does nothing.
    await runSubscriber(reply, event, on(env.app, 2));
    expect(channel.requests).toEqual([]);

    const [email] = await emails();
    expect(email?.text).toContain('outside the 24-hour messaging window');
    expect(email?.text).toContain('The customer must be answered another way.');
    expect(email?.html).toContain('outside the 24-hour messaging window');
  });

  it('Messenger: within the window the reply goes out and the email has no such line', async () => {
    nowMs = Date.parse(RECEIVED) + 23 * HOUR;
    const event = await storedAudio('facebook', 'fb-in-window');
    await runSubscriber(reply, event, on(env.app));
    await runSubscriber(mail, event, on(env.app));
    expect(channel.forConversation('fb-in-window')).toHaveLength(1);
    const [email] = await emails();
    expect(email?.text).not.toContain('IMPORTANT');
  });

  it('Teams: a 403 MessageWritesBlocked stops further replies to that conversation, and the email says the bot is blocked there', async () => {
    const conversationId = 'teams-conversation';
    answer = { status: 403, body: { error: { code: 'Forbidden', subCode: 'MessageWritesBlocked', message: 'The bot is blocked' } } };
    const first = await storedAudio('msteams', conversationId);
    await runSubscriber(reply, first, on(env.app));
    expect(channel.requests).toHaveLength(1);
    expect((await env.store.get(recordKeyOf(first)))?.failures).toEqual([
      expect.objectContaining({ function: 'reply', code: 'ConversationBlocked', eventId: first.id }),
    ]);

    // The next message of that conversation (received before Teams refused): no request to Teams at all.
    const second = await storedAudio('msteams', conversationId, new Date(Date.parse(RECEIVED) + 30_000).toISOString());
    await runSubscriber(reply, second, on(env.app));
    await runSubscriber(mail, second, on(env.app));
    expect(channel.requests).toHaveLength(1);
    expect((await env.store.get(recordKeyOf(second)))?.failures).toEqual([expect.objectContaining({ code: 'ConversationBlocked' })]);
    const [email] = await emails();
    expect(email?.text).toContain('the bot is blocked in this Teams conversation');
    expect(email?.text).toContain('Answer them another way.');
  });
});
