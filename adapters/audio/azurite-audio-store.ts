import type { AudioStore, StoredAudio } from '../ports.js';
import { AzureBlobAudioStore } from './azure-blob-audio-store.js';
import { startAzurite, type RunningAzurite } from './azurite-emulator.js';

export interface AzuriteAudioStoreOptions {
  /** Folder of the blobs and their index; omitted = in memory. */
  location?: string;
  /** 0 = a free port. */
  port?: number;
  containerName: string;
}

/**
 * The embedded AudioStore: the Blob adapter against an Azurite it starts and stops itself. Azurite
 * keeps its blob index in memory and saves it whole every 5 s, so a write (and a blob found by
 * stat, which a redelivery relies on) is reported only once the index holding it is on disk;
 * concurrent writers share one save, spaced by its own cost (adapters/audio/loki-group-save.ts).
 */
export class AzuriteAudioStore implements AudioStore {
  private constructor(
    private readonly azurite: RunningAzurite,
    private readonly blobs: AzureBlobAudioStore,
  ) {}

  static async start(options: AzuriteAudioStoreOptions): Promise<AzuriteAudioStore> {
    const azurite = await startAzurite({
      ...(options.location === undefined ? {} : { location: options.location }),
      ...(options.port === undefined ? {} : { port: options.port }),
      host: '127.0.0.1',
    });
    return new AzuriteAudioStore(azurite, new AzureBlobAudioStore({ connectionString: azurite.connectionString, containerName: options.containerName }));
  }

  get connectionString(): string {
    return this.azurite.connectionString;
  }

  async putIfAbsent(name: string, data: Uint8Array, contentType: string, metadata?: Record<string, string>) {
    const result = await this.blobs.putIfAbsent(name, data, contentType, metadata);
    await this.azurite.flush();
    return result;
  }
  get(name: string): Promise<Buffer | undefined> {
    return this.blobs.get(name);
  }
  async stat(name: string): Promise<StoredAudio | undefined> {
    const found = await this.blobs.stat(name);
    if (found) await this.azurite.flush();
    return found;
  }
  readLink(name: string, ttlMs: number) {
    return this.blobs.readLink(name, ttlMs);
  }
  async delete(name: string): Promise<boolean> {
    const deleted = await this.blobs.delete(name);
    await this.azurite.flush();
    return deleted;
  }
  async close(): Promise<void> {
    await this.blobs.close();
    await this.azurite.stop();
  }
}
