import { closeSync, fsync, openSync, writevSync } from 'node:fs';

/**
 * The embedded adapters' durable file writes (the folder audio store, the outbox): the calls that only
 * touch the kernel's caches (open, write, rename, close) run synchronously, where they take
 * microseconds — through libuv's pool (node:fs/promises) each one costs ~40 µs of CPU in round trips,
 * a dozen of them per message —, and the syncs, which wait for the disk, run on libuv's pool.
 */

/** Flushes a descriptor to the disk on libuv's pool. */
export function syncDescriptor(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fsync(fd, (error) => (error ? reject(error) : resolve())));
}

/** Creates `file` (failing if it exists, mode `mode`), writes the parts whole, and syncs it before it resolves. */
export async function writeNewFileDurably(file: string, parts: readonly Uint8Array[], mode = 0o666): Promise<void> {
  const fd = openSync(file, 'wx', mode);
  try {
    writeWhole(fd, parts);
    await syncDescriptor(fd);
  } finally {
    closeSync(fd);
  }
}

/** A new name in a folder (a created, linked or renamed file) is durable once the folder itself is synced. */
export async function syncFolder(folder: string): Promise<void> {
  const fd = openSync(folder, 'r');
  try {
    await syncDescriptor(fd);
  } finally {
    closeSync(fd);
  }
}

/** writev may write less than asked (a signal, a file-size limit): what is left is written until none is. */
function writeWhole(fd: number, parts: readonly Uint8Array[]): void {
  let rest = parts.filter((p) => p.length > 0);
  while (rest.length > 0) {
    let written = writevSync(fd, rest);
    if (written === 0) throw Object.assign(new Error('writev wrote nothing'), { code: 'EIO' });
    const next: Uint8Array[] = [];
    for (const part of rest) {
      if (written >= part.length) written -= part.length;
      else {
        next.push(written > 0 ? part.subarray(written) : part);
        written = 0;
      }
    }
    rest = next;
  }
}
