import { closeSync, openSync, readFileSync, unlinkSync, writeSync, fsyncSync } from 'node:fs';
import { hostname } from 'node:os';
import path from 'node:path';
import { TalkbackError } from '../core/errors.js';

export const LOCK_FILE = 'talkback.lock';

/** Lock files this process holds: its own pid in a lock file is otherwise an earlier process's (a restarted container). */
const heldHere = new Set<string>();

interface Holder {
  pid: number;
  hostname: string;
  startedAt: string;
}

export interface DataFolderLock {
  readonly path: string;
  /** Removes the lock file if it is still ours. Safe to call more than once. */
  release(): void;
}

/**
 * One host per data folder: an exclusively created lock file naming its holder (pid, host name,
 * start time). A second host is refused with the holder named. A lock left by a crashed host on
 * this machine (its pid is gone) is taken over; one held from another machine is never guessed
 * at: the message says how to remove it once that host is known to be stopped.
 */
export function lockDataFolder(dataDir: string, options: { pid?: number; host?: string } = {}): DataFolderLock {
  const file = path.join(dataDir, LOCK_FILE);
  const me: Holder = { pid: options.pid ?? process.pid, hostname: options.host ?? hostname(), startedAt: new Date().toISOString() };
  const content = `${JSON.stringify(me)}\n`;
  for (let attempt = 0; attempt < 3; attempt += 1) {
    let fd: number;
    try {
      fd = openSync(file, 'wx', 0o644);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = readHolder(file);
      if (heldHere.has(file) || (holder && !isStale(holder, me.hostname))) {
        throw new TalkbackError(
          'DataFolderLocked',
          `the data folder ${dataDir} is in use by another talkback host (${holder ? `pid ${holder.pid} on ${holder.hostname}, started ${holder.startedAt}` : 'in this process'}). ` +
            `Stop that host, or set TALKBACK_DATA_DIR to another folder.` +
            (holder && holder.hostname !== me.hostname ? ` If that host is gone for good, delete ${file}.` : ''),
        );
      }
      // Left by a crashed host (or unreadable: a crash while writing it): take it over.
      removeIfUnchanged(file, holder);
      continue;
    }
    try {
      writeSync(fd, content);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    heldHere.add(file);
    let released = false;
    const release = () => {
      if (released) return;
      released = true;
      heldHere.delete(file);
      process.off('exit', release);
      try {
        if (readFileSync(file, 'utf8') === content) unlinkSync(file);
      } catch {
        // Already gone.
      }
    };
    process.on('exit', release);
    return { path: file, release };
  }
  throw new TalkbackError('DataFolderLocked', `could not take the lock ${file}: another host keeps taking it`);
}

function readHolder(file: string): Holder | undefined {
  try {
    const parsed = JSON.parse(readFileSync(file, 'utf8')) as Partial<Holder>;
    if (typeof parsed.pid === 'number' && typeof parsed.hostname === 'string') {
      return { pid: parsed.pid, hostname: parsed.hostname, startedAt: String(parsed.startedAt ?? 'unknown') };
    }
  } catch {
    // Empty or torn: treated as stale.
  }
  return undefined;
}

function isStale(holder: Holder, host: string): boolean {
  if (holder.hostname !== host) return false;
  // Our own pid, in a lock this process does not hold: an earlier process with the same pid.
  if (holder.pid === process.pid) return true;
  try {
    process.kill(holder.pid, 0);
    return false;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ESRCH';
  }
}

function removeIfUnchanged(file: string, holder: Holder | undefined): void {
  try {
    const now = readHolder(file);
    if (JSON.stringify(now) === JSON.stringify(holder)) unlinkSync(file);
  } catch {
    // Someone else removed it first.
  }
}
