import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteInteractionStore } from '../../../../adapters/store/sqlite-interaction-store.js';
import { emptyRecord } from '../../../../core/record.js';

/** What only the SQLite adapter promises: the file, other processes on it, its error translation. */
describe('SqliteInteractionStore', () => {
  let directory: string;
  let path: string;
  const key = { conversationId: 'conv-1', id: 'rec-1' };
  const record = emptyRecord(key, '2025-03-01T09:00:00.000Z');

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'talkback-sqlite-'));
    path = join(directory, 'nested', 'interactions.db');
  });
  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('creates its folder and keeps records across close and reopen', async () => {
    const first = new SqliteInteractionStore({ path });
    await first.update(key, () => ({ ...record, text: '다시 열어도 그대로' }));
    await first.close();
    const second = new SqliteInteractionStore({ path });
    expect((await second.get(key))?.text).toBe('다시 열어도 그대로');
    await second.close();
  });

  it('loses no increment when two processes update the same record at once', async () => {
    await new SqliteInteractionStore({ path }).close(); // create the schema before the race
    const run = promisify(execFile);
    const worker = join(import.meta.dirname, 'increment-worker.ts');
    const perProcess = 150;
    await Promise.all(
      [1, 2].map(() => run(process.execPath, ['--import', 'tsx', worker, path, String(perProcess)], { timeout: 60_000 })),
    );
    const store = new SqliteInteractionStore({ path });
    expect((await store.get({ conversationId: 'conv-counter', id: 'counter' }))?.text).toBe(String(2 * perProcess));
    await store.close();
  });

  it('reports a write lock held past busyTimeoutMs as a retryable StorageFailed, then recovers', async () => {
    const store = new SqliteInteractionStore({ path, busyTimeoutMs: 50 });
    const other = new Database(path);
    other.exec('BEGIN IMMEDIATE');
    await expect(store.update(key, () => record)).rejects.toMatchObject({
      name: 'TalkbackError',
      code: 'StorageFailed',
      retryable: true,
      details: { sqliteCode: 'SQLITE_BUSY' },
    });
    other.exec('ROLLBACK');
    other.close();
    expect(await store.update(key, () => record)).toEqual(record);
    await store.close();
  });

  it('refuses a change that moves the record to another key', async () => {
    const store = new SqliteInteractionStore({ path });
    await expect(store.update(key, () => ({ ...record, id: 'rec-2' }))).rejects.toMatchObject({ code: 'StorageRejected', retryable: false });
    expect(await store.get({ conversationId: 'conv-1', id: 'rec-2' })).toBeUndefined();
    await store.close();
  });

  it('fails permanently when the file cannot be a database or the store is closed', async () => {
    expect(() => new SqliteInteractionStore({ path: directory })).toThrow(
      expect.objectContaining({ code: 'StorageRejected', retryable: false, details: { sqliteCode: 'SQLITE_CANTOPEN' } }),
    );
    const store = new SqliteInteractionStore({ path });
    await store.close();
    await expect(store.get(key)).rejects.toMatchObject({ code: 'StorageRejected', retryable: false });
  });
});
