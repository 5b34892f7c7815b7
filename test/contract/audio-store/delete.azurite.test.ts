import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { AzureBlobAudioStore } from '../../../adapters/audio/azure-blob-audio-store.js';
import { startAzurite, type RunningAzurite } from '../../../adapters/audio/azurite-emulator.js';

let azurite: Promise<RunningAzurite> | undefined;
afterAll(async () => {
  await (await azurite)?.stop();
});

describe('AudioStore delete (erasing a customer): AzureBlobAudioStore on Azurite', () => {
  it('deletes a blob, after which it is gone and its SAS link answers 404; a second delete says false', async () => {
    azurite ??= startAzurite({ port: 0 });
    const { connectionString } = await azurite;
    const store = new AzureBlobAudioStore({ connectionString, containerName: `audio-${randomUUID()}` });
    const name = `audio/${randomUUID()}.mp3`;
    await store.putIfAbsent(name, new Uint8Array([1, 2, 3]), 'audio/mpeg');
    const link = await store.readLink(name, 60_000);
    expect(await store.delete(name)).toBe(true);
    expect(await store.get(name)).toBeUndefined();
    expect(await store.stat(name)).toBeUndefined();
    expect((await fetch(link.url)).status).toBe(404);
    expect(await store.delete(name)).toBe(false);
    // A container that was never created holds nothing to delete.
    const empty = new AzureBlobAudioStore({ connectionString, containerName: `audio-${randomUUID()}` });
    expect(await empty.delete(name)).toBe(false);
  });
});
