import { mkdtemp, rm, symlink } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDurableDatabase } from '../../../adapters/sqlite-database.js';
import { SqliteWalSync } from '../../../adapters/sqlite-wal-sync.js';

let dir: string;
beforeEach(async () => (dir = await mkdtemp(join(tmpdir(), 'talkback-wal-sync-'))));
afterEach(async () => rm(dir, { recursive: true, force: true }));

describe('SqliteWalSync', () => {
  it('syncs the write-ahead log of a connection that commits without syncing, for every caller, then closes', async () => {
    const path = join(dir, 'x.sqlite');
    const db = openDurableDatabase(path);
    db.pragma('synchronous = NORMAL');
    db.exec('CREATE TABLE t (n INTEGER)');
    const sync = new SqliteWalSync(path);
    const waits = [];
    for (let i = 0; i < 20; i += 1) {
      db.prepare('INSERT INTO t VALUES (?)').run(i);
      waits.push(sync.durable());
    }
    await expect(Promise.all(waits)).resolves.toHaveLength(20);
    expect(() => sync.durableNow()).not.toThrow();
    const inFlight = sync.durable();
    const queued = sync.durable(); // waits for the sync after the one in flight
    sync.durableNow();
    sync.close(); // after a sync that succeeded: both are durable, and told so once the one in flight is done
    await expect(inFlight).resolves.toBeUndefined();
    await expect(queued).resolves.toBeUndefined();
    db.close();
  });

  it('syncs the log beside the real file when the database is reached through a link', async () => {
    const real = join(dir, 'real.sqlite');
    const db = openDurableDatabase(real);
    db.exec('CREATE TABLE t (n INTEGER)');
    await symlink(real, join(dir, 'link.sqlite'));
    const sync = new SqliteWalSync(join(dir, 'link.sqlite'));
    await expect(sync.durable()).resolves.toBeUndefined();
    sync.close();
    db.close();
  });

  it('fails the callers of a moment the log cannot be opened, and syncs once it can (nothing was synced, so nothing is lost)', async () => {
    const path = join(dir, 'late.sqlite');
    const sync = new SqliteWalSync(path);
    await expect(sync.durable()).rejects.toMatchObject({ code: 'ENOENT' });
    expect(() => sync.durableNow()).toThrow(/ENOENT/);
    const db = openDurableDatabase(path);
    db.exec('CREATE TABLE t (n INTEGER)');
    await expect(sync.durable()).resolves.toBeUndefined();
    expect(() => sync.durableNow()).not.toThrow();
    sync.close();
    db.close();
  });
  // A failed fsync, which is final, is in off-thread-commits.test.ts (it needs a disk that fails).
});
