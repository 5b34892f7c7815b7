import type Database from 'better-sqlite3';

export interface SqliteGroupCommitOptions {
  /** Most writes sharing one transaction (default 256): a long batch holds the file's write lock longer. */
  maxBatch?: number;
  /** How often a batch tries again for the write lock another connection holds (default 1 ms). */
  lockRetryMs?: number;
  /**
   * For a connection that does not sync on COMMIT (synchronous=NORMAL): makes what was committed
   * durable (SqliteWalSync). Callers then resolve once it has, not once COMMIT returned.
   */
  durable?: () => Promise<void>;
  /**
   * With `durable`: how long a commit of settlement writes only (`run(work, { durable: false })`) may
   * stay unsynced before a sync of its own (default 1,000 ms); a durable batch before then syncs it too.
   */
  settlementSyncMs?: number;
}

export interface WriteOptions {
  /**
   * false (a settlement): resolve once committed, without waiting for a sync. The log is synced with
   * the next durable batch, or `settlementSyncMs` later. For a write whose loss in a power cut only
   * repeats work that is safe to repeat (a bus settlement: the message is delivered again); a kill -9
   * loses nothing either way (the commit is in the operating system's cache). Default true.
   */
  durable?: boolean;
}

interface Job {
  work: () => unknown;
  durable: boolean;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for a durable SQLite file: writes asked for in the same turn of the event loop run
 * in one IMMEDIATE transaction, each in its own savepoint (one that throws rolls back alone and
 * rejects its caller), and share one COMMIT — one fsync under synchronous=FULL (with `durable`, one
 * shared sync of the log after it, off the event loop). Every caller
 * resolves only after that COMMIT returned, so what it wrote is as durable as a lone commit makes it.
 * A settlement (`{ durable: false }`) resolves after COMMIT without waiting for the sync; a batch of
 * settlements only is synced by the next durable batch or `settlementSyncMs` later.
 * better-sqlite3 turns a transaction function called inside an open transaction into a savepoint,
 * so the adapters' own transaction functions nest as they are.
 *
 * Waiting for the write lock (another process — the pipeline worker or the intake — is committing)
 * never blocks the event loop: SQLite's own busy handler sleeps the thread (1, 2, 5, 10, … ms), so an
 * HTTP server would stop answering while it waits, and then oversleep the lock's release. Instead the
 * batch tries again every `lockRetryMs`, up to the connection's busy_timeout, gathering the writes
 * asked for meanwhile; past it every caller gets SQLITE_BUSY.
 */
export class SqliteGroupCommit {
  private readonly queue: Job[] = [];
  private readonly maxBatch: number;
  private readonly inSavepoint: (work: () => unknown) => unknown;
  private readonly lockRetryMs: number;
  /** The connection's busy_timeout: how long a batch may wait for the write lock. */
  private readonly lockWaitMs: number;
  private readonly durable: (() => Promise<void>) | undefined;
  /**
   * Prepared once: a batch runs them every time, and preparing cost more than running them. (Not the
   * busy_timeout pragmas: SQLite applies a pragma when it is prepared, not when it runs.)
   */
  private readonly statements: Record<'begin' | 'commit' | 'rollback' | 'totalChanges', Database.Statement>;
  private scheduled = false;
  /**
   * A batch's sync in flight (`durable`): the next batch gathers until it is done, then commits, so
   * it covers every batch committed so far.
   */
  private syncing: Promise<void> | undefined;
  /** Since when the batch at the head of the queue has been waiting for the write lock. */
  private waitingSince: number | undefined;
  /**
   * The first failed sync (`durable`). Final, as SqliteWalSync's: what was committed may never reach
   * the disk, so no later batch commits on top of it and no read is told it is durable.
   */
  private syncFailure: Error | undefined;
  private readonly settlementSyncMs: number;
  /** Pending while settlement commits wait for their sync (cleared by any sync that covers them). */
  private settlementSync: NodeJS.Timeout | undefined;
  /** The settlements' own sync in flight, which whenDurable() waits for as well. */
  private settlementSyncing: Promise<void> | undefined;

  constructor(
    private readonly db: Database.Database,
    options: SqliteGroupCommitOptions = {},
  ) {
    this.maxBatch = Math.max(1, options.maxBatch ?? 256);
    this.lockRetryMs = Math.max(0, options.lockRetryMs ?? 1);
    this.lockWaitMs = Number(db.pragma('busy_timeout', { simple: true })) || 0;
    this.inSavepoint = db.transaction((work: () => unknown) => work());
    this.durable = options.durable;
    this.settlementSyncMs = Math.max(0, options.settlementSyncMs ?? 1_000);
    this.statements = {
      begin: db.prepare('BEGIN IMMEDIATE'),
      totalChanges: db.prepare('SELECT total_changes()').pluck(),
      commit: db.prepare('COMMIT'),
      rollback: db.prepare('ROLLBACK'),
    };
  }

  /**
   * Runs `work` inside the next shared transaction; resolves with its result once that transaction
   * committed (and, with `durable`, once it is synced, unless `options.durable` is false).
   */
  run<T>(work: () => T, options: WriteOptions = {}): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, durable: options.durable !== false, resolve: resolve as (value: unknown) => void, reject });
      if (!this.scheduled && this.syncing === undefined) this.schedule(0);
    });
  }

  /**
   * Resolves once every batch committed so far is durable (at once without `durable`, or with no sync
   * in flight): a read outside the transactions waits for it before acting on what it read.
   */
  whenDurable(): Promise<void> {
    if (this.syncFailure) return Promise.reject(this.syncFailure);
    // Settlement commits not yet synced: a sync now (it covers the batch syncing, if any, too).
    if (this.settlementSync !== undefined) return this.syncSettlements();
    return Promise.all([this.syncing, this.settlementSyncing]).then(() => undefined);
  }

  /** Commits what is queued now, before the database is closed (waiting for the write lock as SQLite does). */
  flushNow(): void {
    while (this.queue.length > 0) this.flush(true);
  }

  private schedule(delayMs: number): void {
    this.scheduled = true;
    if (delayMs === 0) setImmediate(() => this.flush(false));
    else setTimeout(() => this.flush(false), delayMs);
  }

  private flush(blocking: boolean): void {
    this.scheduled = false;
    const batch = this.queue.splice(0, this.maxBatch);
    if (batch.length === 0) return;
    const refusal = this.syncFailure ?? (this.db.open ? undefined : new TypeError('The database connection is not open'));
    if (refusal) {
      for (const job of batch) job.reject(refusal);
      if (this.queue.length > 0) this.schedule(0);
      return;
    }
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    try {
      this.begin(blocking);
      this.waitingSince = undefined;
    } catch (error) {
      const waited = Date.now() - (this.waitingSince ??= Date.now());
      if (!blocking && isBusy(error) && waited < this.lockWaitMs) {
        // Another connection is committing: this batch (and whatever joins it) tries again shortly.
        this.queue.unshift(...batch);
        this.schedule(this.lockRetryMs);
        return;
      }
      this.waitingSince = undefined;
      for (const job of batch) job.reject(error);
      if (this.queue.length > 0) this.schedule(0);
      return;
    }
    if (this.queue.length > 0 && !this.durable) this.schedule(0);
    // A batch that changed no row (a receive that found nothing, an update that had nothing to add)
    // commits without writing the log: there is nothing to sync (SQLite does not sync it under FULL either).
    const changesBefore = this.durable ? this.totalChanges() : 0;
    for (const job of batch) {
      try {
        outcomes.push({ ok: true, value: this.inSavepoint(job.work) });
      } catch (error) {
        outcomes.push({ ok: false, error });
      }
    }
    try {
      this.statements.commit.run();
    } catch (error) {
      try {
        if (this.db.inTransaction) this.statements.rollback.run();
      } catch {
        // The connection is unusable; every caller gets the commit's error below.
      }
      for (const job of batch) job.reject(error);
      if (this.queue.length > 0 && !this.scheduled) this.schedule(0);
      return;
    }
    const settle = () =>
      batch.forEach((job, i) => {
        const outcome = outcomes[i]!;
        if (outcome.ok) job.resolve(outcome.value);
        else job.reject(outcome.error);
      });
    const wroteLog = this.durable !== undefined && this.totalChanges() !== changesBefore;
    if (!wroteLog || !batch.some((job) => job.durable)) {
      settle();
      // Settlements only: their own sync comes later, unless a durable batch's comes first.
      if (wroteLog) this.settlementSync ??= setTimeout(() => void this.syncSettlements().catch(() => undefined), this.settlementSyncMs).unref();
      // No sync to wait for: what queued beyond this batch goes next.
      if (this.queue.length > 0 && !this.scheduled) this.schedule(0);
      return;
    }
    // This batch's sync covers every settlement committed before it.
    this.clearSettlementSync();
    const syncing = this.sync().then(settle, (error: unknown) => {
      for (const job of batch) job.reject(error);
      throw error;
    });
    this.syncing = syncing;
    syncing
      .catch(() => {
        // Its callers were told; whenDurable() callers get the error from `syncing` itself.
      })
      .finally(() => {
        if (this.syncing === syncing) this.syncing = undefined;
        if (this.queue.length > 0 && !this.scheduled) this.schedule(0);
      });
  }

  /** Syncs the settlement commits not yet synced; a failure is final, as a batch's. */
  private syncSettlements(): Promise<void> {
    this.clearSettlementSync();
    if (!this.durable || !this.db.open) return Promise.resolve();
    const syncing = this.sync().catch((error: unknown) => {
      throw this.syncFailure ?? error;
    });
    this.settlementSyncing = syncing;
    syncing
      .catch(() => undefined)
      .finally(() => {
        if (this.settlementSyncing === syncing) this.settlementSyncing = undefined;
      });
    return syncing;
  }

  /** One sync of the log (`durable`); its failure, the first one, is kept as final (syncFailure). */
  private sync(): Promise<void> {
    let synced: Promise<void>;
    try {
      synced = this.durable!();
    } catch (error) {
      synced = Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    return synced.catch((error: unknown) => {
      const failure = error instanceof Error ? error : new Error(String(error));
      this.syncFailure ??= failure;
      throw failure;
    });
  }

  private clearSettlementSync(): void {
    clearTimeout(this.settlementSync);
    this.settlementSync = undefined;
  }

  /** Rows inserted, updated or deleted on this connection since it opened. */
  private totalChanges(): number {
    return Number(this.statements.totalChanges.get());
  }

  /** BEGIN IMMEDIATE; without `blocking`, one try (busy_timeout 0 for it) instead of SQLite's sleeping wait. */
  private begin(blocking: boolean): void {
    if (blocking || this.lockWaitMs === 0) {
      this.statements.begin.run();
      return;
    }
    this.db.pragma('busy_timeout = 0');
    try {
      this.statements.begin.run();
    } finally {
      this.db.pragma(`busy_timeout = ${this.lockWaitMs}`);
    }
  }
}

function isBusy(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_BUSY');
}
