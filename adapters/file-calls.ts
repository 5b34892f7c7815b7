import {
  closeSync,
  fstatSync,
  linkSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  renameSync,
  statSync,
  unlinkSync,
  writevSync,
} from 'node:fs';
import * as pooled from 'node:fs/promises';

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
    writeWhole(parts, (rest) => writevSync(fd, rest));
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

/** Descriptors opened here are numbers as the blocking calls' are: a FileHandle per descriptor is kept only while it is open. */
const handles = new Map<number, pooled.FileHandle>();
const handleOf = (fd: number): pooled.FileHandle => {
  const handle = handles.get(fd);
  if (!handle) throw Object.assign(new Error(`descriptor ${fd} is not open here`), { code: 'EBADF' });
  return handle;
};

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
    const handle = await pooled.open(path, flags, mode);
    handles.set(handle.fd, handle);
    return handle.fd;
  },
  async size(fd) {
    return (await handleOf(fd).stat()).size;
  },
  async read(fd, buffer, position) {
    return (await handleOf(fd).read(buffer, 0, buffer.length, position)).bytesRead;
  },
  async writeAll(fd, parts) {
    const handle = handleOf(fd);
    let rest = parts;
    // writeWhole's loop, with an await between the writes.
    while (rest.length > 0) {
      const { bytesWritten } = await handle.writev([...rest]);
      rest = remainderAfter(rest, bytesWritten);
    }
  },
  async close(fd) {
    const handle = handleOf(fd);
    handles.delete(fd);
    await handle.close();
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
export function writeWhole(parts: readonly Uint8Array[], writev: (parts: Uint8Array[]) => number): void {
  let rest = parts.filter((p) => p.length > 0);
  while (rest.length > 0) rest = remainderAfter(rest, writev(rest));
}

/** What is left of `parts` after `written` bytes; throws when a write made no progress (it would loop forever). */
function remainderAfter(parts: readonly Uint8Array[], written: number): Uint8Array[] {
  if (written <= 0) throw Object.assign(new Error('a write wrote nothing'), { code: 'EIO' });
  const rest: Uint8Array[] = [];
  let skip = written;
  for (const part of parts) {
    if (part.length === 0) continue;
    if (skip >= part.length) skip -= part.length;
    else {
      rest.push(skip > 0 ? part.subarray(skip) : part);
      skip = 0;
    }
  }
  return rest;
}
