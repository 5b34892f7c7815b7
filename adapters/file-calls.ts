import {
  close,
  closeSync,
  fstat,
  fstatSync,
  linkSync,
  mkdirSync,
  open,
  openSync,
  read,
  readFileSync,
  readSync,
  renameSync,
  statSync,
  unlinkSync,
  writev,
  writevSync,
} from 'node:fs';
import * as pooled from 'node:fs/promises';
import { promisify } from 'node:util';

/**
 * The file calls of the embedded file adapters (the folder audio store, the outbox), made one of two ways:
 * - 'blocking': on the calling thread, where a call that only touches the kernel's caches (open, stat,
 *   write, link, rename, unlink, close) takes a few µs; through libuv's pool each one costs ~40 µs of CPU
 *   in round trips, and a message makes ~40. For a thread that answers no request: the local host's
 *   pipeline worker (createPorts' `blockingFileCalls`).
 * - 'pooled' (the default): on libuv's pool (node:fs/promises), for an event loop that must not stop when
 *   the disk does: the chat endpoint's, whose health check then reports the disk within its deadline.
 * Syncs (fsync) always run on the pool (adapters/durable-files.ts): they wait for the disk.
 */
export interface FileCalls {
  /** Whether something is at `path`; any failure but its absence (ENOENT) is thrown. */
  exists(path: string): Promise<boolean>;
  /** Creates the folder and its parents, if missing. */
  makeFolder(path: string): Promise<void>;
  /** Opens `path` ('r', or 'wx': created, failing if it exists) and returns the descriptor. */
  open(path: string, flags: 'r' | 'wx', mode?: number): Promise<number>;
  size(fd: number): Promise<number>;
  /** Reads into `buffer` from `position`; returns the bytes read. */
  read(fd: number, buffer: Buffer, position: number): Promise<number>;
  /** Writes every part, in order, at the descriptor's position (a short write is continued). */
  writeAll(fd: number, parts: readonly Uint8Array[]): Promise<void>;
  close(fd: number): Promise<void>;
  readWhole(path: string): Promise<Buffer>;
  link(existing: string, created: string): Promise<void>;
  rename(from: string, to: string): Promise<void>;
  unlink(path: string): Promise<void>;
}

export const blockingFileCalls: FileCalls = {
  async exists(path) {
    try {
      statSync(path);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
  },
  async makeFolder(path) {
    mkdirSync(path, { recursive: true });
  },
  async open(path, flags, mode) {
    return openSync(path, flags, mode);
  },
  async size(fd) {
    return fstatSync(fd).size;
  },
  async read(fd, buffer, position) {
    return readSync(fd, buffer, 0, buffer.length, position);
  },
  async writeAll(fd, parts) {
    await writeWhole(parts, (rest) => writevSync(fd, rest));
  },
  async close(fd) {
    closeSync(fd);
  },
  async readWhole(path) {
    return readFileSync(path);
  },
  async link(existing, created) {
    linkSync(existing, created);
  },
  async rename(from, to) {
    renameSync(from, to);
  },
  async unlink(path) {
    unlinkSync(path);
  },
};

// node:fs's callback forms, which take and give plain descriptors as the blocking calls do (node:fs/promises wraps each in a FileHandle).
const openPooled = promisify(open);
const fstatPooled = promisify(fstat);
const readPooled = promisify(read);
const writevPooled = promisify(writev);
const closePooled = promisify(close);

export const pooledFileCalls: FileCalls = {
  async exists(path) {
    try {
      await pooled.stat(path);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw error;
    }
  },
  async makeFolder(path) {
    await pooled.mkdir(path, { recursive: true });
  },
  async open(path, flags, mode) {
    return openPooled(path, flags, mode);
  },
  async size(fd) {
    return (await fstatPooled(fd)).size;
  },
  async read(fd, buffer, position) {
    return (await readPooled(fd, buffer, 0, buffer.length, position)).bytesRead;
  },
  async writeAll(fd, parts) {
    await writeWhole(parts, async (rest) => (await writevPooled(fd, rest)).bytesWritten);
  },
  async close(fd) {
    await closePooled(fd);
  },
  async readWhole(path) {
    return pooled.readFile(path);
  },
  async link(existing, created) {
    await pooled.link(existing, created);
  },
  async rename(from, to) {
    await pooled.rename(from, to);
  },
  async unlink(path) {
    await pooled.unlink(path);
  },
};

/** Writes the parts with `writev` until none is left: a write may take less than asked (a signal, a size limit). */
export async function writeWhole(parts: readonly Uint8Array[], writev: (parts: Uint8Array[]) => number | Promise<number>): Promise<void> {
  let rest = parts.filter((p) => p.length > 0);
  while (rest.length > 0) rest = remainderAfter(rest, await writev(rest));
}

/** What is left of `parts` after `written` bytes; throws when a write made no progress (it would loop forever). */
function remainderAfter(parts: readonly Uint8Array[], written: number): Uint8Array[] {
  if (written <= 0) throw Object.assign(new Error('a write wrote nothing'), { code: 'EIO' });
  const rest: Uint8Array[] = [];
  let skip = written;
  for (const part of parts) {
    if (skip >= part.length) skip -= part.length;
    else {
      rest.push(skip > 0 ? part.subarray(skip) : part);
      skip = 0;
    }
  }
  return rest;
}
