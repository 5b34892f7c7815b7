import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { fileStem, OutboxMailer } from '../../../../adapters/mail/outbox-mailer.js';
import type { OutgoingMail } from '../../../../adapters/ports.js';
import { parseEml } from '../../../support/outbox.js';

/** What only the outbox promises: the files themselves. The shared behaviour is in test/contract/mailer.contract.ts. */
describe('OutboxMailer', () => {
  let directory: string;
  let mailer: OutboxMailer;
  const mail = (overrides: Partial<OutgoingMail> = {}): OutgoingMail => ({
    idempotencyKey: 'mail-0123abcd',
    from: 'talkback@localhost',
    to: ['staff@example.com'],
    subject: '[talkback] 김민지: 안녕하세요',
    text: '안녕하세요',
    html: '<p>안녕하세요</p>',
    attachments: [],
    ...overrides,
  });

  beforeEach(async () => {
    directory = await mkdtemp(join(tmpdir(), 'talkback-outbox-'));
    mailer = new OutboxMailer({ directory });
  });
  afterEach(async () => {
    await rm(directory, { recursive: true, force: true });
  });

  it('writes <key>.eml with an ASCII header section, an RFC 2047 subject, a Date and the Message-ID', async () => {
    const { messageId } = await mailer.send(mail());
    expect(messageId).toBe('<mail-0123abcd@talkback.local>');
    expect(await readdir(directory)).toEqual(['mail-0123abcd.eml']);
    const raw = await readFile(join(directory, 'mail-0123abcd.eml'));
    const end = raw.indexOf('\r\n\r\n');
    expect(end).toBeGreaterThan(0);
    const head = raw.subarray(0, end).toString('latin1');
    expect(head).toMatch(/^[\x20-\x7e\r\n\t]+$/);
    expect(head).toMatch(/^Subject: =\?UTF-8\?[BQ]\?/im);
    expect(head).toMatch(/^Message-ID: <mail-0123abcd@talkback\.local>$/m);
    const date = /^Date: (.+)$/m.exec(head)?.[1];
    expect(Number.isNaN(Date.parse(date ?? ''))).toBe(false);
    expect((await parseEml(raw)).subject).toBe('[talkback] 김민지: 안녕하세요');
  });

  it('writes long text and HTML parts in base64 and reads them back whole, English or Korean', async () => {
    const long = `${'Where is my order? '.repeat(40)}${'배송 상태가 궁금합니다. '.repeat(40)}`;
    await mailer.send(mail({ text: long, html: `<p>${long}</p>` }));
    const raw = (await readFile(join(directory, 'mail-0123abcd.eml'))).toString('latin1');
    expect(raw.match(/Content-Transfer-Encoding: (\S+)/g)).toEqual(['Content-Transfer-Encoding: base64', 'Content-Transfer-Encoding: base64']);
    const parsed = await parseEml(Buffer.from(raw, 'latin1'));
    expect(parsed.text.trim()).toBe(long.trim());
    expect(parsed.html).toContain(long.trim());
  });

  it('names files only with [A-Za-z0-9_-], keeping keys that differ only in other characters apart', async () => {
    await mailer.send(mail({ idempotencyKey: '../mail:a/b' }));
    await mailer.send(mail({ idempotencyKey: '../mail:a:b' }));
    const names = await readdir(directory);
    expect(names).toHaveLength(2);
    for (const name of names) expect(name).toMatch(/^[A-Za-z0-9_-]+\.eml$/);
    expect(fileStem('../mail:a/b')).not.toBe(fileStem('../mail:a:b'));
    expect(fileStem('plain-key_1')).toBe('plain-key_1');
  });

  it('leaves exactly one unchanged file and no temporary files when a key is sent again, even concurrently', async () => {
    await mailer.send(mail());
    const before = await readFile(join(directory, 'mail-0123abcd.eml'));
    await mailer.send(mail({ text: 'a repeat must not overwrite' }));
    await Promise.all(Array.from({ length: 5 }, () => mailer.send(mail({ idempotencyKey: 'mail-concurrent' }))));
    expect((await readdir(directory)).sort()).toEqual(['mail-0123abcd.eml', 'mail-concurrent.eml']);
    expect(Buffer.compare(await readFile(join(directory, 'mail-0123abcd.eml')), before)).toBe(0);
  });

  it('cannot be made to add a header even when a caller skips headerSafe', async () => {
    await mailer.send(mail({ subject: 'Hi\r\nBcc: attacker@evil.example\r\n\r\nbody' }));
    const parsed = await parseEml(await readFile(join(directory, 'mail-0123abcd.eml')));
    expect(parsed.headerNames).not.toContain('bcc');
    expect(parsed.to).toEqual(['staff@example.com']);
    expect(parsed.subject).not.toMatch(/[\r\n]/);
    expect(parsed.text).toBe('안녕하세요');
  });

  it('reports a folder it cannot create as a permanent MailRejected', async () => {
    const blocker = join(directory, 'not-a-folder');
    await writeFile(blocker, 'x');
    const blocked = new OutboxMailer({ directory: join(blocker, 'outbox') });
    await expect(blocked.send(mail())).rejects.toMatchObject({ name: 'TalkbackError', code: 'MailRejected', retryable: false });
  });
});
