import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replies } from '../../core/replies.js';
import { startAzurite, type RunningAzurite } from '../../adapters/audio/azurite-emulator.js';
import type { LocalHost } from '../../local/host.js';
import { startCosmosServer, type CosmosTestServer } from '../support/cosmos-server.js';
import { audioLinkOf, messageActivity, postActivity, startFakeChannel, type FakeChannel } from '../support/fake-channel.js';
import { eventIdOf, waitForCompleteRecord } from '../support/records.js';
import { startTestHost, tempDataDir } from '../support/host.js';
import { decodeMp3 } from '../support/mp3.js';
import { startSendGridCaptureServer, type SendGridCaptureServer } from '../support/sendgrid-capture-server.js';

const MESSAGES = [
  { conversationId: 'az-en', activityId: 'a1', text: 'Where is my order #1234?', locale: 'en-US', language: 'en' },
  { conversationId: 'az-ko', activityId: 'a2', text: '안녕하세요, 주문 상태가 궁금합니다', locale: 'ko-KR', language: 'ko' },
] as const;

/** The same flow with the production adapters selected by config, each against its local server. */
describe('the pipeline with Cosmos DB, Blob storage and SendGrid adapters', () => {
  let data: Awaited<ReturnType<typeof tempDataDir>>;
  let cosmos: CosmosTestServer;
  let azurite: RunningAzurite;
  let sendgrid: SendGridCaptureServer;
  let channel: FakeChannel;
  let host: LocalHost;

  beforeAll(async () => {
    data = await tempDataDir();
    [cosmos, azurite, sendgrid, channel] = await Promise.all([
      startCosmosServer(),
      startAzurite({ port: 0 }),
      startSendGridCaptureServer(),
      startFakeChannel(),
    ]);
    ({ host } = await startTestHost(data.dir, {
      COSMOS_ENDPOINT: cosmos.endpoint,
      COSMOS_KEY: cosmos.key,
      AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString,
      SENDGRID_API_KEY: 'SG.test-key.not-a-secret',
      SENDGRID_BASE_URL: sendgrid.baseUrl,
    }));
  });

  afterAll(async () => {
    await host?.stop();
    await Promise.all([cosmos?.stop(), azurite?.stop(), sendgrid?.stop(), channel?.stop()]);
    await data?.remove();
  });

  it('selects the Azure adapters from the settings', () => {
    const ports = host.ports.describe();
    expect(ports.store).toMatch(/^Cosmos DB/);
    expect(ports.audio).toMatch(/^Blob storage/);
    expect(ports.mailer).toMatch(/^SendGrid/);
  });

  it('completes every interaction: record in Cosmos, blob, one SendGrid mail, audio reply', async () => {
    for (const m of MESSAGES) {
      expect((await postActivity(host.url, messageActivity({ serviceUrl: channel.serviceUrl, ...m }))).status).toBe(200);
    }
    const store = await host.ports.store();
    const audio = await host.ports.audio();
    for (const m of MESSAGES) {
      const id = eventIdOf(m);
      const record = await waitForCompleteRecord(store, m);
      expect(record.text).toBe(m.text);
      const bytes = await audio.get(`audio/${id}.mp3`);
      expect((await decodeMp3(bytes!)).samples).toBeGreaterThan(0);
      const mails = sendgrid.received.filter((r) => r.status === 202 && JSON.stringify(r.body).includes(m.text));
      expect(mails).toHaveLength(1);
      const body = mails[0]!.body as { attachments: { content: string; type: string }[]; personalizations: { to: { email: string }[] }[] };
      expect(body.personalizations[0]!.to.map((t) => t.email)).toEqual(['staff@example.test', 'lead@example.test']);
      expect(body.attachments[0]!.type).toBe('audio/mpeg');
      expect(Buffer.compare(Buffer.from(body.attachments[0]!.content, 'base64'), bytes!)).toBe(0);
      const activities = channel.forConversation(m.conversationId);
      expect(activities.map((a) => a.body.text)).toEqual([replies.received[m.language], replies.audioReady[m.language]]);
      expect(audioLinkOf(activities[1]!.body)).toContain(azurite.blobEndpoint);
    }
  });
});
