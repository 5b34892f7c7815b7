import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TalkbackError } from '../../../core/errors.js';
import { recordKeyOf } from '../../../core/record.js';
import { digest } from '../../../functions/digest.js';
import { mail } from '../../../functions/mail.js';
import { reply } from '../../../functions/reply.js';
import { speech } from '../../../functions/speech.js';
import { audioStoredSchema } from '../../../core/events.js';
import { runSubscriber } from '../../../functions/run-subscriber.js';
import type { FunctionContext } from '../../../functions/context.js';
import { audioStoredEvent, messageReceivedEvent } from '../../support/events.js';
import { tempDataDir } from '../../support/host.js';
import { readOutbox } from '../../support/outbox.js';
import { embeddedApp } from '../../support/embedded-app.js';
import { audioLinkOf } from '../../support/fake-channel.js';

/** The app's context on one delivery of a message. */
const on = (app: FunctionContext, deliveryCount = 1): FunctionContext => ({
  ...app,
  delivery: { messageId: 'm', deliveryCount, invocationId: `m:${deliveryCount}` },
});

describe('subscribers on the embedded adapters', () => {
  let data: Awaited<ReturnType<typeof tempDataDir>>;
  let env: Awaited<ReturnType<typeof embeddedApp>>;

  beforeEach(async () => {
    data = await tempDataDir('talkback-subscribers-');
    env = await embeddedApp(data.dir);
  });
  afterEach(async () => {
    await env.close();
    await data.remove();
  });

  async function storedAudio() {
    const event = audioStoredEvent({ data: { text: 'Tom & <Jerry>' } });
    await env.audio.putIfAbsent(event.data.blobName, Buffer.from('ID3-not-really-mp3'), 'audio/mpeg');
    return event;
  }

  it('mail: a redelivered audio.stored sends one email', async () => {
    const event = await storedAudio();
    await runSubscriber(mail, event, on(env.app, 1));
    await runSubscriber(mail, event, on(env.app, 2));
    expect(env.mailer.sent).toHaveLength(1);
    expect(env.mailer.sent[0]!.to).toEqual(['a@example.test', 'b@example.test']);
    const record = await env.store.get(recordKeyOf(event));
    expect(record?.claims.mail?.doneAt).toBeDefined();
  });

  it('mail and reply: audio the store lost is synthesized again and stored, not waited for until dead-lettered', async () => {
    // audio.stored was published, but the blob is gone (e.g. a crash before the store's index reached disk).
    const event = audioStoredEvent({ data: { text: 'Where is my order?' } });
    expect(await env.audio.stat(event.data.blobName)).toBeUndefined();
    await runSubscriber(mail, event, on(env.app, 1));
    expect(env.mailer.sent).toHaveLength(1);
    expect(env.mailer.sent[0]!.attachments[0]?.content.length).toBeGreaterThan(1000);
    expect(env.speech.requests).toEqual([{ text: 'Where is my order?', language: event.data.language }]);
    const blob = await env.audio.get(event.data.blobName);
    expect(blob?.equals(env.mailer.sent[0]!.attachments[0]!.content)).toBe(true);
    // The reply finds it now: no second synthesis.
    await runSubscriber(reply, event, on(env.app, 1));
    expect(env.speech.requests).toHaveLength(1);
    const lost = audioStoredEvent({ data: { text: 'Another one' } });
    await runSubscriber(reply, lost, on(env.app, 1));
    expect(env.speech.requests).toHaveLength(2);
    expect(await env.audio.stat(lost.data.blobName)).toBeDefined();
  });

  it('mail: two concurrent deliveries send one email; the other waits for the claim instead of using up a delivery', async () => {
    const event = await storedAudio();
    const results = await Promise.allSettled([
      runSubscriber(mail, event, on(env.app, 1)),
      runSubscriber(mail, event, on(env.app, 1)),
    ]);
    expect(env.mailer.sent).toHaveLength(1);
    expect(results.map((r) => r.status)).toEqual(['fulfilled', 'fulfilled']);
  });

  it('mail: a claim left by a dead process is taken over at once; one left by a live process of another host is not', async () => {
    const event = await storedAudio();
    const key = recordKeyOf(event);
    const leftBy = (owner: string) =>
      env.store.update(key, (current) => ({
        ...(current ?? { id: key.id, conversationId: key.conversationId, stages: {}, failures: [], appliedEvents: [], createdAt: new Date().toISOString(), updatedAt: new Date().toISOString() }),
        claims: { mail: { owner, expiresAt: new Date(Date.now() + 300_000).toISOString() } },
      }));
    const gone = { ...env.app, claimOwnerGone: (owner: string) => owner.startsWith('dead@') };
    await leftBy('dead@host:1:n#attempt');
    await runSubscriber(mail, event, on(gone, 1));
    expect(env.mailer.sent).toHaveLength(1);
    const other = await storedAudio();
    const otherKey = recordKeyOf(other);
    await env.store.update(otherKey, () => ({
      id: otherKey.id, conversationId: otherKey.conversationId, stages: {}, failures: [], appliedEvents: [],
      createdAt: new Date().toISOString(), updatedAt: new Date().toISOString(),
      // A lease that ends soon: the waiting delivery takes over when it runs out, without failing.
      claims: { mail: { owner: 'alive@elsewhere:2:n#attempt', expiresAt: new Date(Date.now() + 1_500).toISOString() } },
    }));
    await runSubscriber(mail, other, on(gone, 1));
    expect(env.mailer.sent).toHaveLength(2);
    expect((await env.store.get(otherKey))?.claims.mail?.owner).toMatch(/#/);
  });

  it('mail: a permanent failure is recorded with its message, and a redelivery does not send again', async () => {
    const event = await storedAudio();
    env.mailer.failWith = new TalkbackError('MailRejected', 'SendGrid refused: The from address does not match a verified Sender Identity (from.email)');
    await expect(runSubscriber(mail, event, on(env.app, 1))).rejects.toMatchObject({ code: 'MailRejected', retryable: false });
    const record = await env.store.get(recordKeyOf(event));
    expect(record?.failures).toEqual([
      expect.objectContaining({ function: 'mail', code: 'MailRejected', eventId: event.id, message: expect.stringContaining('verified Sender Identity') as string }),
    ]);
    expect(record?.claims.mail).toBeUndefined();
    env.mailer.failWith = undefined;
    await expect(runSubscriber(mail, event, on(env.app, 2))).rejects.toMatchObject({ code: 'GaveUp', retryable: false, details: { code: 'MailRejected' } });
    expect(env.mailer.sent).toHaveLength(1);
  });

  it('mail: a retryable failure on the last delivery is recorded as given up', async () => {
    const event = await storedAudio();
    env.mailer.failWith = new TalkbackError('Throttled', 'SendGrid 429', { retryAfterMs: 7000 });
    await expect(runSubscriber(mail, event, on(env.app, 3))).rejects.toMatchObject({ code: 'Throttled' });
    expect((await env.store.get(recordKeyOf(event)))?.failures).toEqual([]);
    await expect(runSubscriber(mail, event, on(env.app, 10))).rejects.toMatchObject({ code: 'Throttled' });
    expect((await env.store.get(recordKeyOf(event)))?.failures[0]?.message).toBe('gave up after 10 deliveries: SendGrid 429');
  });

  it('speech: a redelivery after the upload publishes the same audio.stored without synthesizing again', async () => {
    const event = messageReceivedEvent({ data: { text: 'Where is my order #1234?' } });
    await runSubscriber(speech, event, on(env.app, 1));
    await runSubscriber(speech, event, on(env.app, 2));
    expect(env.speech.requests).toHaveLength(1);
    const receiver = env.bus.receiver('mail');
    const delivered = await receiver.receive(10, 200);
    expect(delivered).toHaveLength(1);
    const stored = audioStoredSchema.parse(delivered[0]!.body);
    const blob = await env.audio.get(stored.data.blobName);
    expect(stored.data.bytes).toBe(blob!.length);
    expect(stored.data.durationMs).toBeGreaterThan(500);
    expect(stored.data.voice).toBe('en-us');
  });

  it('digest: one email per staff member a day, transcripts escaped', async () => {
    const received = messageReceivedEvent({ data: { text: '<b>refund</b> & "soon"', customer: { id: 'u1', name: 'Kim' } } });
    // A second ago: the digest's window ends (exclusive) at its own now, which may fall in the same millisecond.
    const earlier = new Date(env.app.now().getTime() - 1_000).toISOString();
    await env.store.update(recordKeyOf(received), () => ({
      id: received.id,
      conversationId: received.data.conversationId,
      text: received.data.text,
      customer: received.data.customer,
      channelId: 'facebook',
      stages: { received: earlier },
      claims: {},
      failures: [],
      appliedEvents: [received.id],
      createdAt: earlier,
      updatedAt: earlier,
    }));
    const invocation = env.app;
    await digest.handler(invocation);
    await digest.handler(invocation);
    expect(env.mailer.sent.slice(0, 2).map((m) => m.to)).toEqual([['a@example.test'], ['b@example.test']]);
    // A second run the same day reuses the same idempotency keys (the outbox keeps one file each).
    expect(new Set(env.mailer.sent.map((m) => m.idempotencyKey)).size).toBe(2);
    const mails = await readOutbox(`${data.dir}/outbox`);
    expect(mails).toHaveLength(2);
    expect(mails[0]!.subject).toMatch(/digest .*: 1 conversation$/);
    expect(mails[0]!.text).toContain('Kim (u1) · Facebook Messenger · 1 message');
    expect(mails[0]!.text).toMatch(/^ {2}- .*: <b>refund<\/b> & "soon"$/m);
    expect(mails[0]!.text).toContain(`http://127.0.0.1:3978/interactions/${received.id}`);
    expect(mails[0]!.html).toContain('&lt;b&gt;refund&lt;/b&gt; &amp; &quot;soon&quot;');
  });

  it('reply: a redelivered audio.stored sends the customer one audio message through the chat channel', async () => {
    const event = await storedAudio();
    await runSubscriber(reply, event, on(env.app, 1));
    await runSubscriber(reply, event, on(env.app, 2));
    expect(env.chat.sent).toHaveLength(1);
    expect(env.chat.sent[0]!.conversationId).toBe(event.data.conversationId);
    // The emulator channel gets the Listen card; its button opens the audio's link.
    expect(audioLinkOf(env.chat.sent[0]!.activity)).toContain(event.data.blobName);
    expect((await env.store.get(recordKeyOf(event)))?.claims.reply?.doneAt).toBeDefined();
  });

  it('reply: a conversation that blocked the bot is a permanent failure on the record', async () => {
    const event = await storedAudio();
    env.chat.failFor(event.data.conversationId, new TalkbackError('Unauthorized', 'chat reply failed (403): blocked'));
    await expect(runSubscriber(reply, event, on(env.app, 1))).rejects.toMatchObject({ code: 'Unauthorized', retryable: false });
    expect((await env.store.get(recordKeyOf(event)))?.failures).toEqual([expect.objectContaining({ function: 'reply', code: 'Unauthorized' })]);
    expect(env.chat.sent).toEqual([]);
  });
});
