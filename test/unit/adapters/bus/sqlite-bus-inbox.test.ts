import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteEventBus } from '../../../../adapters/bus/sqlite-event-bus.js';
import type { SubscriptionSpec } from '../../../../adapters/ports.js';
import { messageReceivedEvent } from '../../../support/events.js';

const subscriptions: SubscriptionSpec[] = [
  { name: 'speech', subjects: ['message.received'] },
  { name: 'log', subjects: '*' },
];

let dir: string;
let intake: SqliteEventBus;
let worker: SqliteEventBus;
const inboxRows = () => {
  const db = new Database(join(dir, 'inbox.sqlite'), { readonly: true });
  try {
    return (db.prepare('SELECT COUNT(*) FROM inbox').pluck().get() as number);
  } finally {
    db.close();
  }
};

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'talkback-inbox-'));
  const files = { path: join(dir, 'bus.sqlite'), inboxPath: join(dir, 'inbox.sqlite'), subscriptions };
  intake = new SqliteEventBus({ ...files, publishTo: 'inbox' });
  worker = new SqliteEventBus(files);
});

afterEach(async () => {
  await intake.close();
  await worker.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the intake publishing into the bus inbox', () => {
  it('publishes while another process holds the bus write lock (the intake never waits for the worker)', async () => {
    const other = new Database(join(dir, 'bus.sqlite'));
    other.pragma('busy_timeout = 0');
    other.exec('BEGIN IMMEDIATE');
    try {
      const event = messageReceivedEvent();
      // Had the publish gone into bus.sqlite, it would wait for the lock (5 s, then fail): the lock is held throughout.
      await intake.publish(event);
      expect(inboxRows()).toBe(1);
    } finally {
      other.exec('ROLLBACK');
      other.close();
    }
  });

  it('is imported in order by the receivers, fanned out, a duplicate dropped, and then pruned from the inbox', async () => {
    const events = [messageReceivedEvent(), messageReceivedEvent(), messageReceivedEvent()];
    for (const event of events) await intake.publish(event);
    await intake.publish(events[1]!);
    const speech = worker.receiver('speech');
    const log = worker.receiver('log');
    expect((await speech.receive(10, 1_000)).map((m) => m.messageId)).toEqual(events.map((e) => e.id));
    expect((await log.receive(10, 1_000)).map((m) => m.messageId)).toEqual(events.map((e) => e.id));
    await speech.close();
    await log.close();
    // The intake forgets what the bus imported (once a second).
    const deadline = Date.now() + 10_000;
    while (inboxRows() > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    expect(inboxRows()).toBe(0);
  });

  it('erases a customer’s messages still in the inbox', async () => {
    const mine = messageReceivedEvent({ data: { conversationId: 'erase-me' } });
    const other = messageReceivedEvent();
    await intake.publish(mine);
    await intake.publish(other);
    expect(await intake.eraseMessages({ conversationIds: ['erase-me'] })).toBe(1);
    const speech = worker.receiver('speech');
    expect((await speech.receive(10, 1_000)).map((m) => m.messageId)).toEqual([other.id]);
    await speech.close();
  });

  it('numbers new rows above what the bus imported, so rows the inbox lost in a power loss cannot hide new ones', async () => {
    const first = [messageReceivedEvent(), messageReceivedEvent(), messageReceivedEvent()];
    for (const event of first) await intake.publish(event);
    const speech = worker.receiver('speech');
    expect(await speech.receive(10, 1_000)).toHaveLength(3);
    await intake.close();
    // What a power loss can leave: the bus imported rows 1–3 (it syncs its own commits), but the inbox
    // kept only row 1 (its last commits were not yet on disk), and with them its sequence.
    const raw = new Database(join(dir, 'inbox.sqlite'));
    raw.exec(`DELETE FROM inbox WHERE seq > 1; UPDATE sqlite_sequence SET seq = 1 WHERE name = 'inbox'`);
    raw.close();
    intake = new SqliteEventBus({ path: join(dir, 'bus.sqlite'), inboxPath: join(dir, 'inbox.sqlite'), subscriptions, publishTo: 'inbox' });
    const next = messageReceivedEvent();
    await intake.publish(next);
    expect((await speech.receive(10, 1_000)).map((m) => m.messageId)).toEqual([next.id]);
    await speech.close();
  });
});
