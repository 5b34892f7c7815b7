import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { openDurableDatabase } from '../../../adapters/sqlite-database.js';
import { SqliteGroupCommit } from '../../../adapters/sqlite-group-commit.js';

let dir: string;
let db: Database.Database;
let other: Database.Database;

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'talkback-group-commit-'));
  db = openDurableDatabase(join(dir, 'test.sqlite'));
  db.exec('CREATE TABLE t (n INTEGER PRIMARY KEY)');
  other = openDurableDatabase(join(dir, 'test.sqlite'));
});

afterEach(async () => {
  other.close();
  if (db.open) db.close();
  await rm(dir, { recursive: true, force: true });
});

const insert = (n: number) => () => db.prepare('INSERT INTO t (n) VALUES (?)').run(n).changes;
const count = () => (other.prepare('SELECT COUNT(*) AS c FROM t').get() as { c: number }).c;
/** Frames appended to the write-ahead log since it was last emptied: a commit appends at least one. */
const walFrames = () => (db.pragma('wal_checkpoint(PASSIVE)') as Array<{ log: number }>)[0]!.log;

describe('SqliteGroupCommit', () => {
  it('commits writes asked for together in one transaction, visible to another connection once each resolves', async () => {
    db.pragma('wal_checkpoint(TRUNCATE)');
    const commits = new SqliteGroupCommit(db);
    const results = await Promise.all(Array.from({ length: 100 }, (_, i) => commits.run(insert(i))));
    expect(results).toEqual(Array.from({ length: 100 }, () => 1));
    expect(count()).toBe(100);
    const grouped = walFrames();

    db.pragma('wal_checkpoint(TRUNCATE)');
    for (let i = 100; i < 200; i += 1) await commits.run(insert(i));
    const oneByOne = walFrames();
    expect(count()).toBe(200);
    // One commit for the 100 grouped writes, 100 commits for the others.
    expect(grouped).toBeLessThan(10);
    expect(oneByOne).toBeGreaterThanOrEqual(100);
  });

  it('rolls back only the write that threw and rejects only its caller', async () => {
    const commits = new SqliteGroupCommit(db);
    const outcomes = await Promise.allSettled([
      commits.run(insert(1)),
      commits.run(() => {
        insert(2)();
        throw new Error('this write fails after it wrote');
      }),
      commits.run(insert(3)),
      commits.run(insert(1)), // a constraint violation
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled', 'rejected']);
    expect((outcomes[3] as PromiseRejectedResult).reason).toMatchObject({ code: 'SQLITE_CONSTRAINT_PRIMARYKEY' });
    expect(other.prepare('SELECT n FROM t ORDER BY n').pluck().all()).toEqual([1, 3]);
  });

  it('commits what is queued when flushed before the database closes', async () => {
    const commits = new SqliteGroupCommit(db);
    const pending = [commits.run(insert(1)), commits.run(insert(2))];
    commits.flushNow();
    db.close();
    await expect(Promise.all(pending)).resolves.toEqual([1, 1]);
    expect(count()).toBe(2);
  });

  it('rejects every write when the transaction cannot begin (another connection holds the write lock)', async () => {
    const busy = openDurableDatabase(join(dir, 'test.sqlite'), 0);
    const commits = new SqliteGroupCommit(busy);
    db.exec('BEGIN IMMEDIATE');
    try {
      const outcomes = await Promise.allSettled([commits.run(() => busy.prepare('INSERT INTO t (n) VALUES (1)').run())]);
      expect(outcomes[0]).toMatchObject({ status: 'rejected', reason: { code: 'SQLITE_BUSY' } });
    } finally {
      db.exec('ROLLBACK');
      busy.close();
    }
    expect(count()).toBe(0);
  });

  it('waits for a write lock another connection holds without blocking the event loop, then commits', async () => {
    // `other` holds the write lock until a timer of this thread releases it 50 ms later. Had the wait
    // slept the thread (SQLite's own busy handler, up to the 5 s busy timeout), no timer of this thread
    // could run meanwhile: the longest gap between ticks shows it. A fresh SqliteGroupCommit: its very
    // first batch must not wait that way either.
    other.exec('BEGIN IMMEDIATE');
    other.prepare('INSERT INTO t (n) VALUES (1)').run();
    const commits = new SqliteGroupCommit(db);
    let ticks = 0;
    let last = performance.now();
    let longestGapMs = 0;
    const ticker = setInterval(() => {
      const now = performance.now();
      longestGapMs = Math.max(longestGapMs, now - last);
      last = now;
      ticks += 1;
    }, 1);
    const release = setTimeout(() => other.exec('COMMIT'), 50);
    try {
      const written = await Promise.all([commits.run(insert(2)), commits.run(insert(3))]);
      expect(written).toEqual([1, 1]);
    } finally {
      clearInterval(ticker);
      clearTimeout(release);
      if (other.inTransaction) other.exec('ROLLBACK');
    }
    expect(ticks).toBeGreaterThan(0);
    // Far below the 5 s busy timeout; generous for a loaded machine.
    expect(longestGapMs).toBeLessThan(1_000);
    expect(count()).toBe(3);
  });

  it('with a sync after COMMIT (synchronous=NORMAL), resolves callers only once it synced, and gathers the next batch meanwhile', async () => {
    const syncs: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];
    const commits = new SqliteGroupCommit(db, {
      durable: () => new Promise<void>((resolve, reject) => syncs.push({ resolve, reject })),
    });
    let firstDone = false;
    const first = commits.run(insert(1)).then(() => (firstDone = true));
    const waitFor = async (check: () => boolean) => {
      for (let i = 0; i < 200 && !check(); i += 1) await new Promise((r) => setTimeout(r, 5));
    };
    await waitFor(() => syncs.length === 1);
    expect(count()).toBe(1); // committed…
    expect(firstDone).toBe(false); // …but not yet said to be durable
    // Asked for while the first sync is in flight: they wait for it, then commit as one batch.
    const later = [commits.run(insert(2)), commits.run(insert(3))];
    await new Promise((r) => setTimeout(r, 20));
    expect(count()).toBe(1);
    syncs[0]!.resolve();
    await first;
    await waitFor(() => syncs.length === 2);
    expect(count()).toBe(3);
    syncs[1]!.reject(new Error('fdatasync failed'));
    for (const outcome of await Promise.allSettled(later)) expect(outcome).toMatchObject({ status: 'rejected', reason: { message: 'fdatasync failed' } });
    // A failed sync is final: nothing more is committed, and no read is told it is durable.
    await expect(commits.run(insert(4))).rejects.toThrow('fdatasync failed');
    await expect(commits.whenDurable()).rejects.toThrow('fdatasync failed');
    expect(count()).toBe(3);
    expect(syncs).toHaveLength(2);
  });

  it('with a sync after COMMIT, a batch that changed no row (it wrote no log) resolves without one', async () => {
    let syncs = 0;
    const commits = new SqliteGroupCommit(db, { durable: async () => void (syncs += 1) });
    await commits.run(insert(1));
    expect(syncs).toBe(1);
    const reads = await Promise.all([
      commits.run(() => db.prepare('SELECT COUNT(*) FROM t').pluck().get()),
      commits.run(() => db.prepare('DELETE FROM t WHERE n = 99').run().changes),
    ]);
    expect(reads).toEqual([1, 0]);
    expect(syncs).toBe(1);
    await commits.run(() => db.prepare('UPDATE t SET n = 2 WHERE n = 1').run().changes);
    expect(syncs).toBe(2);
  });

  it('a settlement resolves once committed; its sync comes with the next durable batch, or settlementSyncMs later', async () => {
    // Only setTimeout is faked (the settlements' timer); batches still start on setImmediate.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      let syncs = 0;
      const commits = new SqliteGroupCommit(db, { durable: async () => void (syncs += 1), settlementSyncMs: 1_000 });
      await commits.run(insert(1), { durable: false });
      expect(count()).toBe(1);
      expect(syncs).toBe(0);
      // A durable write in the same batch as settlements syncs the batch (and the settlement before it) once…
      await Promise.all([commits.run(insert(2), { durable: false }), commits.run(insert(3))]);
      expect(syncs).toBe(1);
      // …and the settlements' own sync is no longer due.
      await vi.advanceTimersByTimeAsync(5_000);
      expect(syncs).toBe(1);
      // Settlements alone: one sync of their own, settlementSyncMs after the first of them.
      await commits.run(insert(4), { durable: false });
      await vi.advanceTimersByTimeAsync(600);
      await commits.run(insert(5), { durable: false });
      expect(syncs).toBe(1);
      await vi.advanceTimersByTimeAsync(400);
      expect(syncs).toBe(2);
      await vi.advanceTimersByTimeAsync(5_000);
      expect(syncs).toBe(2);
    } finally {
      vi.useRealTimers();
    }
  });

  it('settlements beyond one batch commit in the next ones without waiting for another write', async () => {
    let syncs = 0;
    const commits = new SqliteGroupCommit(db, { durable: async () => void (syncs += 1), maxBatch: 2, settlementSyncMs: 60_000 });
    await Promise.all([1, 2, 3, 4, 5].map((n) => commits.run(insert(n), { durable: false })));
    expect(count()).toBe(5);
    expect(syncs).toBe(0);
  });

  it('whenDurable waits for the settlements\' own sync while it is in flight', async () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    try {
      const syncs: Array<() => void> = [];
      const commits = new SqliteGroupCommit(db, { durable: () => new Promise<void>((resolve) => syncs.push(resolve)), settlementSyncMs: 1_000 });
      await commits.run(insert(1), { durable: false });
      await vi.advanceTimersByTimeAsync(1_000);
      expect(syncs).toHaveLength(1); // the settlements' sync, in flight
      let durable = false;
      const read = commits.whenDurable().then(() => (durable = true));
      await vi.advanceTimersByTimeAsync(10);
      expect(durable).toBe(false);
      syncs[0]!();
      await read;
      expect(syncs).toHaveLength(1);
    } finally {
      vi.useRealTimers();
    }
  });

  it('whenDurable syncs the settlements not yet synced, and a failed settlement sync is final', async () => {
    const syncs: Array<{ resolve: () => void; reject: (error: Error) => void }> = [];
    const commits = new SqliteGroupCommit(db, {
      durable: () => new Promise<void>((resolve, reject) => syncs.push({ resolve, reject })),
      settlementSyncMs: 60_000,
    });
    await commits.run(insert(1), { durable: false });
    expect(syncs).toHaveLength(0);
    let durable = false;
    const read = commits.whenDurable().then(() => (durable = true));
    expect(syncs).toHaveLength(1);
    await new Promise((r) => setTimeout(r, 10));
    expect(durable).toBe(false);
    syncs[0]!.resolve();
    await read;
    // Nothing unsynced left: at once.
    await commits.whenDurable();
    expect(syncs).toHaveLength(1);
    await commits.run(insert(2), { durable: false });
    const failed = commits.whenDurable();
    syncs[1]!.reject(new Error('fdatasync failed'));
    await expect(failed).rejects.toThrow('fdatasync failed');
    await expect(commits.run(insert(3), { durable: false })).rejects.toThrow('fdatasync failed');
    expect(count()).toBe(2);
  });
});
