import { createHash, randomUUID } from 'node:crypto';
import { readFile, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import MailComposer from 'nodemailer/lib/mail-composer/index.js';
import { TalkbackError } from '../../core/errors.js';
import { syncFolder, writeNewFileDurably } from '../durable-files.js';
import { pooledFileCalls, type FileCalls } from '../file-calls.js';
import type { Mailer, OutgoingMail } from '../ports.js';

export interface OutboxMailerOptions {
  /** Folder the .eml files are written to (created if missing). */
  directory: string;
  /** How the file calls are made (default on libuv's pool; the pipeline worker's outbox makes them on its thread). */
  files?: FileCalls;
}

/** Errors a later attempt can get past: a full disk, too many open files, a busy file. */
const RETRYABLE_FS_CODES = new Set(['ENOSPC', 'EMFILE', 'ENFILE', 'EBUSY', 'EAGAIN', 'EIO']);

/**
 * The embedded Mailer: each email becomes `<idempotencyKey>.eml` (RFC 5322, composed by nodemailer)
 * in a folder any mail client opens. A file appears whole or not at all (temp file, fsync, rename),
 * and a key that was already sent is not written again, so redelivery leaves exactly one file.
 * Its file calls are made as it was given (adapters/file-calls.ts), its syncs on libuv's pool.
 */
export class OutboxMailer implements Mailer {
  private readonly directory: string;
  private readonly files: FileCalls;

  constructor(options: OutboxMailerOptions) {
    this.directory = options.directory;
    this.files = options.files ?? pooledFileCalls;
  }

  async send(mail: OutgoingMail): Promise<{ messageId: string }> {
    const name = fileStem(mail.idempotencyKey);
    const messageId = `<${name}@talkback.local>`;
    const target = join(this.directory, `${name}.eml`);
    try {
      await this.files.makeFolder(this.directory);
      if (await this.files.exists(target)) return { messageId };
      const raw = await compose(mail, messageId);
      await writeAtomically(this.files, this.directory, target, raw);
      return { messageId };
    } catch (error) {
      throw translate(error, target);
    }
  }

  async sentCopy(idempotencyKey: string): Promise<Buffer | undefined> {
    const target = join(this.directory, `${fileStem(idempotencyKey)}.eml`);
    try {
      return await readFile(target);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw translate(error, target);
    }
  }

  async eraseSent(idempotencyKey: string): Promise<boolean> {
    const target = join(this.directory, `${fileStem(idempotencyKey)}.eml`);
    try {
      await unlink(target);
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw translate(error, target);
    }
  }

  async close(): Promise<void> {}
}

/**
 * The key as a file name: kept when it is already [A-Za-z0-9_-]; otherwise sanitised and suffixed
 * with a hash of the original, so two keys that differ only in replaced characters never share a file.
 */
export function fileStem(idempotencyKey: string): string {
  if (/^[A-Za-z0-9_-]{1,128}$/.test(idempotencyKey)) return idempotencyKey;
  const safe = idempotencyKey.replace(/[^A-Za-z0-9_-]+/g, '_').slice(0, 64);
  const hash = createHash('sha256').update(idempotencyKey).digest('hex').slice(0, 16);
  return `${safe}-${hash}`;
}

function compose(mail: OutgoingMail, messageId: string): Promise<Buffer> {
  return new MailComposer({
    from: mail.from,
    to: [...mail.to],
    subject: mail.subject,
    text: mail.text,
    html: mail.html,
    messageId,
    date: new Date(),
    // Stated, not detected: nodemailer otherwise counts the letters of every text part with two global
    // regular expressions to choose (2–3 ms of the pipeline's CPU per email against 0.7 in all).
    // Base64 suits any script (the transcript may be Korean); mail clients and parsers decode either.
    textEncoding: 'base64',
    attachments: mail.attachments.map((a) => ({ filename: a.filename, contentType: a.contentType, content: a.content })),
  })
    .compile()
    .build();
}

async function writeAtomically(files: FileCalls, directory: string, target: string, data: Buffer): Promise<void> {
  // A dot-prefixed name without the .eml extension: readers of the outbox never pick it up.
  const temp = join(directory, `.${randomUUID()}.tmp`);
  try {
    await writeNewFileDurably(files, temp, [data]);
    await files.rename(temp, target);
  } catch (error) {
    // The write's error is the one to report.
    await files.unlink(temp).catch(() => undefined);
    throw error;
  }
  // Persist the rename itself. A folder that cannot be opened for fsync (some platforms) is not an
  // error; a sync that fails is (the email may not survive a power loss): it is sent again.
  await syncFolder(files, directory, { unopenedIsFine: true });
}

function translate(error: unknown, target: string): TalkbackError {
  const code = (error as NodeJS.ErrnoException | null)?.code;
  const message = error instanceof Error ? error.message : String(error);
  // A full disk or a busy file system passes; a folder we may not write to (EACCES, EROFS...) does not.
  const passing = code === undefined || RETRYABLE_FS_CODES.has(code);
  return new TalkbackError(passing ? 'MailFailed' : 'MailRejected', `cannot write ${target}: ${message}`, {
    cause: error,
    details: code === undefined ? undefined : { fsCode: code },
  });
}
