import { readdir, stat, unlink } from 'node:fs/promises';
import path from 'node:path';
import type { FileCalls } from '../file-calls.js';
import { audioLinkSignature } from './audio-link-signature.js';
import { FolderAudioStore } from './folder-audio-store.js';

/** A temporary file older than this belongs to a write that died with its process. */
const ABANDONED_MS = 10 * 60_000;

/**
 * The folder audio store of a data folder's `audio/` folder: the container's files and the link key
 * every process of the host shares. Temporary files left by a process that died mid-write are removed.
 */
export async function openFolderAudioStore(audioFolder: string, container: string, linkBase: () => Promise<string>, files?: FileCalls): Promise<FolderAudioStore> {
  const root = path.join(audioFolder, container);
  await removeAbandoned(path.join(root, 'tmp'));
  return new FolderAudioStore({ root, signature: audioLinkSignature(path.join(audioFolder, 'link.key')), linkBase, ...(files && { files }) });
}

async function removeAbandoned(folder: string): Promise<void> {
  const names = await readdir(folder).catch(() => [] as string[]);
  const cutoff = Date.now() - ABANDONED_MS;
  for (const name of names) {
    const file = path.join(folder, name);
    const info = await stat(file).catch(() => undefined);
    if (info && info.mtimeMs < cutoff) await unlink(file).catch(() => undefined);
  }
}
