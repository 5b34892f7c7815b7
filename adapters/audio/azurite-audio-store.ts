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

/** The embedded AudioStore: the Blob adapter against an Azurite it starts, flushes and stops itself. */
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

  putIfAbsent(name: string, data: Uint8Array, contentType: string, metadata?: Record<string, string>) {
    return this.blobs.putIfAbsent(name, data, contentType, metadata);
  }
  get(name: string): Promise<Buffer | undefined> {
    return this.blobs.get(name);
  }
  stat(name: string): Promise<StoredAudio | undefined> {
    return this.blobs.stat(name);
  }
  readLink(name: string, ttlMs: number) {
    return this.blobs.readLink(name, ttlMs);
  }
  delete(name: string): Promise<boolean> {
    return this.blobs.delete(name);
  }
  flush(): Promise<void> {
    return this.azurite.flush();
  }
  async close(): Promise<void> {
    await this.blobs.close();
    await this.azurite.stop();
  }
}
