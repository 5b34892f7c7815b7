import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replies, tooLong } from '../../core/replies.js';
import { isComplete, type InteractionRecord } from '../../core/record.js';
import type { LocalHost } from '../../local/host.js';
import { audioLinkOf, messageActivity, postActivity, startFakeChannel, waitFor, type FakeChannel } from '../support/fake-channel.js';
import { startTestHost, tempDataDir } from '../support/host.js';
import { decodeMp3 } from '../support/mp3.js';
import { readOutbox } from '../support/outbox.js';
import { eventIdOf, waitForCompleteRecord, type SentMessage } from '../support/records.js';

const ACCEPTED = [
  { conversationId: 'conv-en', activityId: 'act-en', text: 'Where is my order #1234?', locale: 'en-US', language: 'en' },
  { conversationId: 'conv-ko', activityId: 'act-ko', text: '안녕하세요, 주문 상태가 궁금합니다', locale: 'ko-KR', language: 'ko' },
  {
    conversationId: 'conv-meta',
    activityId: 'act-meta',
    text: `<speak>Tom & "Jerry" ]]> <b>bold</b> it's <script>alert(1)</script>`,
    locale: 'en-US',
    language: 'en',
  },
] as const;

const REJECTED = [
  { conversationId: 'conv-empty', activityId: 'act-empty', text: '   ', locale: 'en-US' },
  { conversationId: 'conv-long', activityId: 'act-long', text: 'a'.repeat(2001), locale: 'en-US' },
] as const;

async function completeRecord(host: LocalHost, m: SentMessage) {
  return waitForCompleteRecord(await host.ports.store(), m);
}

describe('the whole pipeline on one machine', () => {
  let data: Awaited<ReturnType<typeof tempDataDir>>;
  let channel: FakeChannel;
  let host: LocalHost;
  const records = new Map<string, InteractionRecord>();
  const postStatus = new Map<string, number>();

  beforeAll(async () => {
    data = await tempDataDir();
    channel = await startFakeChannel();
    ({ host } = await startTestHost(data.dir));
    for (const m of [...ACCEPTED, ...REJECTED]) {
      const result = await postActivity(host.url, messageActivity({ serviceUrl: channel.serviceUrl, ...m }));
      postStatus.set(m.conversationId, result.status);
    }
    for (const m of ACCEPTED) records.set(m.conversationId, await completeRecord(host, m));
  });

  afterAll(async () => {
    await host?.stop();
    await channel?.stop();
    await data?.remove();
  });

  it('answers every message at once in the customer language', () => {
    for (const m of [...ACCEPTED, ...REJECTED]) expect(postStatus.get(m.conversationId)).toBe(200);
    for (const m of ACCEPTED) {
      const first = channel.forConversation(m.conversationId)[0];
      expect(first?.replyToId).toBe(m.activityId);
      expect(first?.body.text).toBe(replies.received[m.language]);
    }
    expect(channel.forConversation('conv-empty').map((a) => a.body.text)).toEqual([replies.askForText.en]);
    expect(channel.forConversation('conv-long').map((a) => a.body.text)).toEqual([tooLong('en', 2000, 2001)]);
  });

  it('keeps a complete record for each accepted message and none for the rejected ones', async () => {
    for (const m of ACCEPTED) {
      const record = records.get(m.conversationId);
      expect(record?.text).toBe(m.text);
      expect(record?.language).toBe(m.language);
      expect(record?.channelId).toBe('emulator');
      expect(record?.customer).toEqual({ id: 'user-1', name: 'Ada Customer' });
      expect(record?.audio?.blobName).toBe(`audio/${eventIdOf(m)}.mp3`);
      expect(record?.failures).toEqual([]);
    }
    const store = await host.ports.store();
    for (const m of REJECTED) expect(await store.get({ conversationId: m.conversationId, id: eventIdOf(m) })).toBeUndefined();
    const all = await store.listUpdated(new Date(0), new Date(Date.now() + 60_000), 100);
    expect(all.map((r) => r.conversationId).sort()).toEqual(ACCEPTED.map((m) => m.conversationId).sort());
  });

  it('stores one MP3 blob per accepted message that decodes to audio', async () => {
    const audio = await host.ports.audio();
    for (const m of ACCEPTED) {
      const bytes = await audio.get(`audio/${eventIdOf(m)}.mp3`);
      expect(bytes).toBeDefined();
      const decoded = await decodeMp3(bytes!);
      expect(decoded.samples).toBeGreaterThan(0);
      expect(decoded.durationMs).toBeGreaterThan(200);
    }
    for (const m of REJECTED) expect(await audio.get(`audio/${eventIdOf(m)}.mp3`)).toBeUndefined();
  });

  it('emails staff exactly once per accepted message with the escaped transcript and the audio', async () => {
    const outbox = path.join(data.dir, 'outbox');
    const files = (await readdir(outbox)).filter((f) => f.endsWith('.eml')).sort();
    expect(files).toEqual(ACCEPTED.map((m) => `${eventIdOf(m)}.eml`).sort());
    const mails = await readOutbox(outbox);
    const audio = await host.ports.audio();
    for (const m of ACCEPTED) {
      const mail = mails.find((x) => x.text.includes(m.text));
      expect(mail, `mail for ${m.conversationId}`).toBeDefined();
      expect(mail!.to).toEqual(['staff@example.test', 'lead@example.test']);
      expect(mail!.from).toBe('talkback@example.test');
      expect(mail!.subject).toContain('Ada Customer');
      expect(mail!.subject).toContain('Emulator / Agents Playground');
      expect(mail!.html).toContain(`/interactions/${eventIdOf(m)}"`);
      expect(mail!.html).not.toMatch(/<\/?mj-/);
      expect(mail!.subject).not.toMatch(/[\r\n]/);
      expect(mail!.attachments).toHaveLength(1);
      expect(mail!.attachments[0]!.contentType).toBe('audio/mpeg');
      expect(Buffer.compare(mail!.attachments[0]!.content, (await audio.get(`audio/${eventIdOf(m)}.mp3`))!)).toBe(0);
    }
    const meta = mails.find((x) => x.text.includes('<speak>Tom'))!;
    expect(meta.html).toContain('&lt;speak&gt;Tom &amp; &quot;Jerry&quot; ]]&gt;');
    expect(meta.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(meta.html).not.toContain('<script>');
  });

  it('sends the customer the audio back in the chat', async () => {
    const audio = await host.ports.audio();
    for (const m of ACCEPTED) {
      const activities = channel.forConversation(m.conversationId);
      expect(activities).toHaveLength(2);
      const reply = activities[1]!;
      expect(reply.body.text).toBe(replies.audioReady[m.language]);
      // The emulator channel (the Emulator, the Playground's emulator mode) gets the Listen card only.
      expect(reply.body.attachments?.map((a) => a.contentType)).toEqual(['application/vnd.microsoft.card.hero']);
      const response = await fetch(audioLinkOf(reply.body)!);
      expect(response.status).toBe(200);
      const bytes = Buffer.from(await response.arrayBuffer());
      expect(Buffer.compare(bytes, (await audio.get(`audio/${eventIdOf(m)}.mp3`))!)).toBe(0);
    }
  });

  it('shows the interactions on the dashboard, escaped', async () => {
    const response = await fetch(`${host.url}/`);
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('Where is my order #1234?');
    expect(html).toContain('안녕하세요, 주문 상태가 궁금합니다');
    expect(html).toContain('&lt;speak&gt;Tom &amp; &quot;Jerry&quot;');
    expect(html).not.toContain('<script>');
    const health = await fetch(`${host.url}/api/health`);
    expect(health.status).toBe(200);
    // The local host settles bus messages itself (its pumps), and says so.
    expect(await health.json()).toMatchObject({ status: 'ok', settlement: { mode: 'pump' } });
  });

  it('refuses malformed, wrong-method and oversized requests without publishing', async () => {
    const url = `${host.url}/api/messages`;
    const post = (body: string) => fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
    expect((await post('{not json')).status).toBe(400);
    expect((await post('[1,2]')).status).toBe(400);
    expect((await post('"text"')).status).toBe(400);
    expect((await post(JSON.stringify({ type: 42, conversation: 'x' }))).status).toBe(400);
    // Parseable, but without what a reply and an event need: refused before anything is published.
    const bare = messageActivity({ serviceUrl: channel.serviceUrl, conversationId: 'conv-bare', activityId: 'b', text: 'hello' });
    for (const field of ['channelId', 'serviceUrl', 'conversation', 'from'] as const) {
      const { [field]: _dropped, ...rest } = bare;
      const response = await post(JSON.stringify(rest));
      expect(response.status, field).toBe(400);
      expect(await response.text()).toContain(field);
    }
    expect((await fetch(url)).status).toBe(405);
    const huge = JSON.stringify(messageActivity({ serviceUrl: channel.serviceUrl, conversationId: 'conv-huge', activityId: 'h', text: 'x'.repeat(300 * 1024) }));
    expect((await post(huge)).status).toBe(413);
    expect(channel.forConversation('conv-huge')).toEqual([]);
    const store = await host.ports.store();
    const all = await store.listUpdated(new Date(0), new Date(Date.now() + 60_000), 100);
    expect(all).toHaveLength(ACCEPTED.length);
  });
});

describe('stopping with events in flight and starting again', () => {
  it('completes every event exactly once', async () => {
    const data = await tempDataDir();
    const channel = await startFakeChannel();
    const messages = Array.from({ length: 8 }, (_, i) => ({
      conversationId: `restart-${i}`,
      activityId: `a-${i}`,
      text: i % 2 === 0 ? `Message number ${i}: please call me back about invoice ${1000 + i}.` : `${i}번 메시지: 배송이 언제 되나요?`,
      locale: i % 2 === 0 ? 'en-US' : 'ko-KR',
    }));
    try {
      const first = await startTestHost(data.dir);
      for (const m of messages) {
        expect((await postActivity(first.host.url, messageActivity({ serviceUrl: channel.serviceUrl, ...m }))).status).toBe(200);
      }
      // Stop while the pipeline is busy: some interactions are done, most are not.
      const store = await first.host.ports.store();
      await waitFor(
        async () => ((await store.listUpdated(new Date(0), new Date(Date.now() + 60_000), 100)).some((r) => r.stages.spoken) ? true : undefined),
        60_000,
        'the first audio',
      );
      await first.host.stop();
      const store1 = await import('../../adapters/store/sqlite-interaction-store.js');
      const peek = new store1.SqliteInteractionStore({ path: path.join(data.dir, 'records.sqlite') });
      const before = await peek.listUpdated(new Date(0), new Date(Date.now() + 60_000), 100);
      await peek.close();
      expect(before.filter(isComplete).length).toBeLessThan(messages.length);

      const second = await startTestHost(data.dir);
      try {
        for (const m of messages) await completeRecord(second.host, m);
        const files = (await readdir(path.join(data.dir, 'outbox'))).filter((f) => f.endsWith('.eml')).sort();
        expect(files).toEqual(messages.map((m) => `${eventIdOf(m)}.eml`).sort());
        for (const m of messages) {
          const activities = channel.forConversation(m.conversationId);
          expect(activities.filter((a) => a.replyToId === m.activityId)).toHaveLength(1);
          expect(activities.filter((a) => audioLinkOf(a.body) !== undefined)).toHaveLength(1);
        }
        const bus = await second.host.ports.bus();
        for (const sub of ['speech', 'log', 'mail', 'reply']) expect(await bus.deadLetters(sub)).toEqual([]);
      } finally {
        await second.host.stop();
      }
    } finally {
      await channel.stop();
      await data.remove();
    }
    // Two host starts (each compiling the speech engine): on a loaded machine this exceeds the default 60 s.
  }, 240_000);
});
