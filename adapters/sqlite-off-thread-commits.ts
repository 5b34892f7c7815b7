import type Database from 'better-sqlite3';
import { SqliteGroupCommit } from './sqlite-group-commit.js';
import { SqliteWalSync } from './sqlite-wal-sync.js';

export interface OffThreadCommits {
  commits: SqliteGroupCommit;
  /** Syncs the file's write-ahead log; undefined for an in-memory database (it keeps synchronous=FULL). */
  walSync: SqliteWalSync | undefined;
}

/**
 * Group commit whose fsync runs off the event loop: the connection switches to synchronous=NORMAL (a
 * COMMIT only writes the log, into the page cache) and every batch resolves its callers once
 * SqliteWalSync has synced the log on libuv's thread pool. Each caller is as durable when it resolves
 * as under synchronous=FULL; the thread only stops waiting for the disk, and batches gather while a
 * sync is in flight, so several commits share one fsync. (A settlement, `run(work, { durable: false })`,
 * resolves once committed: see SqliteGroupCommit.)
 *
 * What changes is visibility: another connection (or a read outside the group commit) sees a commit
 * before it is durable. A reader that acts on what it read in a way a power loss could contradict
 * waits for the sync first (SqliteGroupCommit.whenDurable for its own connection's commits,
 * SqliteWalSync.durable for another connection's, as the intake's inbox prune does). A failed sync
 * is final for the connection: the group commit refuses every later write and read.
 */
export function offThreadCommits(db: Database.Database, path: string): OffThreadCommits {
  if (path === ':memory:') return { commits: new SqliteGroupCommit(db), walSync: undefined };
  db.pragma('synchronous = NORMAL');
  const walSync = new SqliteWalSync(path);
  // What another connection committed and had not yet synced (a worker thread stopped mid-sync) is
  // made durable before this one reads it.
  try {
    walSync.durableNow();
    return { commits: new SqliteGroupCommit(db, { durable: () => walSync.durable() }), walSync };
  } catch (error) {
    try {
      walSync.close();
    } catch {
      // the first error is the one to report
    }
    throw error;
  }
}

/**
 * Closes a connection without leaving a write unsaid: what is queued commits, the log is synced (so
 * every caller still waiting is durable, and told so), then the log's descriptor and the connection
 * go, even when the sync failed (its callers are then refused).
 */
export function closeDurably(db: Database.Database, { commits, walSync }: OffThreadCommits): void {
  try {
    commits.flushNow();
    walSync?.durableNow();
  } finally {
    try {
      walSync?.close();
    } finally {
      db.close();
    }
  }
}
