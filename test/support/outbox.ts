import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { simpleParser, type AddressObject } from 'mailparser';
import type { SentMail } from '../contract/mailer/mailer.contract.js';

/** The .eml files an OutboxMailer wrote, parsed with mailparser, in file-name order. */
export async function readOutbox(directory: string): Promise<SentMail[]> {
  const names = (await readdir(directory).catch(() => [])).filter((name) => name.endsWith('.eml')).sort();
  return Promise.all(names.map(async (name) => parseEml(await readFile(join(directory, name)))));
}

export async function parseEml(raw: Buffer): Promise<SentMail> {
  const parsed = await simpleParser(raw);
  const addresses = (field: AddressObject | AddressObject[] | undefined) =>
    (Array.isArray(field) ? field : field ? [field] : []).flatMap((a) => a.value.map((v) => v.address ?? ''));
  return {
    from: addresses(parsed.from)[0] ?? '',
    to: addresses(parsed.to),
    subject: parsed.subject ?? '',
    text: parsed.text ?? '',
    html: parsed.html === false ? '' : parsed.html,
    attachments: parsed.attachments.map((a) => ({ filename: a.filename ?? '', contentType: a.contentType, content: a.content })),
    messageId: parsed.messageId,
    headerNames: [...parsed.headers.keys()],
  };
}
