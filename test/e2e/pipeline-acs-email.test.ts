import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalHost } from '../../local/host.js';
import { startAcsEmailServer, type AcsEmailServer } from '../support/acs-email-server.js';
import { messageActivity, postActivity, startFakeChannel, waitFor, type FakeChannel } from '../support/fake-channel.js';
import { startTestHost, tempDataDir } from '../support/host.js';
import { eventIdOf, waitForCompleteRecord, type SentMessage } from '../support/records.js';

const MESSAGES = [
  { conversationId: 'acs-en', activityId: 'a1', text: 'Where is my order #1234?', locale: 'en-US' },
  { conversationId: 'acs-ko', activityId: 'a2', text: '안녕하세요, 주문 상태가 궁금합니다', locale: 'ko-KR' },
] as const;

/** The local host with ACS_EMAIL_CONNECTION_STRING pointed at the ACS Email stand-in: staff email goes there. */
describe('the pipeline with Azure Communication Services Email', () => {
  let data: Awaited<ReturnType<typeof tempDataDir>>;
  let acs: AcsEmailServer;
  let channel: FakeChannel;
  let host: LocalHost;

  const post = async (m: SentMessage & { text: string; locale: string }) =>
    expect((await postActivity(host.url, messageActivity({ serviceUrl: channel.serviceUrl, ...m }))).status).toBe(200);
  const emailsFor = (text: string) => acs.accepted.filter((a) => a.message.content.plainText?.includes(text));

  beforeAll(async () => {
    data = await tempDataDir();
    [acs, channel] = await Promise.all([startAcsEmailServer({ runningPolls: 1 }), startFakeChannel()]);
    ({ host } = await startTestHost(data.dir, { ACS_EMAIL_CONNECTION_STRING: acs.connectionString }));
  });

  afterAll(async () => {
    await host?.stop();
    await Promise.all([acs?.stop(), channel?.stop()]);
    await data?.remove();
  });

  it('selects the ACS Email mailer from the settings, never showing the key', () => {
    const mailer = host.ports.describe().mailer;
    expect(mailer).toMatch(/^Azure Communication Services Email \(http:\/\/127\.0\.0\.1:\d+\/, access key, ≤ 30\/min\)$/);
    expect(mailer).not.toContain(acs.accessKey);
  });

  it('emails staff through ACS: one signed send per interaction, the audio attached and linked', async () => {
    for (const m of MESSAGES) await post(m);
    const store = await host.ports.store();
    const audio = await host.ports.audio();
    for (const m of MESSAGES) {
      const record = await waitForCompleteRecord(store, m);
      const emails = emailsFor(m.text);
      expect(emails).toHaveLength(1);
      const [email] = emails;
      expect(email?.message.senderAddress).toBe('talkback@example.test');
      expect(email?.message.recipients.to.map((r) => r.address)).toEqual(['staff@example.test', 'lead@example.test']);
      const bytes = await audio.get(`audio/${eventIdOf(m)}.mp3`);
      expect(email?.message.attachments?.map((a) => a.contentType)).toEqual(['audio/mpeg']);
      expect(Buffer.compare(Buffer.from(email?.message.attachments?.[0]?.contentInBase64 ?? '', 'base64'), bytes!)).toBe(0);
      expect(email?.message.content.plainText).toMatch(/is attached to this email.*\nPlay the audio: http:\/\/127\.0\.0\.1:\d+\/audio\/audio\/[0-9a-f]+\.mp3\?se=\d+&sig=/);
      expect(email?.message.content.html).toContain(`/interactions/${eventIdOf(m)}"`);
      expect(record.mail).toEqual({ recipients: ['staff@example.test', 'lead@example.test'], messageId: email?.operationId });
    }
  });

  it('sends again after ACS answers 429, once its Retry-After has passed', async () => {
    acs.respondWith([{ status: 429, headers: { 'retry-after': '1' }, body: { error: { code: 'TooManyRequests', message: 'slow down' } } }]);
    const m = { conversationId: 'acs-429', activityId: 'a3', text: 'Throttled once, then delivered', locale: 'en-US' };
    await post(m);
    const record = await waitForCompleteRecord(await host.ports.store(), m);
    expect(acs.received.filter((r) => r.method === 'POST').map((r) => r.status)).toContain(429);
    expect(emailsFor(m.text)).toHaveLength(1);
    expect(record.mail?.messageId).toBe(emailsFor(m.text)[0]?.operationId);
  });

  it('records a 4xx as a permanent failure with ACS’s message, and still replies to the customer', async () => {
    const reason = 'The sender address is not from a verified domain.';
    acs.respondWith([{ status: 400, body: { error: { code: 'InvalidSenderDomain', message: reason } } }]);
    const m = { conversationId: 'acs-400', activityId: 'a4', text: 'Rejected by ACS', locale: 'en-US' };
    await post(m);
    const store = await host.ports.store();
    const failure = await waitFor(
      async () => (await store.get({ conversationId: m.conversationId, id: eventIdOf(m) }))?.failures.find((f) => f.function === 'mail'),
      60_000,
      'the mail failure on the record',
    );
    expect(failure).toMatchObject({ code: 'MailRejected' });
    expect(failure.message).toContain(reason);
    expect(emailsFor(m.text)).toHaveLength(0);
    await waitFor(() => (channel.forConversation(m.conversationId).length >= 2 ? true : undefined), 60_000, 'the audio reply');
  });
});
