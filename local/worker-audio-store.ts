import type { AzureBlobAudioStore } from '../adapters/audio/azure-blob-audio-store.js';
import type { AudioStore, StoredAudio } from '../adapters/ports.js';

/**
 * The intake's view of the embedded audio store when the pipeline runs on the worker thread: the
 * Blob adapter against the worker's Azurite (its connection string arrives once the worker is up),
 * never a second Azurite on the same folder. Writes go through the worker's store, which makes them
 * durable; a delete from here waits for nothing more than Azurite's answer.
 */
export class WorkerAudioStore implements AudioStore {
  private blobs: Promise<AzureBlobAudioStore> | undefined;

  constructor(
    private readonly connectionString: () => Promise<string>,
    private readonly containerName: string,
  ) {}

  private store(): Promise<AzureBlobAudioStore> {
    // The Blob SDK is loaded only when this store is used (LOCAL_AUDIO_STORE=azurite): ~40 MB the intake otherwise never needs.
    this.blobs ??= Promise.all([this.connectionString(), import('../adapters/audio/azure-blob-audio-store.js')]).then(
      ([connectionString, { AzureBlobAudioStore }]) => new AzureBlobAudioStore({ connectionString, containerName: this.containerName }),
    );
    return this.blobs;
  }

  async putIfAbsent(name: string, data: Uint8Array, contentType: string, metadata?: Record<string, string>) {
    return (await this.store()).putIfAbsent(name, data, contentType, metadata);
  }
  async get(name: string): Promise<Buffer | undefined> {
    return (await this.store()).get(name);
  }
  async stat(name: string): Promise<StoredAudio | undefined> {
    return (await this.store()).stat(name);
  }
  async readLink(name: string, ttlMs: number) {
    return (await this.store()).readLink(name, ttlMs);
  }
  async delete(name: string): Promise<boolean> {
    return (await this.store()).delete(name);
  }
  async close(): Promise<void> {
    const blobs = this.blobs;
    this.blobs = undefined;
    await (await blobs?.catch(() => undefined))?.close();
  }
}
