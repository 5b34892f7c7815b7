import { mkdtemp, readdir, rm } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createAdaptorServer } from '@hono/node-server';
import { Hono } from 'hono';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openFolderAudioStore } from '../../../adapters/audio/folder-audio-files.js';
import { FolderAudioStore } from '../../../adapters/audio/folder-audio-store.js';
import { audioLinkSignature } from '../../../adapters/audio/audio-link-signature.js';
import { blockingFileCalls, type FileCalls } from '../../../adapters/file-calls.js';
import { AUDIO_ROUTE, audioRoute } from '../../../local/audio-route.js';
import { runAudioStoreContract } from './audio-store.contract.js';

/** The folder store with its links served by the local host's own route, on a server of the test's own. */
async function folderStoreServed(folder: string, files?: FileCalls): Promise<{ store: FolderAudioStore; url: string; close: () => Promise<void> }> {
  const opened: { store?: FolderAudioStore } = {};
  const app = new Hono();
  app.all(AUDIO_ROUTE, audioRoute(() => Promise.resolve(opened.store!)));
  const server = createAdaptorServer({ fetch: app.fetch }) as Server;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const store = await openFolderAudioStore(folder, 'talkback', () => Promise.resolve(url), files);
  opened.store = store;
  return { store, url, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}

// Its file calls on libuv's pool (the chat endpoint's store) and on the calling thread (the pipeline worker's).
for (const [how, files] of [['pooled', undefined], ['blocking', blockingFileCalls]] as const) {
  runAudioStoreContract({
    name: `FolderAudioStore served by the local host (${how} file calls)`,
    create: async () => {
      const folder = await mkdtemp(path.join(tmpdir(), 'talkback-audio-'));
      const { store, close } = await folderStoreServed(folder, files);
      return { store, cleanup: async () => (await close(), await rm(folder, { recursive: true, force: true })) };
    },
  });
}

describe('FolderAudioStore: files, links and the route', () => {
  let folder: string;
  let served: Awaited<ReturnType<typeof folderStoreServed>>;
  beforeAll(async () => {
    folder = await mkdtemp(path.join(tmpdir(), 'talkback-audio-'));
    served = await folderStoreServed(folder);
  });
  afterAll(async () => {
    await served.close();
    await rm(folder, { recursive: true, force: true });
  });

  it('keeps links valid for a second store on the same folder (another process of the host, or a restart)', async () => {
    const name = 'audio/restart.mp3';
    await served.store.putIfAbsent(name, new Uint8Array([1, 2, 3]), 'audio/mpeg');
    const other = await openFolderAudioStore(folder, 'talkback', () => Promise.resolve(served.url));
    const response = await fetch((await other.readLink(name, 60_000)).url);
    expect(response.status).toBe(200);
    expect([...new Uint8Array(await response.arrayBuffer())]).toEqual([1, 2, 3]);
  });

  it('refuses a link whose signature is for another blob, and names outside the store', async () => {
    await served.store.putIfAbsent('audio/a.mp3', new Uint8Array([1]), 'audio/mpeg');
    await served.store.putIfAbsent('audio/b.mp3', new Uint8Array([2]), 'audio/mpeg');
    const link = new URL((await served.store.readLink('audio/a.mp3', 60_000)).url);
    const other = await fetch(`${served.url}/audio/audio/b.mp3${link.search}`);
    expect(other.status).toBe(403);
    for (const sneaky of ['/audio/..%2Flink.key', '/audio/audio/..%2F..%2Flink.key', '/audio/%2e%2e/link.key']) {
      const response = await fetch(`${served.url}${sneaky}${link.search}`);
      await response.arrayBuffer();
      expect([403, 404]).toContain(response.status);
    }
    await expect(served.store.putIfAbsent('../escape.mp3', new Uint8Array([1]), 'audio/mpeg')).rejects.toMatchObject({ code: 'StorageRejected' });
  });

  it('serves a byte range (an audio player seeks with them) and says when one cannot be served', async () => {
    const name = 'audio/range.mp3';
    await served.store.putIfAbsent(name, new Uint8Array([10, 11, 12, 13, 14]), 'audio/mpeg');
    const { url } = await served.store.readLink(name, 60_000);
    const part = await fetch(url, { headers: { range: 'bytes=1-2' } });
    expect(part.status).toBe(206);
    expect(part.headers.get('content-range')).toBe('bytes 1-2/5');
    expect([...new Uint8Array(await part.arrayBuffer())]).toEqual([11, 12]);
    const tail = await fetch(url, { headers: { range: 'bytes=-2' } });
    expect([...new Uint8Array(await tail.arrayBuffer())]).toEqual([13, 14]);
    const beyond = await fetch(url, { headers: { range: 'bytes=9-' } });
    await beyond.arrayBuffer();
    expect(beyond.status).toBe(416);
  });

  it('leaves no temporary file behind, and a put that lost the race does not change the blob', async () => {
    const name = 'audio/once.mp3';
    const results = await Promise.all([1, 2, 3].map((n) => served.store.putIfAbsent(name, new Uint8Array([n]), 'audio/mpeg', { voice: `v${n}` })));
    const winner = results.findIndex((r) => r.created) + 1;
    expect(await served.store.stat(name)).toMatchObject({ bytes: 1, metadata: { voice: `v${winner}` } });
    expect(await readdir(path.join(folder, 'talkback', 'tmp'))).toEqual([]);
  });

  it.each([
    ['its folder cannot be made (another writer made a file of that name meanwhile)', { makeFolder: (folder: string) => folder.endsWith(`blobs${path.sep}audio`) }],
    ['the disk is full while the bytes are written', { writeAll: true }],
  ])('says a store that cannot write is failing (retryable), and leaves no file behind: %s', async (_, failing) => {
    const fail = (code: string) => Promise.reject(Object.assign(new Error(code), { code }));
    const files: FileCalls = {
      ...blockingFileCalls,
      makeFolder: (folder) => ('makeFolder' in failing && failing.makeFolder(folder) ? fail('EEXIST') : blockingFileCalls.makeFolder(folder)),
      writeAll: (fd, parts) => ('writeAll' in failing ? fail('ENOSPC') : blockingFileCalls.writeAll(fd, parts)),
    };
    const broken = await mkdtemp(path.join(tmpdir(), 'talkback-audio-broken-'));
    try {
      const store = new FolderAudioStore({ root: broken, signature: audioLinkSignature(path.join(broken, 'link.key')), linkBase: () => Promise.resolve(served.url), files });
      await expect(store.putIfAbsent('audio/x.mp3', new Uint8Array([1]), 'audio/mpeg')).rejects.toMatchObject({ code: 'StorageFailed', retryable: true });
      expect(await readdir(path.join(broken, 'tmp'))).toEqual([]);
      expect(await store.stat('audio/x.mp3')).toBeUndefined();
    } finally {
      await rm(broken, { recursive: true, force: true });
    }
  });
});
