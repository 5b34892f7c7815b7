import { closeSync, fdatasync, fdatasyncSync, openSync, realpathSync } from 'node:fs';

/**
 * Makes a SQLite file's committed transactions durable off the event loop: the connection runs with
 * synchronous=NORMAL (a COMMIT only writes the write-ahead log, into the page cache) and this syncs
 * the log with fdatasync on libuv's thread pool, so the event loop goes on serving while the disk
 * works. Syncs coalesce: one in flight at a time, and every request made meanwhile shares the next.
 * Checkpoints stay SQLite's own (under NORMAL they sync the log before and the database after).
 *
 * A failed sync is final: after an fsync error the kernel may have dropped the unwritten pages and
 * marked them clean, so a later sync that succeeds proves nothing about them (PostgreSQL's rule). Every
 * later call fails with the first error; the process must reopen the file (a restart) to write again.
 * (A log that cannot be opened is not final: nothing was synced, so nothing was dropped either.)
 *
 * Not entirely off the event loop: when the log restarts after a complete checkpoint, SQLite syncs
 * its new header inside the next COMMIT (at most once per checkpoint; the importer checkpoints at
 * most once a second).
 *
 * A row committed this way is visible to other connections before it is durable: a reader must not
 * act on that in a way a power loss could contradict (see SqliteBusInbox, which keeps its sequence
 * above what the bus imported for that reason).
 */
export class SqliteWalSync {
  private fd: number | undefined;
  private inFlight = false;
  /** Callers waiting for the sync after the one in flight. */
  private next: Array<(error: Error | null) => void> = [];
  private closeWhenIdle = false;
  private failed: Error | undefined;

  constructor(private readonly databasePath: string) {}

  /** Resolves once everything committed before this call is on disk. */
  durable(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.next.push((error) => (error ? reject(error) : resolve()));
      if (!this.inFlight) this.start();
    });
  }

  /**
   * The same, blocking (a rare write that must be durable before a synchronous caller returns). Callers
   * waiting for the next sync are durable too once it returns, and are told so.
   */
  durableNow(): void {
    if (this.failed) throw this.failed;
    const fd = this.log();
    try {
      fdatasyncSync(fd);
    } catch (error) {
      throw this.fail(error);
    }
    for (const done of this.next.splice(0)) done(null);
  }

  /**
   * Lets go of the log's descriptor once no sync is in flight. Call it right after a durableNow(): a
   * caller still waiting for a sync after that (none, if it succeeded) is refused, not told it is durable.
   */
  close(): void {
    if (this.inFlight) {
      this.closeWhenIdle = true;
      return;
    }
    const refusal = this.failed ?? new Error('the log was closed before it was synced');
    for (const done of this.next.splice(0)) done(refusal);
    this.release();
  }

  private start(): void {
    const waiting = this.next;
    this.next = [];
    if (this.failed) {
      for (const done of waiting) done(this.failed);
      return;
    }
    let fd: number;
    try {
      fd = this.log();
    } catch (error) {
      // The log could not be opened: nothing was synced, and nothing was lost either.
      for (const done of waiting) done(error instanceof Error ? error : new Error(String(error)));
      return;
    }
    this.inFlight = true;
    try {
      fdatasync(fd, (error) => this.synced(waiting, error ? this.fail(error) : null));
    } catch (error) {
      this.synced(waiting, this.fail(error));
    }
  }

  private synced(waiting: Array<(error: Error | null) => void>, error: Error | null): void {
    this.inFlight = false;
    for (const done of waiting) done(error);
    if (this.closeWhenIdle) this.close();
    else if (this.next.length > 0) this.start();
  }

  private fail(error: unknown): Error {
    this.failed ??= error instanceof Error ? error : new Error(String(error));
    return this.failed;
  }

  /**
   * The log file, opened on first use (it exists once the connection has committed) beside the real
   * database file, where SQLite keeps it. SQLite removes it only when the last connection closes, and
   * this connection is open, so the descriptor stays valid. Opened for writing: some systems sync
   * only a descriptor that may write.
   */
  private log(): number {
    this.fd ??= openSync(`${realpathSync(this.databasePath)}-wal`, 'r+');
    return this.fd;
  }

  private release(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
