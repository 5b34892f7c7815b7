import type Database from 'better-sqlite3';
import { closeQuietly, openDurableDatabase } from '../sqlite-database.js';
import type { SqliteGroupCommit, WriteOptions } from '../sqlite-group-commit.js';
import { closeDurably, offThreadCommits } from '../sqlite-off-thread-commits.js';
import { statementCache } from '../sqlite-statements.js';
import type { SqliteWalSync } from '../sqlite-wal-sync.js';
import { TalkbackError } from '../../core/errors.js';
import type { BusEvent } from '../../core/events.js';
import { randomId } from '../../core/ids.js';
import type { BusReceiver, DeadLetteredMessage, EventBus, LockedMessage, MessageErasure, SubscriptionSpec } from '../ports.js';
import { translateSqliteError } from '../sqlite-errors.js';
import { SqliteBusInbox } from './sqlite-bus-inbox.js';
import { SqliteBusReceiver, type SqliteSubscriptions } from './sqlite-bus-receiver.js';
import { ERASURE_CONDITION, erasureParameters, SCHEMA, type DeadRow, type MessageRow } from './sqlite-bus-schema.js';

export interface SqliteEventBusOptions {
  /** The database file (its folder is created). Several processes may open the same file. */
  path: string;
  /** The topic's subscriptions; publish fans a message out to every one whose filter matches. */
  subscriptions: readonly SubscriptionSpec[];
  lockDurationMs?: number;
  /** A message is dead-lettered (MaxDeliveryCountExceeded) instead of being locked an 11th time. */
  maxDeliveryCount?: number;
  duplicateDetectionWindowMs?: number;
  /** How often a waiting receive looks for work published by another process or freed by a lock expiry. */
  pollIntervalMs?: number;
  /** How long a write waits for another connection (or process) holding the file's write lock (default 5000). */
  busyTimeoutMs?: number;
  /** The clock for enqueue, visibility, lock and duplicate-detection times (tests move it). */
  now?: () => number;
  /**
   * The intake's inbox file (adapters/bus/sqlite-bus-inbox.ts): its rows are imported into the bus by
   * every receive. With `publishTo: 'inbox'` this process publishes there instead of into the bus (the
   * local host's intake, while its pipeline worker receives).
   */
  inboxPath?: string;
  publishTo?: 'bus' | 'inbox';
}

const translate = (error: unknown, action: string) => translateSqliteError(error, action, 'BusFailed');

const lockLost = (message: LockedMessage) =>
  new TalkbackError('LockLost', `lock on message ${message.messageId} expired or was settled`);

/**
 * The embedded topic with Service Bus semantics: fan-out to filtered subscriptions, peek-lock,
 * delivery count, dead-lettering after maxDeliveryCount, duplicate detection on the message id.
 * A publish resolves once durable (group commit, its log synced off the event loop): once it resolves
 * the message survives kill -9 and power loss. Receives and settlements resolve once committed (see
 * `settlement`); dead-lettering and the console's redrive, purge and erase wait for the sync too.
 * Receivers on this connection wake on publish at once; other connections (another thread or process) find work by polling.
 */
export class SqliteEventBus implements EventBus, SqliteSubscriptions {
  private readonly db: Database.Database;
  private readonly sql: (sql: string) => Database.Statement;
  private readonly subscriptions: readonly SubscriptionSpec[];
  private readonly lockDurationMs: number;
  private readonly maxDeliveryCount: number;
  private readonly duplicateWindowMs: number;
  private readonly pollIntervalMs: number;
  private readonly now: () => number;
  private readonly waiters = new Map<string, Set<() => void>>();
  private readonly commits: SqliteGroupCommit;
  private readonly walSync: SqliteWalSync | undefined;
  private readonly inbox: SqliteBusInbox | undefined;
  private readonly publishToInbox: boolean;
  private pruneTimer: NodeJS.Timeout | undefined;
  private closed = false;
  /** Whether rows were imported from the inbox since this connection last checkpointed it, and when that was. */
  private importedSinceCheckpoint = false;
  private lastCheckpointAt = 0;

  constructor(options: SqliteEventBusOptions) {
    this.subscriptions = options.subscriptions;
    this.lockDurationMs = options.lockDurationMs ?? 30_000;
    this.maxDeliveryCount = options.maxDeliveryCount ?? 10;
    this.duplicateWindowMs = options.duplicateDetectionWindowMs ?? 600_000;
    this.pollIntervalMs = options.pollIntervalMs ?? 200;
    this.now = options.now ?? Date.now;
    let opened: Database.Database | undefined;
    try {
      this.db = opened = openDurableDatabase(options.path, options.busyTimeoutMs);
      this.db.exec(SCHEMA);
      this.sql = statementCache(this.db);
      ({ commits: this.commits, walSync: this.walSync } = offThreadCommits(this.db, options.path));
    } catch (error) {
      closeQuietly(opened);
      throw translate(error, `opening the bus database ${options.path}`);
    }
    try {
      const writer = options.publishTo === 'inbox';
      this.inbox = options.inboxPath === undefined ? undefined : new SqliteBusInbox(options.inboxPath, { busyTimeoutMs: options.busyTimeoutMs, writer });
      if (writer) this.inbox?.keepSequenceAbove(this.importedUpTo());
    } catch (error) {
      try {
        this.closeFiles();
      } catch {
        // the opening error is the one to report
      }
      throw translate(error, `opening the bus inbox ${options.inboxPath}`);
    }
    this.publishToInbox = options.publishTo === 'inbox' && this.inbox !== undefined;
    if (this.publishToInbox) {
      // What the bus has imported is forgotten by the inbox, once a second.
      this.pruneTimer = setInterval(() => void this.pruneInbox(), 1_000);
      this.pruneTimer.unref();
    }
  }

  async publish(event: BusEvent): Promise<void> {
    if (this.publishToInbox) return this.guarded('publish', () => this.inbox!.append(event, this.now()));
    const targets = await this.write('publish', () => this.enqueue(event.id, event.subject, JSON.stringify(event), this.now()));
    for (const target of targets) this.wake(target);
  }

  /** Fans the message out to the subscriptions whose filter matches, unless its id is a duplicate; returns them. */
  private enqueue(messageId: string, subject: BusEvent['subject'], body: string, now: number): string[] {
    this.sql('DELETE FROM published WHERE published_at <= ?').run(now - this.duplicateWindowMs);
    const seen = this.sql('SELECT 1 FROM published WHERE message_id = ?').get(messageId);
    if (seen !== undefined) return [];
    this.sql('INSERT OR REPLACE INTO published (message_id, published_at) VALUES (?, ?)').run(messageId, now);
    const insert = this.sql(
      `INSERT INTO messages (subscription, message_id, subject, body, enqueued_at, visible_at)
       VALUES (?, ?, ?, ?, ?, ?)`,
    );
    const targets = this.subscriptions.filter((s) => s.subjects === '*' || s.subjects.includes(subject)).map((s) => s.name);
    for (const target of targets) insert.run(target, messageId, subject, body, now, now);
    return targets;
  }

  /**
   * Moves the inbox's new rows into the bus, in order, inside the caller's write transaction (which
   * serialises importers: the cursor is read and advanced under the bus's write lock); returns the
   * subscriptions that got messages.
   */
  private importInbox(now: number): Set<string> {
    const touched = new Set<string>();
    if (!this.inbox) return touched;
    const cursor = this.importedUpTo();
    const rows = this.inbox.after(cursor, 256);
    if (rows.length === 0) return touched;
    for (const row of rows) for (const target of this.enqueue(row.message_id, row.subject as BusEvent['subject'], row.body, now)) touched.add(target);
    this.importedSinceCheckpoint = true;
    this.sql('INSERT INTO inbox_cursor (id, seq) VALUES (1, ?) ON CONFLICT (id) DO UPDATE SET seq = excluded.seq').run(rows.at(-1)!.seq);
    return touched;
  }

  private importedUpTo(): number {
    return (this.sql('SELECT seq FROM inbox_cursor WHERE id = 1').pluck().get() as number | undefined) ?? 0;
  }

  /**
   * The cursor read is committed but maybe not yet durable (the importer's commit may still be
   * syncing): the bus's log is synced before the inbox forgets anything, so a power loss cannot take
   * rows from both.
   */
  private async pruneInbox(): Promise<void> {
    if (this.closed || !this.inbox) return;
    try {
      const importedUpTo = this.importedUpTo();
      await this.walSync?.durable();
      if (this.closed) return;
      await this.inbox.prune(importedUpTo);
    } catch {
      // Tried again in a second; the rows are only kept longer.
    }
  }

  /** A committed write to the tables publish writes (then undone in the same transaction's effect). */
  async probe(): Promise<void> {
    if (this.publishToInbox) await this.guarded('health probe', () => this.inbox!.probe());
    await this.write('health probe', () => {
      this.sql('INSERT OR REPLACE INTO published (message_id, published_at) VALUES (?, ?)').run('~health-probe', this.now());
      this.sql('SELECT seq FROM messages LIMIT 1').get();
      this.sql('DELETE FROM published WHERE message_id = ?').run('~health-probe');
    });
  }

  receiver(subscription: string): BusReceiver {
    this.assertSubscription(subscription);
    return new SqliteBusReceiver(this, subscription);
  }

  private assertSubscription(subscription: string): void {
    if (!this.subscriptions.some((s) => s.name === subscription)) {
      throw new TalkbackError('NotFound', `no subscription named ${subscription}`);
    }
  }

  async deadLetters(subscription: string, max = 100): Promise<DeadLetteredMessage[]> {
    const rows = this.run('listing dead letters', () =>
      this
        .sql(
          `SELECT * FROM messages WHERE subscription = ? AND state = 'dead'
           ORDER BY dead_lettered_at, seq LIMIT ?`,
        )
        .all(subscription, max) as DeadRow[],
    );
    return rows.map((row) => ({
      messageId: row.message_id,
      subject: row.subject,
      body: JSON.parse(row.body) as unknown,
      deliveryCount: row.delivery_count,
      reason: row.dl_reason,
      description: row.dl_description,
      deadLetteredAt: new Date(row.dead_lettered_at),
    }));
  }

  /**
   * The dead row goes back to active in its own subscription only (other subscriptions already have
   * their copy): delivery count 0, enqueued and visible now. It never passes through `published`, so
   * duplicate detection cannot drop it, and a later publish of the same id is still a duplicate.
   */
  async redrive(subscription: string, messageId?: string): Promise<number> {
    this.assertSubscription(subscription);
    const changed = await this.write('redrive', () => {
      const now = this.now();
      return this
        .sql(
          `UPDATE messages SET state = 'active', delivery_count = 0, enqueued_at = @now, visible_at = @now,
             lock_token = NULL, locked_until = NULL, dl_reason = NULL, dl_description = NULL, dead_lettered_at = NULL
           WHERE subscription = @subscription AND state = 'dead' AND (@messageId IS NULL OR message_id = @messageId)`,
        )
        .run({ now, subscription, messageId: messageId ?? null }).changes;
    });
    if (changed > 0) this.wake(subscription);
    return changed;
  }

  async purge(subscription: string, messageId?: string): Promise<number> {
    this.assertSubscription(subscription);
    return this.write('purge', () =>
      this
        .sql(`DELETE FROM messages WHERE subscription = ? AND state = 'dead' AND (? IS NULL OR message_id = ?)`)
        .run(subscription, messageId ?? null, messageId ?? null).changes,
    );
  }

  /**
   * Deletes every row (queued, locked or dead) whose event belongs to one of the conversations or to
   * the customer. The inbox keeps rows up to the cursor read here; the bus's delete, synced, makes that
   * cursor durable too.
   */
  async eraseMessages(match: MessageErasure): Promise<number> {
    const fromInbox = this.run('erase', () => this.inbox?.erase(match, this.importedUpTo()) ?? 0);
    return fromInbox + (await this.write('erase', () =>
      this.sql(`DELETE FROM messages WHERE ${ERASURE_CONDITION}`).run(erasureParameters(match)).changes,
    ));
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.pruneTimer);
    for (const name of this.waiters.keys()) this.wake(name);
    this.closeFiles();
  }

  /** The inbox, then this connection and its log, even when closing the inbox fails. */
  private closeFiles(): void {
    try {
      this.inbox?.close();
    } finally {
      // Writes already asked for still commit: their callers were told nothing else.
      closeDurably(this.db, { commits: this.commits, walSync: this.walSync });
    }
  }

  // ------------------------------------------------ used by SqliteBusReceiver

  get isClosed(): boolean {
    return this.closed;
  }

  /** Locks up to `max` deliverable messages in enqueue order; dead-letters those out of deliveries. */
  async lockBatch(subscription: string, max: number): Promise<LockedMessage[]> {
    let imported = new Set<string>();
    const locked = await this.settlement('receive', () => {
      const now = this.now();
      imported = this.importInbox(now);
      const select = this.sql(
        `SELECT seq, message_id, subject, body, enqueued_at, delivery_count FROM messages
         WHERE subscription = ? AND state = 'active' AND visible_at <= ?
           AND (locked_until IS NULL OR locked_until <= ?) AND seq > ?
         ORDER BY seq LIMIT ?`,
      );
      const lock = this.sql(
        'UPDATE messages SET delivery_count = delivery_count + 1, lock_token = ?, locked_until = ? WHERE seq = ?',
      );
      const locked: LockedMessage[] = [];
      let after = 0;
      while (locked.length < max) {
        const rows = select.all(subscription, now, now, after, max - locked.length) as MessageRow[];
        if (rows.length === 0) break;
        for (const row of rows) {
          after = row.seq;
          if (row.delivery_count >= this.maxDeliveryCount) {
            const why = `lock expired after ${row.delivery_count} deliveries`;
            this.deadLetterRow(row.seq, 'MaxDeliveryCountExceeded', why, now);
            continue;
          }
          const lockToken = randomId();
          const lockedUntil = now + this.lockDurationMs;
          lock.run(lockToken, lockedUntil, row.seq);
          locked.push({
            messageId: row.message_id,
            subject: row.subject,
            body: JSON.parse(row.body) as unknown,
            deliveryCount: row.delivery_count + 1,
            enqueuedAt: new Date(row.enqueued_at),
            lockedUntil: new Date(lockedUntil),
            lockToken,
          });
        }
      }
      return locked;
    });
    for (const other of imported) if (other !== subscription) this.wake(other);
    this.checkpointInbox();
    return locked;
  }

  /** The importer checkpoints the inbox's log, at most once a second, so that the intake's writes never do. */
  private checkpointInbox(): void {
    if (!this.inbox || !this.importedSinceCheckpoint || Date.now() - this.lastCheckpointAt < 1_000) return;
    this.importedSinceCheckpoint = false;
    this.lastCheckpointAt = Date.now();
    try {
      this.inbox.checkpoint();
    } catch {
      // Tried again after the next import; until then the log is only longer.
    }
  }

  /** Applies `settle` to the row still held under the message's lock; throws LockLost when there is none. */
  settle(
    subscription: string,
    message: LockedMessage,
    action: string,
    settle: (seq: number, deliveryCount: number, now: number) => void,
    options: WriteOptions = {},
  ): Promise<void> {
    return this.settlement(action, () => {
      const now = this.now();
      const row = this
        .sql(
          `SELECT seq, delivery_count FROM messages
           WHERE lock_token = ? AND subscription = ? AND state = 'active' AND locked_until > ?`,
        )
        .get(message.lockToken, subscription, now) as { seq: number; delivery_count: number } | undefined;
      if (row === undefined) throw lockLost(message);
      settle(row.seq, row.delivery_count, now);
    }, options);
  }

  complete(subscription: string, message: LockedMessage): Promise<void> {
    return this.settle(subscription, message, 'complete', (seq) => {
      this.sql('DELETE FROM messages WHERE seq = ?').run(seq);
    });
  }

  async abandon(subscription: string, message: LockedMessage, delayMs: number): Promise<void> {
    await this.settle(subscription, message, 'abandon', (seq, deliveryCount, now) => {
      if (deliveryCount >= this.maxDeliveryCount) {
        this.deadLetterRow(seq, 'MaxDeliveryCountExceeded', `abandoned after ${deliveryCount} deliveries`, now);
        return;
      }
      this
        .sql('UPDATE messages SET lock_token = NULL, locked_until = NULL, visible_at = ? WHERE seq = ?')
        .run(now + Math.max(0, delayMs), seq);
    });
    if (delayMs <= 0) this.wake(subscription);
  }

  /**
   * Durable, unlike the other settlements: a dead letter lost in a power cut would come back as a
   * first delivery (its receive unsynced too) and have its permanent failure tried again.
   */
  deadLetter(subscription: string, message: LockedMessage, reason: string, description: string): Promise<void> {
    return this.settle(
      subscription,
      message,
      'dead-letter',
      (seq, _count, now) => {
        this.deadLetterRow(seq, reason, description, now);
      },
      { durable: true },
    );
  }

  async renewLock(subscription: string, message: LockedMessage): Promise<Date> {
    let until = 0;
    await this.settle(subscription, message, 'renew lock', (seq, _count, now) => {
      until = now + this.lockDurationMs;
      this.sql('UPDATE messages SET locked_until = ? WHERE seq = ?').run(until, seq);
    });
    return new Date(until);
  }

  /** Resolves on a publish or release for the subscription, on close, or after `ms` (capped at the poll interval). */
  waitForWork(subscription: string, ms: number): Promise<void> {
    return new Promise((resolve) => {
      const set = this.waiters.get(subscription) ?? new Set<() => void>();
      this.waiters.set(subscription, set);
      const done = () => {
        clearTimeout(timer);
        set.delete(done);
        resolve();
      };
      const timer = setTimeout(done, Math.min(ms, this.pollIntervalMs));
      set.add(done);
    });
  }

  private wake(subscription: string): void {
    for (const done of [...(this.waiters.get(subscription) ?? [])]) done();
  }

  private deadLetterRow(seq: number, reason: string, description: string, now: number): void {
    this
      .sql(
        `UPDATE messages SET state = 'dead', lock_token = NULL, locked_until = NULL,
           dl_reason = ?, dl_description = ?, dead_lettered_at = ? WHERE seq = ?`,
      )
      .run(reason, description, now, seq);
  }

  /** A write: shares one transaction and one fsync with the writes asked for in the same turn; resolves once durable. */
  private write<T>(action: string, work: () => T): Promise<T> {
    return this.guarded(action, () => this.commits.run(work));
  }

  /**
   * A receive or a settlement (complete, abandon, lock renewal, and the inbox rows a receive
   * imports; a dead-letter passes `durable: true`): resolves once committed, synced with the next publish or within a second
   * (SqliteGroupCommit). Lost in a power cut, it only delivers the message again, which every
   * subscriber already expects (at-least-once: effects are guarded by the record's claims); a
   * kill -9 loses nothing. Before the intake forgets an imported inbox row, the bus's log is synced.
   * This keeps the pipeline from syncing the disk several times per message, which the intake's
   * own syncs (every acknowledged publish) wait behind.
   */
  private settlement<T>(action: string, work: () => T, { durable = false }: WriteOptions = {}): Promise<T> {
    return this.guarded(action, () => this.commits.run(work, { durable }));
  }

  /** An asynchronous write (the bus's, or the inbox's): refused once closed, its error translated. */
  private async guarded<T>(action: string, write: () => Promise<T>): Promise<T> {
    if (this.closed) throw new TalkbackError('BusRejected', `${action}: the bus is closed`);
    try {
      return await write();
    } catch (error) {
      throw translate(error, action);
    }
  }

  private run<T>(action: string, work: () => T): T {
    if (this.closed) throw new TalkbackError('BusRejected', `${action}: the bus is closed`);
    try {
      return work();
    } catch (error) {
      throw translate(error, action);
    }
  }
}
