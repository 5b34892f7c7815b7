/**
 * Azurite's Blob service run inside this process: the embedded AudioStore is the Azure Blob adapter
 * pointed at it. `require('azurite')` loads the VS Code extension, so the server is deep-imported
 * (CommonJS, no typings: the few members used are declared below).
 */
import { createRequire } from 'node:module';
import { randomUUID } from 'node:crypto';
import { close as closeFd } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { tmpdir } from 'node:os';
import type { Server } from 'node:http';
import { TalkbackError, toTalkbackError } from '../../core/errors.js';
import { groupSaves, type LokiDb } from './loki-group-save.js';

export interface AzuriteOptions {
  /** Folder holding the blobs and their metadata; omitted = in memory, gone on stop. */
  location?: string;
  /** 0 = a free port chosen by the system. */
  port?: number;
  host?: '127.0.0.1';
}

export interface RunningAzurite {
  connectionString: string;
  blobEndpoint: string;
  port: number;
  /**
   * Resolves once every blob uploaded before the call is in Azurite's index on disk. Azurite
   * saves its index only every 5 s, so a crash could forget a blob whose upload already
   * succeeded; the local host waits for this before a message that wrote a blob goes on.
   * Concurrent callers share one save, and saves are spaced by their own cost (see groupSaves).
   */
  flush(): Promise<void>;
  /** Closes the listener and the metadata/extent files; the data under `location` stays. */
  stop(): Promise<void>;
}

/** The emulator's well-known development account (public, documented by Microsoft). */
const ACCOUNT = 'devstoreaccount1';
const ACCOUNT_KEY = 'Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==';

interface BlobServer {
  httpServer: Server;
  start(): Promise<void>;
  close(): Promise<void>;
  clean(): Promise<void>;
  /** Releases the stores when start() failed half-way (close() refuses a server that never ran). */
  afterClose(): Promise<void>;
  extentStore?: { activeWriteExtents?: { fd?: number }[] };
  metadataStore?: { db?: LokiDb };
  extentMetadataStore?: { db?: LokiDb };
}


interface AzuriteModules {
  BlobServer: new (config: object) => BlobServer;
  BlobConfiguration: new (...args: unknown[]) => object;
  MemoryExtentChunkStore: new (sizeLimit?: number) => object;
  defaultMemoryLimit: number;
}

let modules: AzuriteModules | undefined;

/** Loaded on first start only: the module graph takes ~1 s, which an Azure-configured host never pays. */
function load(): AzuriteModules {
  if (modules) return modules;
  const require = createRequire(import.meta.url);
  const azurite = <T>(path: string): T => require(`azurite/dist/src/${path}`) as T;
  // Telemetry is only sent once its client is initialised (azurite's main does that; we never do),
  // but switch it off explicitly so a future version cannot start phoning home from a library call.
  azurite<{ AzuriteTelemetryClient: { enableTelemetry: boolean } }>('common/Telemetry').AzuriteTelemetryClient.enableTelemetry = false;
  const memory = azurite<{
    MemoryExtentChunkStore: AzuriteModules['MemoryExtentChunkStore'];
    DEFAULT_EXTENT_MEMORY_LIMIT: number;
  }>('common/persistence/MemoryExtentStore');
  modules = {
    BlobServer: azurite<{ default: AzuriteModules['BlobServer'] }>('blob/BlobServer').default,
    BlobConfiguration: azurite<{ default: AzuriteModules['BlobConfiguration'] }>('blob/BlobConfiguration').default,
    MemoryExtentChunkStore: memory.MemoryExtentChunkStore,
    defaultMemoryLimit: memory.DEFAULT_EXTENT_MEMORY_LIMIT,
  };
  return modules;
}

function configuration(m: AzuriteModules, host: string, port: number, location: string | undefined): object {
  const inMemory = location === undefined;
  // In memory the Loki "paths" are only names; make them unique so no file of that name is ever loaded.
  const dir = location ?? join(tmpdir(), `azurite-memory-${randomUUID()}`);
  // Our own persistence array: azurite's default one is a shared module-level object its CLI mutates.
  const extents = [{ locationId: 'Default', locationPath: join(dir, '__blobstorage__'), maxConcurrency: 16 }];
  return new m.BlobConfiguration(
    host,
    port,
    5, // keep-alive timeout, seconds
    join(dir, '__azurite_db_blob__.json'),
    join(dir, '__azurite_db_blob_extent__.json'),
    extents,
    false, // access log
    undefined,
    false, // debug log
    undefined,
    false, // loose
    true, // skipApiVersionCheck: the SDK may speak a newer API version than the emulator knows
    '',
    '',
    '',
    undefined, // oauth
    false, // disableProductStyleUrl
    inMemory,
    // A chunk store per server: the default one is shared by every in-memory server of the process.
    inMemory ? new m.MemoryExtentChunkStore(m.defaultMemoryLimit) : undefined,
  );
}

/** The connection string of an Azurite at host:port (its well-known development account). */
export function azuriteConnectionString(host: string, port: number): string {
  return `DefaultEndpointsProtocol=http;AccountName=${ACCOUNT};AccountKey=${ACCOUNT_KEY};BlobEndpoint=http://${host}:${port}/${ACCOUNT};`;
}

export async function startAzurite(options: AzuriteOptions = {}): Promise<RunningAzurite> {
  const host = options.host ?? '127.0.0.1';
  const m = load();
  if (options.location !== undefined) await mkdir(options.location, { recursive: true });
  const server = new m.BlobServer(configuration(m, host, options.port ?? 0, options.location));
  try {
    await server.start();
  } catch (error) {
    await server.afterClose().catch(() => undefined);
    if ((error as { code?: unknown }).code === 'EADDRINUSE') {
      throw new TalkbackError('ConfigInvalid', `Azurite cannot listen on ${host}:${options.port}: the port is in use`, {
        cause: error,
      });
    }
    throw toTalkbackError(error, 'StorageFailed');
  }

  const address = server.httpServer.address();
  const port = typeof address === 'object' && address !== null ? address.port : 0;
  const blobEndpoint = `http://${host}:${port}/${ACCOUNT}`;
  let stopped: Promise<void> | undefined;
  const save = groupSaves(() => [server.metadataStore?.db, server.extentMetadataStore?.db].filter((db): db is LokiDb => db !== undefined));
  const flush = () => save().catch((error: unknown) => Promise.reject(toTalkbackError(error, 'StorageFailed')));

  return {
    port,
    blobEndpoint,
    connectionString: azuriteConnectionString(host, port),
    flush: () => (options.location === undefined || stopped ? Promise.resolve() : flush()),
    stop() {
      stopped ??= stop(server, options.location === undefined);
      return stopped;
    },
  };
}

async function stop(server: BlobServer, inMemory: boolean): Promise<void> {
  // Azurite's close() starts the listener's shutdown without waiting for it; wait for the port to be free.
  const portReleased = new Promise<void>((resolve) => {
    if (!server.httpServer.listening) resolve();
    else server.httpServer.once('close', () => resolve());
  });
  await server.close();
  await portReleased;
  // Its file extent store keeps append file descriptors open past close(); a restart on the same
  // folder would leak them, so close them here.
  for (const extent of server.extentStore?.activeWriteExtents ?? []) {
    const fd = extent.fd;
    if (fd === undefined) continue;
    extent.fd = undefined;
    await new Promise<void>((resolve) => closeFd(fd, () => resolve()));
  }
  if (inMemory) await server.clean();
}
