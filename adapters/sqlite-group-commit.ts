import type Database from 'better-sqlite3';

export interface SqliteGroupCommitOptions {
  /** Most writes sharing one transaction (default 256): a long batch holds the file's write lock longer. */
  maxBatch?: number;
}

interface Job {
  work: () => unknown;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

/**
 * Group commit for a durable SQLite file: writes asked for in the same turn of the event loop run
 * in one IMMEDIATE transaction, each in its own savepoint (one that throws rolls back alone and
 * rejects its caller), and share one COMMIT — one fsync under synchronous=FULL. Every caller
 * resolves only after that COMMIT returned, so what it wrote is as durable as a lone commit makes it.
 * better-sqlite3 turns a transaction function called inside an open transaction into a savepoint,
 * so the adapters' own transaction functions nest as they are.
 */
export class SqliteGroupCommit {
  private readonly queue: Job[] = [];
  private readonly maxBatch: number;
  private readonly inSavepoint: (work: () => unknown) => unknown;
  private scheduled = false;

  constructor(
    private readonly db: Database.Database,
    options: SqliteGroupCommitOptions = {},
  ) {
    this.maxBatch = Math.max(1, options.maxBatch ?? 256);
    this.inSavepoint = db.transaction((work: () => unknown) => work());
  }

  /** Runs `work` inside the next shared transaction; resolves with its result once that transaction committed. */
  run<T>(work: () => T): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (!this.scheduled) {
        this.scheduled = true;
        setImmediate(() => this.flush());
      }
    });
  }

  /** Commits what is queued now, before the database is closed. */
  flushNow(): void {
    while (this.queue.length > 0) this.flush();
  }

  private flush(): void {
    this.scheduled = false;
    const batch = this.queue.splice(0, this.maxBatch);
    if (this.queue.length > 0) {
      this.scheduled = true;
      setImmediate(() => this.flush());
    }
    if (batch.length === 0) return;
    if (!this.db.open) {
      for (const job of batch) job.reject(new TypeError('The database connection is not open'));
      return;
    }
    const outcomes: Array<{ ok: true; value: unknown } | { ok: false; error: unknown }> = [];
    try {
      this.db.exec('BEGIN IMMEDIATE');
    } catch (error) {
      for (const job of batch) job.reject(error);
      return;
    }
    for (const job of batch) {
      try {
        outcomes.push({ ok: true, value: this.inSavepoint(job.work) });
      } catch (error) {
        outcomes.push({ ok: false, error });
      }
    }
    try {
      this.db.exec('COMMIT');
    } catch (error) {
      try {
        if (this.db.inTransaction) this.db.exec('ROLLBACK');
      } catch {
        // The connection is unusable; every caller gets the commit's error below.
      }
      for (const job of batch) job.reject(error);
      return;
    }
    batch.forEach((job, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) job.resolve(outcome.value);
      else job.reject(outcome.error);
    });
  }
}
