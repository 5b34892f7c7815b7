import { fsync } from 'node:fs';
import type { FileCalls } from './file-calls.js';

/**
 * The embedded file adapters' durable writes (the folder audio store, the outbox): the file calls
 * made the way the adapter was given (FileCalls: on the calling thread, or on libuv's pool), the
 * syncs, which wait for the disk, always on libuv's pool.
 */

/** Flushes a descriptor to the disk on libuv's pool. */
function syncDescriptor(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fsync(fd, (error) => (error ? reject(error) : resolve())));
}

/** Creates `file` (failing if it exists, mode `mode`), writes the parts whole, and syncs it before it resolves. */
export async function writeNewFileDurably(files: FileCalls, file: string, parts: readonly Uint8Array[], mode = 0o666): Promise<void> {
  const fd = await files.open(file, 'wx', mode);
  try {
    await files.writeAll(fd, parts);
    await syncDescriptor(fd);
  } finally {
    await files.close(fd);
  }
}

/**
 * A new name in a folder (a created, linked or renamed file) is durable once the folder itself is
 * synced. With `unopenedIsFine`, a folder that cannot be opened for it (some platforms) is not an
 * error; a sync that fails always is.
 */
export async function syncFolder(files: FileCalls, folder: string, { unopenedIsFine = false } = {}): Promise<void> {
  let fd: number;
  try {
    fd = await files.open(folder, 'r');
  } catch (error) {
    if (unopenedIsFine) return;
    throw error;
  }
  try {
    await syncDescriptor(fd);
  } finally {
    await files.close(fd);
  }
}
