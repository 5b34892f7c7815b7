import { randomBytes } from 'node:crypto';
import path from 'node:path';
import { TalkbackError } from '../../core/errors.js';
import { syncFolder, writeNewFileDurably } from '../durable-files.js';
import { pooledFileCalls, type FileCalls } from '../file-calls.js';
import type { AudioStore, StoredAudio } from '../ports.js';
import type { AudioLinkSignature } from './audio-link-signature.js';

export interface FolderAudioStoreOptions {
  /** The container's folder: blobs/<name> (a line of JSON describing the blob, then its bytes) and tmp/. */
  root: string;
  /** Signs the read links (the same key in every process of the host). */
  signature: AudioLinkSignature;
  /** Where the host serves the links (`<base>/audio/<name>?se=…&sig=…`, local/audio-route.ts): known once it listens. */
  linkBase: () => Promise<string>;
  /** How the file calls are made (default on libuv's pool; the pipeline worker's store makes them on its thread). */
  files?: FileCalls;
}

/** The path under the host's URL where it serves the links (local/audio-route.ts): `<base>/audio/<name>?se=…&sig=…`. */
export const AUDIO_LINK_PATH = '/audio/';

/** A blob name: path segments of letters, digits, `.`, `_`, `-` (no `.`/`..` segment), as the pipeline names its audio. */
const SEGMENT = /^(?!\.{1,2}$)[A-Za-z0-9._-]{1,200}$/;
/** The description line's limit (content type and a few metadata pairs). */
const MAX_HEADER_BYTES = 16 * 1024;

export function isAudioName(name: string): boolean {
  const segments = name.split('/');
  return name.length <= 1024 && segments.length <= 8 && segments.every((s) => SEGMENT.test(s));
}

interface Header {
  contentType: string;
  metadata: Record<string, string>;
}

/**
 * The embedded AudioStore of the local host: each blob one file in the data folder — a line of JSON
 * (content type, metadata), then the bytes —, its read link served by the host itself and signed like
 * a SAS. A write is durable when it resolves (file and folder fsynced) and costs the same however many
 * blobs are stored, unlike Azurite, which rewrites its whole blob index to make one blob durable.
 * putIfAbsent is If-None-Match: the file is written whole under tmp/ and linked into place, which
 * fails when the name exists, so a blob is never seen half-written and the first writer wins.
 * Its file calls are made as it was given (adapters/file-calls.ts), its syncs on libuv's pool.
 */
export class FolderAudioStore implements AudioStore {
  private readonly files: FileCalls;

  constructor(private readonly options: FolderAudioStoreOptions) {
    this.files = options.files ?? pooledFileCalls;
  }

  private file(name: string): string {
    if (!isAudioName(name)) throw new TalkbackError('StorageRejected', `not a valid audio name: ${JSON.stringify(name.slice(0, 100))}`);
    return path.join(this.options.root, 'blobs', name);
  }

  async putIfAbsent(name: string, data: Uint8Array, contentType: string, metadata: Record<string, string> = {}): Promise<{ created: boolean }> {
    const file = this.file(name);
    const present = await this.files.exists(file).catch((error: unknown) => {
      throw storageError(`stat ${file}`, error);
    });
    if (present) return { created: false };
    const header: Header = { contentType, metadata: Object.fromEntries(Object.entries(metadata).map(([k, v]) => [k.toLowerCase(), v])) };
    const line = Buffer.from(`${JSON.stringify(header)}\n`);
    if (line.length > MAX_HEADER_BYTES) throw new TalkbackError('StorageRejected', `the metadata of ${name} is too large`);
    const temp = await this.writeTemp([line, data]).catch((error: unknown) => {
      throw storageError(`store ${name}`, error);
    });
    try {
      await this.files.makeFolder(path.dirname(file));
    } catch (error) {
      await this.removeQuietly(temp);
      throw storageError(`store ${name}`, error);
    }
    try {
      await this.files.link(temp, file);
    } catch (error) {
      // The name exists: another put won the race (If-None-Match).
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return { created: false };
      throw storageError(`store ${name}`, error);
    } finally {
      await this.removeQuietly(temp);
    }
    await syncFolder(this.files, path.dirname(file)).catch((error: unknown) => {
      throw storageError(`sync the folder of ${name}`, error);
    });
    return { created: true };
  }

  async get(name: string): Promise<Buffer | undefined> {
    return (await this.read(name))?.data;
  }

  /** The blob's description and bytes (the route serves them). */
  async read(name: string): Promise<{ stored: StoredAudio; data: Buffer } | undefined> {
    let whole: Buffer;
    try {
      whole = await this.files.readWhole(this.file(name));
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw storageError(`read ${name}`, error);
    }
    const { header, offset } = parseHeader(whole, name);
    const data = whole.subarray(offset);
    return { stored: { name, contentType: header.contentType, bytes: data.length, metadata: header.metadata }, data };
  }

  async stat(name: string): Promise<StoredAudio | undefined> {
    const file = this.file(name);
    let fd: number;
    try {
      fd = await this.files.open(file, 'r');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw storageError(`stat ${name}`, error);
    }
    let size: number;
    let head: Buffer;
    try {
      size = await this.files.size(fd);
      head = Buffer.alloc(Math.min(size, MAX_HEADER_BYTES));
      head = head.subarray(0, await this.files.read(fd, head, 0));
    } catch (error) {
      throw storageError(`stat ${name}`, error);
    } finally {
      await this.files.close(fd).catch(() => undefined);
    }
    const { header, offset } = parseHeader(head, name);
    return { name, contentType: header.contentType, bytes: size - offset, metadata: header.metadata };
  }

  async readLink(name: string, ttlMs: number): Promise<{ url: string; expiresAt: Date }> {
    this.file(name);
    const expiresAt = new Date(Math.ceil((Date.now() + ttlMs) / 1000) * 1000);
    const base = (await this.options.linkBase()).replace(/\/+$/, '');
    const encoded = name.split('/').map(encodeURIComponent).join('/');
    return { url: `${base}${AUDIO_LINK_PATH}${encoded}?${this.options.signature.sign(name, expiresAt)}`, expiresAt };
  }

  /** Whether a link's query (`se`, `sig`) is this store's signature for `name` and not expired. */
  checkLink(name: string, query: { se?: string | undefined; sig?: string | undefined }): 'ok' | 'invalid' | 'expired' {
    return this.options.signature.check(name, query);
  }

  async delete(name: string): Promise<boolean> {
    const file = this.file(name);
    try {
      await this.files.unlink(file);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw storageError(`delete ${name}`, error);
    }
    await syncFolder(this.files, path.dirname(file)).catch((error: unknown) => {
      throw storageError(`sync the folder of ${name}`, error);
    });
    return true;
  }

  async close(): Promise<void> {}

  /** Writes the parts to a new file under tmp/ and fsyncs it; returns its path (none is left behind when that fails). */
  private async writeTemp(parts: readonly Uint8Array[]): Promise<string> {
    const folder = path.join(this.options.root, 'tmp');
    const file = path.join(folder, `${process.pid}-${randomBytes(8).toString('hex')}`);
    await this.files.makeFolder(folder);
    try {
      await writeNewFileDurably(this.files, file, parts, 0o600);
    } catch (error) {
      await this.removeQuietly(file);
      throw error;
    }
    return file;
  }

  /** Removes a temporary file if it is there: one left behind is only space. */
  private async removeQuietly(file: string): Promise<void> {
    await this.files.unlink(file).catch(() => undefined);
  }
}

function parseHeader(bytes: Buffer, name: string): { header: Header; offset: number } {
  const end = bytes.indexOf(0x0a);
  try {
    if (end < 0) throw new Error('no description line');
    const header = JSON.parse(bytes.subarray(0, end).toString('utf8')) as Header;
    if (typeof header.contentType !== 'string' || typeof header.metadata !== 'object' || header.metadata === null) throw new Error('bad description');
    return { header, offset: end + 1 };
  } catch (error) {
    throw new TalkbackError('StorageRejected', `the stored audio ${name} is damaged (${(error as Error).message})`, { cause: error });
  }
}

/** A full disk or a read-only folder is not fixed by retrying at once, but may be by an operator: retried with backoff. */
function storageError(action: string, error: unknown): TalkbackError {
  const e = error as NodeJS.ErrnoException;
  return new TalkbackError('StorageFailed', `audio folder: ${action} failed (${e?.code ?? e?.message ?? String(error)})`, { cause: error });
}
