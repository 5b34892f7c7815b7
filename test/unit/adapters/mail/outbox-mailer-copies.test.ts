import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { OutboxMailer } from '../../../../adapters/mail/outbox-mailer.js';
import { parseEml } from '../../../support/outbox.js';

describe('OutboxMailer copies (the console preview and erase)', () => {
  let directory: string;
  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('returns the .eml as sent, then erases it', async () => {
    directory = await mkdtemp(join(tmpdir(), 'talkback-outbox-'));
    const mailer = new OutboxMailer({ directory });
    const key = 'event:with/odd chars';
    await mailer.send({ idempotencyKey: key, from: 'a@localhost', to: ['s@localhost'], subject: '안녕', text: '본문', html: '<p>본문</p>', attachments: [] });
    const copy = await mailer.sentCopy(key);
    expect(copy).toBeDefined();
    expect((await parseEml(copy!)).subject).toBe('안녕');
    expect(await mailer.sentCopy('other')).toBeUndefined();
    expect(await mailer.eraseSent(key)).toBe(true);
    expect(await readdir(directory)).toEqual([]);
    expect(await mailer.eraseSent(key)).toBe(false);
  });
});
