import type Database from 'better-sqlite3';
import type { BusEvent } from '../../core/events.js';
import type { MessageErasure } from '../ports.js';
import { openDurableDatabase } from '../sqlite-database.js';
import { SqliteGroupCommit } from '../sqlite-group-commit.js';
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

/**
 * The intake's own file of published messages (inbox.sqlite beside bus.sqlite), so that the chat
 * endpoint's durable publish never waits for the bus's write lock, which the pipeline worker takes for
 * every receive and settlement. Only the intake writes it (group commit: one fsync per batch); the bus
 * imports its rows in order inside its own transactions (SqliteEventBus: fan-out and duplicate
 * detection happen there, and the bus remembers the last row imported), and the intake prunes what the
 * bus has imported.
 */
export class SqliteBusInbox {
  private readonly db: Database.Database;
  private readonly commits: SqliteGroupCommit;

  constructor(path: string, busyTimeoutMs?: number) {
    this.db = openDurableDatabase(path, busyTimeoutMs);
    this.db.exec(SCHEMA);
    this.commits = new SqliteGroupCommit(this.db);
  }

  /** Appends the event; resolves once it is durable. */
  append(event: BusEvent, now: number): Promise<void> {
    return this.commits.run(() => {
      this.db.prepare(INSERT).run(event.id, event.subject, JSON.stringify(event), now);
    });
  }

  /** Rows after `seq`, oldest first (a read: never waits for the writer). */
  after(seq: number, max: number): InboxRow[] {
    return this.db.prepare('SELECT seq, message_id, subject, body FROM inbox WHERE seq > ? ORDER BY seq LIMIT ?').all(seq, max) as InboxRow[];
  }

  /** Forgets the rows the bus has imported. */
  async prune(importedUpTo: number): Promise<void> {
    await this.commits.run(() => this.db.prepare('DELETE FROM inbox WHERE seq <= ?').run(importedUpTo));
  }

  /** Deletes the rows after `importedUpTo` (not yet in the bus) that belong to one of the conversations or to the customer. */
  erase(match: MessageErasure, importedUpTo: number): number {
    return this.db.prepare(`DELETE FROM inbox WHERE seq > @after AND ${ERASURE_CONDITION}`).run({ after: importedUpTo, ...erasureParameters(match) }).changes;
  }

  /** A committed write to the inbox (then undone), as the bus's own probe does. */
  async probe(): Promise<void> {
    await this.commits.run(() => {
      const { lastInsertRowid } = this.db.prepare(INSERT).run('~health-probe', '~probe', '{}', 0);
      this.db.prepare('DELETE FROM inbox WHERE seq = ?').run(lastInsertRowid);
    });
  }

  close(): void {
    this.commits.flushNow();
    this.db.close();
  }
}
