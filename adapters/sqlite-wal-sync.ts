import { closeSync, fdatasync, fdatasyncSync, openSync } from 'node:fs';

/**
 * Makes a SQLite file's committed transactions durable off the event loop: the connection runs with
 * synchronous=NORMAL (a COMMIT only writes the write-ahead log, into the page cache) and this syncs
 * the log with fdatasync on libuv's thread pool, so the event loop goes on serving while the disk
 * works. Syncs coalesce: one in flight at a time, and every request made meanwhile shares the next.
 * Checkpoints stay SQLite's own (under NORMAL they sync the log before and the database after).
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

  constructor(private readonly databasePath: string) {}

  /** Resolves once everything committed before this call is on disk. */
  durable(): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.next.push((error) => (error ? reject(error) : resolve()));
      if (!this.inFlight) this.start();
    });
  }

  /** The same, blocking (a rare write that must be durable before a synchronous caller returns). */
  durableNow(): void {
    fdatasyncSync(this.log());
  }

  /** Closes the log's descriptor once no sync is in flight. */
  close(): void {
    if (this.inFlight) this.closeWhenIdle = true;
    else this.release();
  }

  private start(): void {
    const waiting = this.next;
    this.next = [];
    let fd: number;
    try {
      fd = this.log();
    } catch (error) {
      for (const done of waiting) done(error as Error);
      return;
    }
    this.inFlight = true;
    fdatasync(fd, (error) => {
      this.inFlight = false;
      for (const done of waiting) done(error);
      if (this.next.length > 0 && !this.closeWhenIdle) this.start();
      else if (this.closeWhenIdle) {
        for (const done of this.next.splice(0)) done(new Error('the write-ahead log was closed'));
        this.release();
      }
    });
  }

  /**
   * The log file, opened on first use (it exists once the connection has committed). SQLite removes
   * it only when the last connection closes, and this connection is open, so the descriptor stays valid.
   */
  private log(): number {
    this.fd ??= openSync(`${this.databasePath}-wal`, 'r');
    return this.fd;
  }

  private release(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
