import { mkdtemp, rm } from 'node:fs/promises';
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
    const last = sync.durable();
    sync.close(); // waits for the sync in flight before it lets go of the file
    await expect(last).resolves.toBeUndefined();
    db.close();
  });

  it('fails every caller when there is no log to sync', async () => {
    const sync = new SqliteWalSync(join(dir, 'missing.sqlite'));
    await expect(sync.durable()).rejects.toMatchObject({ code: 'ENOENT' });
    expect(() => sync.durableNow()).toThrow(/ENOENT/);
  });
});
