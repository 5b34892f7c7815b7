import type Database from 'better-sqlite3';
import type { BusEvent } from '../../core/events.js';
import type { MessageErasure } from '../ports.js';
import { closeQuietly, openDurableDatabase } from '../sqlite-database.js';
import { SqliteGroupCommit } from '../sqlite-group-commit.js';
import { statementCache } from '../sqlite-statements.js';
import { closeDurably, offThreadCommits } from '../sqlite-off-thread-commits.js';
import type { SqliteWalSync } from '../sqlite-wal-sync.js';
import { ERASURE_CONDITION, erasureParameters } from './sqlite-bus-schema.js';

export interface InboxRow {
  seq: number;
  message_id: string;
  subject: string;
  body: string;
}

const INSERT = 'INSERT INTO inbox (message_id, subject, body, appended_at) VALUES (?, ?, ?, ?)';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS inbox (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  message_id TEXT NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  appended_at INTEGER NOT NULL
);
`;

/** The write-ahead log may grow to this many pages before the writer checkpoints it itself (no importer running). */
const WRITER_CHECKPOINT_PAGES = 16_384;

/**
 * The intake's own file of published messages (inbox.sqlite beside bus.sqlite), so that the chat
 * endpoint's durable publish never waits for the bus's write lock, which the pipeline worker takes for
 * every receive and settlement. Only the intake writes it (group commit: one fsync per batch); the bus
 * imports its rows in order inside its own transactions (SqliteEventBus: fan-out and duplicate
 * detection happen there, and the bus remembers the last row imported), and the intake prunes what the
 * bus has imported.
 *
 * The writer (`writer: true`, the intake) does not wait for the disk on its event loop: its commits
 * only write the log and a thread syncs it (offThreadCommits); each append resolves once durable. The
 * importer checkpoints the log (copies it into the file, syncing both) on its own thread, so the
 * writer does not either; the writer still does past WRITER_CHECKPOINT_PAGES, should no importer run.
 */
export class SqliteBusInbox {
  private readonly db: Database.Database;
  private readonly sql: (sql: string) => Database.Statement;
  private readonly commits: SqliteGroupCommit;
  private readonly walSync: SqliteWalSync | undefined;

  constructor(path: string, options: { busyTimeoutMs?: number | undefined; writer?: boolean } = {}) {
    this.db = openDurableDatabase(path, options.busyTimeoutMs);
    try {
      this.db.exec(SCHEMA);
      this.sql = statementCache(this.db);
      if (options.writer) {
        this.db.pragma(`wal_autocheckpoint = ${WRITER_CHECKPOINT_PAGES}`);
        this.db.pragma(`journal_size_limit = ${16 * 1024 * 1024}`);
        ({ commits: this.commits, walSync: this.walSync } = offThreadCommits(this.db, path));
      } else {
        this.commits = new SqliteGroupCommit(this.db);
      }
    } catch (error) {
      closeQuietly(this.db);
      throw error;
    }
  }

  /** Appends the event; resolves once it is durable. */
  append(event: BusEvent, now: number): Promise<void> {
    return this.commits.run(() => {
      this.sql(INSERT).run(event.id, event.subject, JSON.stringify(event), now);
    });
  }

  /** Rows after `seq`, oldest first (a read: never waits for the writer). */
  after(seq: number, max: number): InboxRow[] {
    return this.sql('SELECT seq, message_id, subject, body FROM inbox WHERE seq > ? ORDER BY seq LIMIT ?').all(seq, max) as InboxRow[];
  }

  /** Forgets the rows the bus has imported. */
  async prune(importedUpTo: number): Promise<void> {
    await this.commits.run(() => this.sql('DELETE FROM inbox WHERE seq <= ?').run(importedUpTo));
  }

  /** Deletes the rows after `importedUpTo` (not yet in the bus) that belong to one of the conversations or to the customer; durably. */
  erase(match: MessageErasure, importedUpTo: number): number {
    const { changes } = this.sql(`DELETE FROM inbox WHERE seq > @after AND ${ERASURE_CONDITION}`).run({ after: importedUpTo, ...erasureParameters(match) });
    this.walSync?.durableNow();
    return changes;
  }

  /**
   * Makes the next row's seq greater than `importedUpTo`, durably. A row is visible to the importer
   * just before it is durable: after a power loss the bus may have imported rows the inbox lost, and
   * their numbers, given again, would be skipped as imported. The writer calls this when it opens. (A
   * cursor read here that a power loss then takes back only leaves a gap in the numbers.)
   */
  keepSequenceAbove(importedUpTo: number): void {
    this.db.transaction(() => {
      const current = this.sql(`SELECT seq FROM sqlite_sequence WHERE name = 'inbox'`).pluck().get() as number | undefined;
      if (current === undefined) this.sql(`INSERT INTO sqlite_sequence (name, seq) VALUES ('inbox', ?)`).run(importedUpTo);
      else if (current < importedUpTo) this.sql(`UPDATE sqlite_sequence SET seq = ? WHERE name = 'inbox'`).run(importedUpTo);
    }).immediate();
    this.walSync?.durableNow();
  }

  /** Copies the log into the file without waiting for the writer (the importer's share of the work). */
  checkpoint(): void {
    this.db.pragma('wal_checkpoint(PASSIVE)');
  }

  /** A committed write to the inbox (then undone), as the bus's own probe does. */
  async probe(): Promise<void> {
    await this.commits.run(() => {
      const { lastInsertRowid } = this.sql(INSERT).run('~health-probe', '~probe', '{}', 0);
      this.sql('DELETE FROM inbox WHERE seq = ?').run(lastInsertRowid);
    });
  }

  close(): void {
    closeDurably(this.db, { commits: this.commits, walSync: this.walSync });
  }
}
