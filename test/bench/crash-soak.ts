/**
 * npm run bench:soak — kill -9 soak of the local host: sends SOAK_MESSAGES (1,000) messages, one
 * conversation each, at SOAK_RATE per second (20), and kills the host with SIGKILL SOAK_KILLS (5)
 * times along the way, restarting it on the same data folder at once (a POST refused meanwhile is
 * sent again with the same activity id, as a channel retries). Then it waits for every accepted
 * message and counts, per message: a complete record, the staff .eml, audio replies at the channel
 * (more than one = duplicated) and whether the reply's audio link still answers (a lost blob = broken).
 * Writes bench-results/crash-soak.json.
 */
import { existsSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { SqliteInteractionStore } from '../../adapters/store/sqlite-interaction-store.js';
import { messageEventId } from '../../core/ids.js';
import { isComplete } from '../../core/record.js';
import { messageActivity, postActivity, startFakeChannel } from '../support/fake-channel.js';
import { exited, spawnHost } from '../support/host-process.js';

const COUNT = Number(process.env['SOAK_MESSAGES'] ?? 1000);
const KILLS = Number(process.env['SOAK_KILLS'] ?? 5);
const RATE = Number(process.env['SOAK_RATE'] ?? 20);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function main() {
  const started = Date.now();
  const dataDir = await mkdtemp(path.join(tmpdir(), 'talkback-soak-'));
  const channel = await startFakeChannel();
  // One port for every restart, as `npm start` has (3978; 10000 for LOCAL_AUDIO_STORE=azurite): links sent before a kill stay valid.
  const [hostPort, azuritePort] = [await freePort(), await freePort()];
  const env = { TALKBACK_DATA_DIR: dataDir, PORT: String(hostPort), AZURITE_BLOB_PORT: String(azuritePort), LOG_LEVEL: 'error', LOCK_DURATION_MS: '5000', RETRY_BASE_DELAY_MS: '500', RETRY_MAX_DELAY_MS: '5000' };
  let host = await spawnHost(env);
  const killEvery = Math.ceil(COUNT / (KILLS + 1));
  let kills = 0;
  let refusedWhileDown = 0;
  const ids = Array.from({ length: COUNT }, (_, i) => ({ conversationId: `soak-${i}`, activityId: `a-${i}` }));
  process.stdout.write(`soak: ${COUNT} messages at ${RATE}/s, kill -9 every ${killEvery}\n`);
  for (let i = 0; i < COUNT; i += 1) {
    if (i > 0 && i % killEvery === 0 && kills < KILLS) {
      host.child.kill('SIGKILL');
      await exited(host.child);
      kills += 1;
      process.stdout.write(`  kill ${kills} after ${i} messages\n`);
      host = await spawnHost(env);
    }
    const m = ids[i]!;
    const activity = messageActivity({ serviceUrl: channel.serviceUrl, text: `Soak message ${i}: where is my order?`, ...m });
    for (;;) {
      const status = await postActivity(host.url, activity).then((r) => r.status, () => 0);
      if (status === 200) break;
      refusedWhileDown += 1;
      await sleep(200);
    }
    await sleep(1000 / RATE);
  }
  process.stdout.write(`  all sent in ${Math.round((Date.now() - started) / 1000)} s; waiting for the pipeline\n`);
  const store = new SqliteInteractionStore({ path: path.join(dataDir, 'records.sqlite') });
  const deadline = Date.now() + 15 * 60_000;
  let complete = 0;
  for (;;) {
    complete = 0;
    for (const m of ids) {
      const record = await store.get({ conversationId: m.conversationId, id: messageEventId('emulator', m.conversationId, m.activityId) });
      if (record && isComplete(record)) complete += 1;
    }
    if (complete === COUNT || Date.now() > deadline) break;
    await sleep(5_000);
  }
  let emails = 0;
  let duplicatedReplies = 0;
  let missingReplies = 0;
  let brokenLinks = 0;
  for (const m of ids) {
    if (existsSync(path.join(dataDir, 'outbox', `${messageEventId('emulator', m.conversationId, m.activityId)}.eml`))) emails += 1;
    // The audio reply: an audio/mpeg attachment, or (emulator, Teams) a card whose Listen button links the audio.
    const audio = channel.forConversation(m.conversationId).filter((a) => (a.body.attachments?.length ?? 0) > 0);
    if (audio.length === 0) missingReplies += 1;
    if (audio.length > 1) duplicatedReplies += audio.length - 1;
    const attachments = audio[0]?.body.attachments ?? [];
    const card = attachments.find((a) => a.contentType === 'application/vnd.microsoft.card.hero')?.content as { buttons?: { value?: string }[] } | undefined;
    const url = attachments.find((a) => a.contentType === 'audio/mpeg')?.contentUrl ?? card?.buttons?.[0]?.value;
    if (url) {
      const ok = await fetch(url).then((r) => r.ok, () => false);
      if (!ok) brokenLinks += 1;
    }
  }
  const result = {
    messages: COUNT,
    kills,
    postsRefusedWhileRestarting: refusedWhileDown,
    completeRecords: complete,
    lost: COUNT - complete,
    emails,
    missingReplies,
    duplicatedReplies,
    brokenAudioLinks: brokenLinks,
    seconds: Math.round((Date.now() - started) / 1000),
  };
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  await mkdir('bench-results', { recursive: true });
  await writeFile('bench-results/crash-soak.json', `${JSON.stringify(result, null, 2)}\n`);
  await store.close();
  host.child.kill('SIGTERM');
  await exited(host.child);
  await channel.stop();
  await rm(dataDir, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  process.stderr.write(`${String((error as Error)?.stack ?? error)}\n`);
  process.exit(1);
});
