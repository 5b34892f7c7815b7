import { randomBytes, randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AudioStore } from '../../../adapters/ports.js';

export interface AudioStoreContractOptions {
  name: string;
  /** A fresh, empty store and how to dispose of it. */
  create: () => Promise<{ store: AudioStore; cleanup: () => Promise<void> }>;
  /** Why this adapter cannot run here; the suite is then skipped and says so. */
  skip?: string;
}

const MP3 = 'audio/mpeg';
const audioName = () => `audio/${randomUUID()}.mp3`;
const audioBytes = (size = 20_000) => new Uint8Array(randomBytes(size));

export function runAudioStoreContract(options: AudioStoreContractOptions): void {
  const title = `AudioStore contract: ${options.name}${options.skip === undefined ? '' : ` (skipped: ${options.skip})`}`;
  describe.skipIf(options.skip !== undefined)(title, () => {
    let store: AudioStore;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ store, cleanup } = await options.create());
    });
    afterEach(async () => {
      await cleanup();
    });

    it('returns the bytes that were put', async () => {
      const name = audioName();
      const data = audioBytes();
      expect(await store.putIfAbsent(name, data, MP3)).toEqual({ created: true });
      const read = await store.get(name);
      expect(read).toBeInstanceOf(Buffer);
      expect(Buffer.compare(read!, data)).toBe(0);
    });

    it('returns undefined for a blob that does not exist', async () => {
      expect(await store.get(audioName())).toBeUndefined();
      expect(await store.stat(audioName())).toBeUndefined();
    });

    it('tells size, type and the metadata given at put without reading the bytes', async () => {
      const name = audioName();
      const data = audioBytes();
      await store.putIfAbsent(name, data, MP3, { durationms: '2500', voice: 'ko-KR-SunHiNeural' });
      expect(await store.stat(name)).toEqual({
        name,
        contentType: MP3,
        bytes: data.byteLength,
        metadata: { durationms: '2500', voice: 'ko-KR-SunHiNeural' },
      });
    });

    it('keeps the first bytes when the same name is put again', async () => {
      const name = audioName();
      const first = audioBytes();
      const second = audioBytes(1_000);
      expect(await store.putIfAbsent(name, first, MP3)).toEqual({ created: true });
      expect(await store.putIfAbsent(name, second, MP3)).toEqual({ created: false });
      expect(Buffer.compare((await store.get(name))!, first)).toBe(0);
    });

    it('lets exactly one of several concurrent puts of one name create it, and keeps its bytes', async () => {
      const name = audioName();
      const candidates = Array.from({ length: 5 }, () => audioBytes());
      const results = await Promise.all(candidates.map((data) => store.putIfAbsent(name, data, MP3)));
      const winners = results.flatMap((result, index) => (result.created ? [index] : []));
      expect(winners).toHaveLength(1);
      expect(Buffer.compare((await store.get(name))!, candidates[winners[0]!]!)).toBe(0);
    });

    it('gives a read link that serves the bytes with their content type until it expires', async () => {
      const name = audioName();
      const data = audioBytes();
      await store.putIfAbsent(name, data, MP3);
      const before = Date.now();
      const link = await store.readLink(name, 60_000);
      expect(link.expiresAt.getTime()).toBeGreaterThanOrEqual(before + 60_000);
      expect(link.expiresAt.getTime()).toBeLessThanOrEqual(Date.now() + 61_000);

      const response = await fetch(link.url);
      expect(response.status).toBe(200);
      expect(response.headers.get('content-type')).toBe(MP3);
      expect(Buffer.compare(Buffer.from(await response.arrayBuffer()), data)).toBe(0);
    });

    it('gives a read link that cannot write', async () => {
      const name = audioName();
      const data = audioBytes();
      await store.putIfAbsent(name, data, MP3);
      const { url } = await store.readLink(name, 60_000);

      const response = await fetch(url, {
        method: 'PUT',
        headers: { 'x-ms-blob-type': 'BlockBlob', 'content-type': MP3 },
        body: audioBytes(100),
      });
      await response.arrayBuffer();
      expect(response.status).toBe(403);
      expect(Buffer.compare((await store.get(name))!, data)).toBe(0);
    });

    it('refuses to serve the blob without the link signature', async () => {
      const name = audioName();
      await store.putIfAbsent(name, audioBytes(), MP3);
      const { url } = await store.readLink(name, 60_000);

      const response = await fetch(url.split('?')[0]!);
      await response.arrayBuffer();
      // Blob storage answers 404 to anonymous reads of a private container (to hide it); Azurite 403.
      expect([403, 404]).toContain(response.status);
    });

    it('refuses a read link after it expired', async () => {
      const name = audioName();
      await store.putIfAbsent(name, audioBytes(), MP3);
      const link = await store.readLink(name, 1_000);
      expect(link.expiresAt.getTime()).toBeLessThanOrEqual(Date.now() + 2_000);
      // Wait until past the expiry the link reports, plus a margin for the service's clock granularity.
      await sleep(Math.max(0, link.expiresAt.getTime() - Date.now()) + 250);

      const response = await fetch(link.url);
      await response.arrayBuffer();
      expect(response.status).toBe(403);
    });
  });
}
