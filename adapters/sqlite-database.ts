import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

/**
 * Opens (creating its folder) a SQLite file the way every embedded adapter needs it: WAL, so readers
 * never block the writer; synchronous=FULL, so a committed write survives a crash; a busy timeout set
 * first, since switching to WAL may itself wait for another process's lock.
 */
export function openDurableDatabase(path: string, busyTimeoutMs = 5000): Database.Database {
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
  const db = new Database(path);
  try {
    db.pragma(`busy_timeout = ${Math.max(0, Math.floor(busyTimeoutMs))}`);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
  } catch (error) {
    closeQuietly(db);
    throw error;
  }
  return db;
}

/**
 * Closes a database whose opening failed part way (its schema, its statements), so that a failed
 * open leaves no file handle behind; the opening error is the one to report, not a close error.
 */
export function closeQuietly(db: Database.Database | undefined): void {
  try {
    if (db?.open) db.close();
  } catch {
    // the caller reports why opening failed
  }
}
