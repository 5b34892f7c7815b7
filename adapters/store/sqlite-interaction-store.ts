import type Database from 'better-sqlite3';
import { closeQuietly, openDurableDatabase } from '../sqlite-database.js';
import type { SqliteGroupCommit } from '../sqlite-group-commit.js';
import { closeDurably, offThreadCommits } from '../sqlite-off-thread-commits.js';
import type { SqliteWalSync } from '../sqlite-wal-sync.js';
import { TalkbackError } from '../../core/errors.js';
import { CONVERSATION_MARKER_ID, interactionRecordSchema, type InteractionRecord, type RecordKey } from '../../core/record.js';
import type { InteractionStore, RecordChange } from '../ports.js';
import {
  decodeCursor,
  encodeCursor,
  matchesCustomer,
  matchesQuery,
  type CustomerSelector,
  type RecordPage,
  type RecordQuery,
} from '../../core/record-query.js';
import { translateSqliteError } from '../sqlite-errors.js';

export interface SqliteInteractionStoreOptions {
  /** Database file (its folder is created if missing), or ':memory:'. */
  path: string;
  /** How long a write waits for another connection (or process) holding the file's write lock. */
  busyTimeoutMs?: number;
}

/** Rows read per step of a search scan. */
const SEARCH_BATCH = 200;

const translate = (error: unknown, action: string) => translateSqliteError(error, action, 'StorageFailed');

interface Row {
  doc: string;
}

/**
 * The embedded InteractionStore: one row per interaction, the record kept whole as JSON. Each
 * update reads and writes inside an IMMEDIATE transaction (the write lock is taken before the
 * read; group commit lets concurrent updates share it), so concurrent writers — in this process
 * or another one on the same file — never lose an update. Every write resolves once durable, its log
 * synced off the event loop (offThreadCommits); a read resolves once this connection's commits it may
 * have read are durable. (Another connection's are visible a moment before: the console's reads,
 * which only show them, and the pipeline's reads of a record staff are erasing.)
 * `updated_at` is the record's own updatedAt, normalised to millisecond ISO so strings sort by time.
 */
export class SqliteInteractionStore implements InteractionStore {
  private readonly db: Database.Database;
  private readonly selectOne: Database.Statement<[string, string], Row>;
  private readonly upsert: Database.Statement<[string, string, string, string]>;
  private readonly selectUpdated: Database.Statement<[string, string, string, number], Row>;
  private readonly commits: SqliteGroupCommit;
  private readonly walSync: SqliteWalSync | undefined;

  constructor(options: SqliteInteractionStoreOptions) {
    let opened: Database.Database | undefined;
    try {
      this.db = opened = openDurableDatabase(options.path, options.busyTimeoutMs);
      this.db.exec(`
        CREATE TABLE IF NOT EXISTS interactions (
          conversation_id TEXT NOT NULL,
          id TEXT NOT NULL,
          doc TEXT NOT NULL,
          updated_at TEXT NOT NULL,
          PRIMARY KEY (conversation_id, id)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS interactions_updated_at ON interactions (updated_at);
      `);
      this.selectOne = this.db.prepare('SELECT doc FROM interactions WHERE conversation_id = ? AND id = ?');
      this.upsert = this.db.prepare(
        `INSERT INTO interactions (conversation_id, id, doc, updated_at) VALUES (?, ?, ?, ?)
         ON CONFLICT (conversation_id, id) DO UPDATE SET doc = excluded.doc, updated_at = excluded.updated_at`,
      );
      this.selectUpdated = this.db.prepare(
        `SELECT doc FROM interactions WHERE updated_at >= ? AND updated_at < ? AND id != ?
         ORDER BY updated_at DESC, conversation_id, id LIMIT ?`,
      );
      ({ commits: this.commits, walSync: this.walSync } = offThreadCommits(this.db, options.path));
    } catch (error) {
      closeQuietly(opened);
      throw translate(error, `cannot open the interaction store at ${options.path}`);
    }
  }

  /** What it read may be a commit of this connection still syncing: it resolves once that is durable, so no caller acts on a write a power loss could undo. */
  async get(key: RecordKey): Promise<InteractionRecord | undefined> {
    return this.durable(this.run('read', () => this.read(key)));
  }

  /** Updates asked for in the same turn share one transaction and one fsync; each resolves once durable. */
  async update(key: RecordKey, change: RecordChange): Promise<InteractionRecord | undefined> {
    return this.write('update', () => {
      const current = this.read(key);
      const next = change(current);
      if (next === undefined) return current;
      const record = validated(next, key);
      this.upsert.run(key.conversationId, key.id, JSON.stringify(record), sortableTime(record.updatedAt));
      return record;
    });
  }

  /** A committed write to the interactions table, removed in the same transaction. */
  async probe(): Promise<void> {
    await this.write('health probe', () => {
      this.db
        .prepare('INSERT OR REPLACE INTO interactions (conversation_id, id, doc, updated_at) VALUES (?, ?, ?, ?)')
        .run('~health', '~probe', '{}', new Date(0).toISOString());
      this.db.prepare('DELETE FROM interactions WHERE conversation_id = ? AND id = ?').run('~health', '~probe');
    });
  }

  async listUpdated(from: Date, to: Date, max: number): Promise<InteractionRecord[]> {
    if (max <= 0) return [];
    const records = this.run('list', () =>
      this.selectUpdated
        .all(from.toISOString(), to.toISOString(), CONVERSATION_MARKER_ID, Math.floor(max))
        .map((row) => parseStored(row.doc)),
    );
    return this.durable(records);
  }

  /**
   * Walks the records newest first in batches (after the cursor, within the date range), keeping those
   * that match; the embedded store's size makes a scan fine.
   */
  async search(query: RecordQuery): Promise<RecordPage> {
    const limit = Math.max(1, Math.floor(query.limit));
    const select = this.db.prepare(
      `SELECT doc FROM interactions
       WHERE (@from IS NULL OR json_extract(doc, '$.createdAt') >= @from)
         AND (@to IS NULL OR json_extract(doc, '$.createdAt') < @to)
         AND (@channel IS NULL OR json_extract(doc, '$.channelId') = @channel)
         AND (@recordId IS NULL OR id = @recordId
              OR EXISTS (SELECT 1 FROM json_each(doc, '$.appliedEvents') WHERE value = @recordId))
         AND (@at IS NULL OR json_extract(doc, '$.createdAt') < @at
              OR (json_extract(doc, '$.createdAt') = @at AND id < @id))
       ORDER BY json_extract(doc, '$.createdAt') DESC, id DESC LIMIT @batch`,
    );
    const page = this.run('search', () => {
      const found: InteractionRecord[] = [];
      let position = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
      for (;;) {
        const rows = select.all({
          from: query.from?.toISOString() ?? null,
          to: query.to?.toISOString() ?? null,
          channel: query.channelId ?? null,
          recordId: query.id ?? null,
          at: position?.createdAt ?? null,
          id: position?.id ?? null,
          batch: SEARCH_BATCH,
        }) as Row[];
        for (const row of rows) {
          const record = parseStored(row.doc);
          position = { createdAt: record.createdAt, id: record.id };
          if (!matchesQuery(record, query)) continue;
          found.push(record);
          if (found.length === limit) return { records: found, next: encodeCursor(record) };
        }
        if (rows.length < SEARCH_BATCH) return { records: found };
      }
    });
    return this.durable(page);
  }

  async erase(selector: CustomerSelector): Promise<InteractionRecord[]> {
    return this.write('erase', () => {
      const rows = (
        'conversationId' in selector
          ? this.db.prepare('SELECT doc FROM interactions WHERE conversation_id = ?').all(selector.conversationId)
          : this.db
              .prepare(`SELECT doc FROM interactions WHERE json_extract(doc, '$.channelId') = ? AND json_extract(doc, '$.customer.id') = ?`)
              .all(selector.channelId, selector.customerId)
      ) as Row[];
      const records = rows.map((row) => parseStored(row.doc)).filter((record) => matchesCustomer(record, selector));
      const remove = this.db.prepare('DELETE FROM interactions WHERE conversation_id = ? AND id = ?');
      for (const record of records) remove.run(record.conversationId, record.id);
      // A conversation's marker (its state, not an interaction) goes with its last interaction.
      const removeMarker = this.db.prepare(
        'DELETE FROM interactions WHERE conversation_id = @c AND id = @marker AND NOT EXISTS (SELECT 1 FROM interactions WHERE conversation_id = @c AND id != @marker)',
      );
      for (const c of new Set(records.map((r) => r.conversationId))) removeMarker.run({ c, marker: CONVERSATION_MARKER_ID });
      return records.filter((record) => record.id !== CONVERSATION_MARKER_ID);
    });
  }

  async close(): Promise<void> {
    if (!this.db.open) return;
    closeDurably(this.db, { commits: this.commits, walSync: this.walSync });
  }

  private read(key: RecordKey): InteractionRecord | undefined {
    const row = this.selectOne.get(key.conversationId, key.id);
    return row === undefined ? undefined : parseStored(row.doc);
  }

  /** A write (an update, an erase, the probe): shares the next group commit, resolves once durable. */
  private async write<T>(operation: string, work: () => T): Promise<T> {
    if (!this.db.open) throw new TalkbackError('StorageRejected', 'the interaction store is closed');
    try {
      return await this.commits.run(work);
    } catch (error) {
      throw translate(error, `interaction store ${operation} failed`);
    }
  }

  /** `value`, once every commit it may have read is durable. */
  private async durable<T>(value: T): Promise<T> {
    try {
      await this.commits.whenDurable();
    } catch (error) {
      throw translate(error, 'interaction store sync failed');
    }
    return value;
  }

  private run<T>(operation: string, work: () => T): T {
    if (!this.db.open) throw new TalkbackError('StorageRejected', 'the interaction store is closed');
    try {
      return work();
    } catch (error) {
      throw translate(error, `interaction store ${operation} failed`);
    }
  }
}

function sortableTime(iso: string): string {
  return new Date(iso).toISOString();
}

/** A change that yields an invalid record, or one under another key, is a bug: retrying cannot help. */
function validated(next: InteractionRecord, key: RecordKey): InteractionRecord {
  const result = interactionRecordSchema.safeParse(next);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ');
    throw new TalkbackError('StorageRejected', `a record change produced an invalid record: ${problems}`);
  }
  if (result.data.conversationId !== key.conversationId || result.data.id !== key.id) {
    throw new TalkbackError('StorageRejected', 'a record change produced a record under another key');
  }
  return result.data;
}

function parseStored(doc: string): InteractionRecord {
  const result = interactionRecordSchema.safeParse(JSON.parse(doc));
  if (!result.success) {
    throw new TalkbackError('StorageRejected', 'a stored interaction record does not match the schema');
  }
  return result.data;
}
