import { readdir } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPorts } from '../../adapters/index.js';
import { startAzurite, type RunningAzurite } from '../../adapters/audio/azurite-emulator.js';
import { runCli } from '../../cli/talkback.js';
import { loadConfig } from '../../core/config.js';
import { followUpEventId } from '../../core/ids.js';
import { createLogger } from '../../core/logger.js';
import { applyEvent } from '../../core/record-changes.js';
import { subscriptions } from '../../functions/all.js';
import type { LocalHost } from '../../local/host.js';
import { startCosmosServer, type CosmosTestServer } from '../support/cosmos-server.js';
import { audioStoredEvent, messageReceivedEvent } from '../support/events.js';
import { messageActivity, postActivity, startFakeChannel, waitFor, type FakeChannel } from '../support/fake-channel.js';
import { startTestHost, tempDataDir } from '../support/host.js';
import { eventIdOf, waitForCompleteRecord } from '../support/records.js';

/** Runs the CLI in-process as `npm run talkback -- <argv>` would, with these settings. */
async function talkback(env: Record<string, string>, ...argv: string[]) {
  let out = '';
  let err = '';
  const code = await runCli(argv, { env, write: (t) => void (out += t), writeError: (t) => void (err += t) });
  return { code, out, err, json: () => JSON.parse(out) as Record<string, unknown> };
}

const CUSTOMER = { id: 'user-cli', name: 'Cli Customer' };
const MESSAGE = { conversationId: 'conv-cli', activityId: 'act-cli', text: 'Please call me back', locale: 'en-US', from: CUSTOMER };

describe('the talkback CLI on the embedded stack', () => {
  let data: Awaited<ReturnType<typeof tempDataDir>>;
  let channel: FakeChannel;
  let host: LocalHost | undefined;
  let env: Record<string, string>;
  const id = () => eventIdOf(MESSAGE);

  beforeAll(async () => {
    data = await tempDataDir('talkback-cli-');
    channel = await startFakeChannel();
    ({ host } = await startTestHost(data.dir));
    env = { TALKBACK_DATA_DIR: data.dir, AZURITE_BLOB_PORT: '0', LOG_LEVEL: 'silent' };
    expect((await postActivity(host.url, messageActivity({ serviceUrl: channel.serviceUrl, ...MESSAGE }))).status).toBe(200);
    channel.failFor(MESSAGE.conversationId, 404);
    const bus = await host.ports.bus();
    await waitFor(async () => ((await bus.deadLetters('reply')).length > 0 ? true : undefined), 60_000, 'the reply to be dead-lettered');
  });

  afterAll(async () => {
    await host?.stop();
    await channel?.stop();
    await data?.remove();
  });

  it('lists and shows the dead letter, as JSON and as text', async () => {
    const messageId = followUpEventId('audio.stored', id());
    const list = await talkback(env, 'dlq', 'list', '--json');
    expect(list.code).toBe(0);
    expect(list.json().deadLetters).toEqual([expect.objectContaining({ subscription: 'reply', messageId, subject: 'audio.stored', reason: 'NotFound', deliveryCount: 1 })]);
    const text = await talkback(env, 'dlq', 'list', '--subscription', 'reply');
    expect(text.out).toContain(`reply\t${messageId}\taudio.stored\tNotFound`);
    const show = await talkback(env, 'dlq', 'show', messageId, '--json');
    expect((show.json().deadLetters as Array<{ body: { correlationId: string } }>)[0]?.body.correlationId).toBe(id());
    expect((await talkback(env, 'dlq', 'show', 'no-such-message')).code).toBe(1);
  });

  it('redrives it: the running host replies, once, and the journey shows all four stages', async () => {
    channel.failFor(MESSAGE.conversationId, undefined);
    const redrive = await talkback(env, 'dlq', 'redrive', followUpEventId('audio.stored', id()), '--json');
    expect(redrive.json()).toEqual({ redriven: [{ subscription: 'reply', count: 1 }] });
    await waitForCompleteRecord(await host!.ports.store(), MESSAGE);
    expect(channel.forConversation(MESSAGE.conversationId).filter((a) => (a.body.attachments?.length ?? 0) > 0)).toHaveLength(1);
    const journey = (await talkback(env, 'journey', id(), '--json')).json() as { stages: Array<{ stage: string; at?: string }>; attempts: Array<{ outcome: string }>; links: Record<string, string> };
    expect(journey.stages.map((s) => [s.stage, typeof s.at])).toEqual([
      ['received', 'string'],
      ['spoken', 'string'],
      ['emailed', 'string'],
      ['replied', 'string'],
    ]);
    expect(journey.attempts.map((a) => a.outcome)).toEqual(['failed', 'succeeded']);
    expect(journey.links).toEqual({ page: `/interactions/${id()}`, audio: `/interactions/${id()}/audio`, email: `/interactions/${id()}/email.eml` });
    expect((await talkback(env, 'dlq', 'list', '--json')).json()).toEqual({ deadLetters: [] });
  });

  it('erases the customer (records, audio, the outbox email), with the host stopped', async () => {
    await host!.stop();
    host = undefined;
    const erase = await talkback(env, 'erase', '--channel', 'emulator', '--user', CUSTOMER.id, '--json');
    expect(erase.code).toBe(0);
    expect(erase.json()).toMatchObject({ records: 1, recordIds: [id()], blobs: 1, emails: 1 });
    expect((await readdir(path.join(data.dir, 'outbox'))).filter((f) => f.endsWith('.eml'))).toEqual([]);
    const ports = createPorts(loadConfig({ ...env }), { subscriptions, logger: createLogger('silent') });
    try {
      expect((await (await ports.store()).search({ limit: 10 })).records).toEqual([]);
      expect(await (await ports.audio()).get(`audio/${id()}.mp3`)).toBeUndefined();
    } finally {
      await ports.close();
    }
    const again = await talkback(env, 'erase', '--conversation', MESSAGE.conversationId);
    expect(again.out).toContain('deleted 0 record(s), 0 audio blob(s), 0 email(s)');
  });

  it('refuses bad arguments with exit code 2, as text or JSON', async () => {
    const bad = await talkback(env, 'erase', '--channel', 'x');
    expect(bad.code).toBe(2);
    expect(bad.err).toContain('erase needs --channel and --user, or --conversation');
    const json = await talkback(env, 'dlq', 'purge', '--json');
    expect(json.code).toBe(2);
    expect(json.json()).toMatchObject({ error: { code: 'BadRequest' } });
    expect((await talkback(env, 'dlq', 'list', '--subscription', 'nope')).err).toContain('no subscription "nope"');
  });
});

describe('the talkback CLI against the Cosmos test server and Azurite', () => {
  let cosmos: CosmosTestServer;
  let azurite: RunningAzurite;
  let data: Awaited<ReturnType<typeof tempDataDir>>;
  let env: Record<string, string>;

  beforeAll(async () => {
    [cosmos, azurite, data] = await Promise.all([startCosmosServer(), startAzurite({ port: 0 }), tempDataDir('talkback-cli-azure-')]);
    env = {
      TALKBACK_DATA_DIR: data.dir,
      LOG_LEVEL: 'silent',
      COSMOS_ENDPOINT: cosmos.endpoint,
      COSMOS_KEY: cosmos.key,
      AZURE_STORAGE_CONNECTION_STRING: azurite.connectionString,
    };
  });
  afterAll(async () => {
    await cosmos?.stop();
    await azurite?.stop();
    await data?.remove();
  });

  it('shows a journey and erases a conversation from Cosmos DB and Blob storage', async () => {
    const ports = createPorts(loadConfig(env), { subscriptions, logger: createLogger('silent') });
    const received = messageReceivedEvent({ data: { conversationId: 'conv-cosmos', text: '안녕하세요' } });
    const stored = audioStoredEvent({ correlationId: received.id, data: { conversationId: 'conv-cosmos', text: '안녕하세요' } });
    const key = { conversationId: 'conv-cosmos', id: received.id };
    try {
      const store = await ports.store();
      await store.update(key, (current) => applyEvent(current, received, '2026-12-03T00:00:00.000Z'));
      await store.update(key, (current) => applyEvent(current, stored, '2026-12-03T00:00:01.000Z'));
      await (await ports.audio()).putIfAbsent(stored.data.blobName, new Uint8Array([1, 2, 3]), 'audio/mpeg');
    } finally {
      await ports.close();
    }
    const journey = (await talkback(env, 'journey', stored.id, '--json')).json() as { id: string; audio?: { blobName: string } };
    expect(journey).toMatchObject({ id: received.id, audio: { blobName: stored.data.blobName } });
    const erase = await talkback(env, 'erase', '--conversation', 'conv-cosmos', '--json');
    // Email copies: none kept by the outbox for this record (never sent); the SQLite bus held nothing of it.
    expect(erase.json()).toMatchObject({ records: 1, blobs: 1, emails: 0, messages: 0 });
    const after = createPorts(loadConfig(env), { subscriptions, logger: createLogger('silent') });
    try {
      expect(await (await after.store()).get(key)).toBeUndefined();
      expect(await (await after.audio()).get(stored.data.blobName)).toBeUndefined();
    } finally {
      await after.close();
    }
  });
});
