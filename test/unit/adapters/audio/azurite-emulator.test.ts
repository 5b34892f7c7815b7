import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { mkdtemp, readdir, readlink, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AzureBlobAudioStore } from '../../../../adapters/audio/azure-blob-audio-store.js';
import { startAzurite } from '../../../../adapters/audio/azurite-emulator.js';

const storeOn = (connectionString: string) => new AzureBlobAudioStore({ connectionString, containerName: 'talkback' });

/** Binds and releases `port`; rejects (EADDRINUSE) while something still listens there. */
async function bindAndRelease(port: number): Promise<void> {
  const server = createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', resolve);
  });
  await new Promise<void>((resolve) => server.close(() => resolve()));
}

/** File descriptors of this process that point into `dir` (Linux /proc). */
async function openFilesUnder(dir: string): Promise<string[]> {
  const targets = await Promise.all(
    (await readdir('/proc/self/fd')).map((fd) => readlink(`/proc/self/fd/${fd}`).catch(() => '')),
  );
  return targets.filter((target) => target.startsWith(dir));
}

describe('startAzurite', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'talkback-azurite-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps blobs stored under `location` across stop and start, and frees the port on stop', async () => {
    const location = join(dir, 'blob');
    const data = new Uint8Array(randomBytes(30_000));

    const first = await startAzurite({ location, port: 0 });
    expect(first.connectionString).toContain(`BlobEndpoint=http://127.0.0.1:${first.port}/devstoreaccount1;`);
    expect(await storeOn(first.connectionString).putIfAbsent('audio/e1.mp3', data, 'audio/mpeg')).toEqual({ created: true });
    await first.stop();
    await expect(bindAndRelease(first.port)).resolves.toBeUndefined();

    const second = await startAzurite({ location, port: first.port });
    try {
      expect(second.port).toBe(first.port);
      const store = storeOn(second.connectionString);
      expect(Buffer.compare((await store.get('audio/e1.mp3'))!, data)).toBe(0);
      expect(await store.putIfAbsent('audio/e1.mp3', new Uint8Array([1]), 'audio/mpeg')).toEqual({ created: false });
    } finally {
      await second.stop();
    }
  });

  it.skipIf(!existsSync('/proc/self/fd'))('holds no file open under `location` once stopped', async () => {
    const location = join(dir, 'blob');
    for (const round of [1, 2]) {
      const azurite = await startAzurite({ location });
      await storeOn(azurite.connectionString).putIfAbsent(`audio/e${round}.mp3`, new Uint8Array(randomBytes(5_000)), 'audio/mpeg');
      await azurite.stop();
      expect(await openFilesUnder(location)).toEqual([]);
    }
  });

  it('keeps nothing when in memory: a restarted emulator is empty', async () => {
    const first = await startAzurite();
    await storeOn(first.connectionString).putIfAbsent('audio/e1.mp3', new Uint8Array([1, 2, 3]), 'audio/mpeg');
    expect(await storeOn(first.connectionString).get('audio/e1.mp3')).toEqual(Buffer.from([1, 2, 3]));
    await first.stop();

    const second = await startAzurite();
    try {
      expect(await storeOn(second.connectionString).get('audio/e1.mp3')).toBeUndefined();
    } finally {
      await second.stop();
    }
  });

  it('keeps in-memory emulators of one process apart: stopping one leaves the blobs of the other', async () => {
    const a = await startAzurite();
    const b = await startAzurite();
    try {
      const data = new Uint8Array(randomBytes(5_000));
      await storeOn(b.connectionString).putIfAbsent('audio/e1.mp3', data, 'audio/mpeg');
      await a.stop();
      expect(Buffer.compare((await storeOn(b.connectionString).get('audio/e1.mp3'))!, data)).toBe(0);
    } finally {
      await a.stop();
      await b.stop();
    }
  });

  it('refuses a port that is taken with ConfigInvalid', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as { port: number }).port;
    try {
      await expect(startAzurite({ port })).rejects.toMatchObject({ name: 'TalkbackError', code: 'ConfigInvalid' });
    } finally {
      await new Promise<void>((resolve) => blocker.close(() => resolve()));
    }
  });

  it('can be stopped twice', async () => {
    const azurite = await startAzurite();
    await azurite.stop();
    await expect(azurite.stop()).resolves.toBeUndefined();
    await expect(bindAndRelease(azurite.port)).resolves.toBeUndefined();
  });
});
