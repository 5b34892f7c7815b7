import { randomUUID } from 'node:crypto';
import { afterAll } from 'vitest';
import { AzureBlobAudioStore } from '../../../adapters/audio/azure-blob-audio-store.js';
import { startAzurite, type RunningAzurite } from '../../../adapters/audio/azurite-emulator.js';
import { runAudioStoreContract } from './audio-store.contract.js';

// One in-memory Azurite for the file; each store gets its own container, so stores start empty.
let azurite: Promise<RunningAzurite> | undefined;
afterAll(async () => {
  await (await azurite)?.stop();
});

runAudioStoreContract({
  name: 'AzureBlobAudioStore on Azurite',
  create: async () => {
    azurite ??= startAzurite({ port: 0 });
    const { connectionString } = await azurite;
    const store = new AzureBlobAudioStore({ connectionString, containerName: `audio-${randomUUID()}` });
    return { store, cleanup: () => store.close() };
  },
});
