import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SqliteEventBus } from '../../../adapters/bus/sqlite-event-bus.js';
import type { SubscriptionSpec } from '../../../adapters/ports.js';
import { SqliteWalSync } from '../../../adapters/sqlite-wal-sync.js';
import { SqliteInteractionStore } from '../../../adapters/store/sqlite-interaction-store.js';
import { emptyRecord } from '../../../core/record.js';
import { messageReceivedEvent } from '../../support/events.js';

/**
 * The log syncs that make the embedded bus, store and inbox durable go through node:fs's fdatasync
 * (SqliteWalSync); here each one really runs, but its answer can be held back or replaced by an error.
 */
const disk = vi.hoisted(() => ({
  hold: false,
  held: [] as Array<() => void>,
  failWith: undefined as NodeJS.ErrnoException | undefined,
  release(): void {
    this.hold = false;
    for (const answer of this.held.splice(0)) answer();
  },
}));

vi.mock('node:fs', async (importOriginal) => {
  const fs = await importOriginal<typeof import('node:fs')>();
  const fdatasync = (fd: number, callback: (error: NodeJS.ErrnoException | null) => void): void => {
    const failure = disk.failWith;
    fs.fdatasync(fd, (error) => {
      const answer = () => callback(failure ?? error);
      if (disk.hold) disk.held.push(answer);
      else answer();
    });
  };
  return { ...fs, default: { ...fs, fdatasync }, fdatasync };
});

const subscriptions: SubscriptionSpec[] = [{ name: 'speech', subjects: ['message.received'] }];
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Whether `promise` has settled after `ms` (it is still awaited by the caller afterwards). */
async function settledWithin(promise: Promise<unknown>, ms: number): Promise<boolean> {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  await sleep(ms);
  return settled;
}

function count(file: string, sql: string): number {
  const db = new Database(file, { readonly: true });
  try {
    return db.prepare(sql).pluck().get() as number;
  } finally {
    db.close();
  }
}

/** A bus on bus.sqlite in the test's folder and its 'speech' receiver, both closed (and the disk answering) afterwards. */
async function withReceiver(run: (opened: { path: string; bus: SqliteEventBus; receiver: ReturnType<SqliteEventBus['receiver']> }) => Promise<void>): Promise<void> {
  const path = join(dir, 'bus.sqlite');
  const bus = new SqliteEventBus({ path, subscriptions });
  const receiver = bus.receiver('speech');
  try {
    await run({ path, bus, receiver });
  } finally {
    disk.release();
    await receiver.close();
    await bus.close();
  }
}

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'talkback-off-thread-'));
});
afterEach(async () => {
  disk.release();
  disk.failWith = undefined;
  await rm(dir, { recursive: true, force: true });
});

describe('commits synced off the event loop', () => {
  it('a bus publish is committed at once but resolves only once its log is synced', async () => {
    const path = join(dir, 'bus.sqlite');
    const bus = new SqliteEventBus({ path, subscriptions });
    try {
      disk.hold = true;
      const published = bus.publish(messageReceivedEvent());
      expect(await settledWithin(published, 100)).toBe(false);
      expect(count(path, 'SELECT COUNT(*) FROM messages')).toBe(1); // committed: only the sync is outstanding
      expect(disk.held.length).toBeGreaterThan(0);
      disk.release();
      await expect(published).resolves.toBeUndefined();
    } finally {
      await bus.close();
    }
  });

  it('a receive and a complete resolve once committed, without waiting for the disk; the bus syncs them within a second', async () => {
    await withReceiver(async ({ path, bus, receiver }) => {
      await bus.publish(messageReceivedEvent());
      disk.hold = true;
      const received = receiver.receive(1, 1_000);
      expect(await settledWithin(received, 200)).toBe(true);
      const [message] = await received;
      const completed = receiver.complete(message!);
      expect(await settledWithin(completed, 200)).toBe(true);
      await completed;
      expect(count(path, 'SELECT COUNT(*) FROM messages')).toBe(0);
      expect(disk.held).toHaveLength(0); // no sync asked for yet
      await sleep(1_200);
      expect(disk.held.length).toBeGreaterThan(0); // the settlements' own sync, a second later
      // A publish still waits for its sync.
      const published = bus.publish(messageReceivedEvent());
      expect(await settledWithin(published, 100)).toBe(false);
      disk.release();
      await published;
    });
  });

  it('a dead-letter still resolves only once synced (lost, it would come back as a first delivery)', async () => {
    await withReceiver(async ({ bus, receiver }) => {
      await bus.publish(messageReceivedEvent());
      const [message] = await receiver.receive(1, 1_000);
      disk.hold = true;
      const deadLettered = receiver.deadLetter(message!, 'BadRequest', 'permanent failure');
      expect(await settledWithin(deadLettered, 100)).toBe(false);
      disk.release();
      await deadLettered;
    });
  });

  it('a store update resolves once synced, and a read of it waits for that sync too', async () => {
    const store = new SqliteInteractionStore({ path: join(dir, 'records.sqlite') });
    const key = { conversationId: 'conv-1', id: 'rec-1' };
    try {
      disk.hold = true;
      const updated = store.update(key, () => ({ ...emptyRecord(key, '2025-03-01T09:00:00.000Z'), text: 'noch nicht sicher' }));
      await sleep(20); // the update committed; its sync is held
      const read = store.get(key);
      expect(await settledWithin(updated, 100)).toBe(false);
      expect(await settledWithin(read, 0)).toBe(false);
      disk.release();
      expect((await updated)?.text).toBe('noch nicht sicher');
      expect((await read)?.text).toBe('noch nicht sicher');
      // With nothing in flight a read does not wait.
      disk.hold = true;
      expect((await store.get(key))?.text).toBe('noch nicht sicher');
    } finally {
      disk.release();
      await store.close();
    }
  });

  it('a store erase, outside update, resolves once synced too', async () => {
    const store = new SqliteInteractionStore({ path: join(dir, 'records.sqlite') });
    const key = { conversationId: 'conv-erase', id: 'rec-1' };
    try {
      await store.update(key, () => emptyRecord(key, '2025-03-01T09:00:00.000Z'));
      disk.hold = true;
      const erased = store.erase({ conversationId: key.conversationId });
      expect(await settledWithin(erased, 100)).toBe(false);
      disk.release();
      expect((await erased).map((r) => r.id)).toEqual(['rec-1']);
    } finally {
      await store.close();
    }
  });

  it('after a failed sync the store refuses every later write and read (what it committed may never reach the disk)', async () => {
    const store = new SqliteInteractionStore({ path: join(dir, 'records.sqlite') });
    const key = { conversationId: 'conv-eio', id: 'rec-1' };
    try {
      disk.failWith = Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' });
      await expect(store.update(key, () => emptyRecord(key, '2025-03-01T09:00:00.000Z'))).rejects.toThrow(/EIO/);
      disk.failWith = undefined;
      await expect(store.get(key)).rejects.toThrow(/EIO/);
      await expect(store.update({ ...key, id: 'rec-2' }, () => emptyRecord({ ...key, id: 'rec-2' }, '2025-03-01T09:00:00.000Z'))).rejects.toThrow(/EIO/);
      expect(count(join(dir, 'records.sqlite'), `SELECT COUNT(*) FROM interactions WHERE id = 'rec-2'`)).toBe(0);
    } finally {
      await store.close().catch(() => undefined);
    }
  });

  it('the intake forgets inbox rows only once the bus import that took them is synced', async () => {
    const files = { path: join(dir, 'bus.sqlite'), inboxPath: join(dir, 'inbox.sqlite'), subscriptions };
    const intake = new SqliteEventBus({ ...files, publishTo: 'inbox' });
    const worker = new SqliteEventBus(files);
    const inboxRows = () => count(files.inboxPath, 'SELECT COUNT(*) FROM inbox');
    try {
      await intake.publish(messageReceivedEvent());
      disk.hold = true;
      const receiver = worker.receiver('speech');
      const received = receiver.receive(1, 1_000); // imports the row: committed, but its sync is held
      expect(await settledWithin(received, 500)).toBe(true); // a receive does not wait for the disk
      await sleep(2_500); // the intake prunes once a second
      expect(inboxRows()).toBe(1);
      disk.release();
      expect(await received).toHaveLength(1);
      await receiver.close();
      const deadline = Date.now() + 10_000;
      while (inboxRows() > 0 && Date.now() < deadline) await sleep(100);
      expect(inboxRows()).toBe(0);
    } finally {
      disk.release();
      await intake.close();
      await worker.close();
    }
  });

  it('a failed sync fails its callers and every later one, even once the disk answers again', async () => {
    const path = join(dir, 'x.sqlite');
    const db = new Database(path);
    db.pragma('journal_mode = WAL');
    db.exec('CREATE TABLE t (n INTEGER)');
    const sync = new SqliteWalSync(path);
    try {
      disk.failWith = Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' });
      await expect(sync.durable()).rejects.toMatchObject({ code: 'EIO' });
      disk.failWith = undefined;
      await expect(sync.durable()).rejects.toMatchObject({ code: 'EIO' });
      expect(() => sync.durableNow()).toThrow(/EIO/);
    } finally {
      sync.close();
      db.close();
    }
  });
});
