import {
  BlobSASPermissions,
  BlobServiceClient,
  type ContainerClient,
  generateBlobSASQueryParameters,
  StorageSharedKeyCredential,
} from '@azure/storage-blob';
import { TalkbackError } from '../../core/errors.js';
import type { AudioStore, StoredAudio } from '../ports.js';
import { toBlobStorageError } from './blob-error.js';

export interface AzureBlobAudioStoreOptions {
  /** Must carry an AccountKey: read links are SAS URLs signed with it. */
  connectionString: string;
  containerName: string;
  /** Whole-operation limit, SDK retries included. */
  requestTimeoutMs?: number;
}

/** Audio blobs in Azure Blob storage (or Azurite). Blobs are private; readers get SAS links. */
export class AzureBlobAudioStore implements AudioStore {
  private readonly container: ContainerClient;
  private readonly credential: StorageSharedKeyCredential;
  private readonly requestTimeoutMs: number;
  private containerReady: Promise<void> | undefined;

  constructor(options: AzureBlobAudioStoreOptions) {
    let service: BlobServiceClient;
    try {
      service = BlobServiceClient.fromConnectionString(options.connectionString);
    } catch (error) {
      // The SDK's message never contains the key, but keep ours generic anyway.
      throw new TalkbackError('ConfigInvalid', 'AZURE_STORAGE_CONNECTION_STRING is not a valid storage connection string', {
        cause: error,
      });
    }
    if (!(service.credential instanceof StorageSharedKeyCredential)) {
      throw new TalkbackError(
        'ConfigInvalid',
        'AZURE_STORAGE_CONNECTION_STRING must contain AccountName and AccountKey (SAS links are signed with the key)',
      );
    }
    this.credential = service.credential;
    this.container = service.getContainerClient(options.containerName);
    this.requestTimeoutMs = options.requestTimeoutMs ?? 30_000;
  }

  async putIfAbsent(
    name: string,
    data: Uint8Array,
    contentType: string,
    metadata: Record<string, string> = {},
  ): Promise<{ created: boolean }> {
    await this.ensureContainer();
    try {
      await this.container.getBlockBlobClient(name).upload(data, data.byteLength, {
        conditions: { ifNoneMatch: '*' },
        blobHTTPHeaders: { blobContentType: contentType },
        metadata,
        abortSignal: AbortSignal.timeout(this.requestTimeoutMs),
      });
      return { created: true };
    } catch (error) {
      if (alreadyExists(error)) return { created: false };
      throw toBlobStorageError(error, `upload ${name}`);
    }
  }

  async get(name: string): Promise<Buffer | undefined> {
    try {
      // One GET (downloadToBuffer would first send a HEAD to learn the size).
      const response = await this.container.getBlobClient(name).download(0, undefined, {
        abortSignal: AbortSignal.timeout(this.requestTimeoutMs),
      });
      const chunks: Buffer[] = [];
      for await (const chunk of response.readableStreamBody ?? []) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw toBlobStorageError(error, `download ${name}`);
    }
  }

  async stat(name: string): Promise<StoredAudio | undefined> {
    try {
      const properties = await this.container.getBlobClient(name).getProperties({
        abortSignal: AbortSignal.timeout(this.requestTimeoutMs),
      });
      return {
        name,
        contentType: properties.contentType ?? 'application/octet-stream',
        bytes: properties.contentLength ?? 0,
        metadata: properties.metadata ?? {},
      };
    } catch (error) {
      if (statusOf(error) === 404) return undefined;
      throw toBlobStorageError(error, `read properties of ${name}`);
    }
  }

  async readLink(name: string, ttlMs: number): Promise<{ url: string; expiresAt: Date }> {
    if (!(ttlMs > 0)) throw new TalkbackError('BadRequest', `readLink: ttlMs must be positive, got ${ttlMs}`);
    // SAS times have whole-second precision: round up so the link lasts at least ttlMs and
    // expiresAt is exactly the expiry the service enforces.
    const expiresAt = new Date(Math.ceil((Date.now() + ttlMs) / 1000) * 1000);
    const blob = this.container.getBlobClient(name);
    const sas = generateBlobSASQueryParameters(
      {
        containerName: this.container.containerName,
        blobName: name,
        permissions: BlobSASPermissions.parse('r'),
        expiresOn: expiresAt,
      },
      this.credential,
    );
    return { url: `${blob.url}?${sas.toString()}`, expiresAt };
  }

  async delete(name: string): Promise<boolean> {
    try {
      // Snapshots go with the blob; a missing container means there was nothing to delete.
      const response = await this.container.getBlobClient(name).deleteIfExists({
        deleteSnapshots: 'include',
        abortSignal: AbortSignal.timeout(this.requestTimeoutMs),
      });
      return response.succeeded;
    } catch (error) {
      if (statusOf(error) === 404) return false;
      throw toBlobStorageError(error, `delete ${name}`);
    }
  }

  async close(): Promise<void> {
    // The SDK holds no connection that needs closing; idle keep-alive sockets time out on their own.
  }

  /** Creates the container on first use; a failure is not cached, so the next call tries again. */
  private ensureContainer(): Promise<void> {
    this.containerReady ??= this.container
      .createIfNotExists({ abortSignal: AbortSignal.timeout(this.requestTimeoutMs) })
      .then(() => undefined)
      .catch((error: unknown) => {
        this.containerReady = undefined;
        throw toBlobStorageError(error, `create container ${this.container.containerName}`);
      });
    return this.containerReady;
  }
}

function statusOf(error: unknown): number | undefined {
  return (error as { statusCode?: number } | null)?.statusCode;
}

/** If-None-Match: * lost: 409 BlobAlreadyExists, or 412 when the blob appeared during the upload. */
function alreadyExists(error: unknown): boolean {
  const status = statusOf(error);
  return status === 412 || (status === 409 && (error as { code?: string }).code === 'BlobAlreadyExists');
}
