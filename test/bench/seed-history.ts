/**
 * Fills a data folder with `count` finished interactions through the project's own adapters, as if
 * the local host had handled them: the record (received, spoken, emailed, replied), the audio blob
 * in the folder's Azurite, the staff email in the outbox. Usage: seed-history.ts <dataDir> <count>
 */
import path from 'node:path';
import { createPorts } from '../../adapters/index.js';
import { loadConfig } from '../../core/config.js';
import { applyEvent } from '../../core/record-changes.js';
import { recordKeyOf } from '../../core/record.js';
import { subscriptions } from '../../functions/all.js';
import { createLogger } from '../../core/logger.js';
import { audioStoredEvent, mailSentEvent, messageReceivedEvent, replySentEvent } from '../support/events.js';

const dataDir = path.resolve(process.argv[2] ?? '.talkback-seeded');
const count = Number(process.argv[3] ?? 20_000);
const config = loadConfig({ ...process.env, TALKBACK_DATA_DIR: dataDir, AZURITE_BLOB_PORT: '0' });
const ports = createPorts(config, { subscriptions, logger: createLogger('warn') });
const [store, audio, mailer, speech] = await Promise.all([ports.store(), ports.audio(), ports.mailer(), ports.speech()]);
const sample = await speech.synthesize({ text: 'Where is my order? I ordered it last week.', language: 'en' });

async function seedOne(i: number): Promise<void> {
  const received = messageReceivedEvent({ id: `seed-${i}`, data: { conversationId: `seed-c${i}`, text: `Seeded message ${i}` } });
  const common = { correlationId: received.id };
  const stored = audioStoredEvent({ ...common, id: `seed-${i}-audio`, data: { conversationId: received.data.conversationId, blobName: `audio/${received.id}.mp3`, bytes: sample.data.length } });
  const mailed = mailSentEvent({ ...common, id: `seed-${i}-mail`, data: { conversationId: received.data.conversationId } });
  const replied = replySentEvent({ ...common, id: `seed-${i}-reply`, data: { conversationId: received.data.conversationId } });
  await audio.putIfAbsent(stored.data.blobName, sample.data, 'audio/mpeg', { durationms: String(sample.durationMs), voice: sample.voice });
  await mailer.send({
    idempotencyKey: received.id,
    from: config.MAIL_FROM,
    to: config.STAFF_EMAILS,
    subject: `Seeded message ${i}`,
    text: received.data.text,
    html: `<p>${received.data.text}</p>`,
    attachments: [],
  });
  const now = new Date().toISOString();
  for (const event of [received, stored, mailed, replied]) {
    await store.update(recordKeyOf(event), (current) => applyEvent(current, event, now));
  }
}

const started = Date.now();
const CONCURRENCY = 200;
let next = 0;
await Promise.all(
  Array.from({ length: CONCURRENCY }, async () => {
    while (next < count) {
      const i = next++;
      await seedOne(i);
      if ((i + 1) % 2000 === 0) process.stdout.write(`  seeded ${i + 1}/${count}\n`);
    }
  }),
);
await ports.close();
process.stdout.write(`seeded ${count} interactions in ${((Date.now() - started) / 1000).toFixed(0)} s\n`);
