import { randomBytes, randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Mailer, OutgoingMail } from '../../../adapters/ports.js';
import { renderTranscriptEmail } from '../../../core/email.js';
import { audioStoredEvent } from '../../support/events.js';

/** An email as the adapter delivered it (an .eml parsed, a captured API payload...), in one comparable form. */
export interface SentMail {
  /** The sender's address (without display name). */
  from: string;
  to: string[];
  subject: string;
  text: string;
  html: string;
  attachments: { filename: string; contentType: string; content: Buffer }[];
  /** The Message-ID as delivered, when the transport carries one. */
  messageId?: string;
  /** Every header name delivered, lower-case (an injected header would show up here). */
  headerNames: string[];
}

export interface MailerUnderTest {
  mailer: Mailer;
  cleanup: () => Promise<void>;
}

export interface MailerContractOptions<T extends MailerUnderTest> {
  name: string;
  /** A fresh mailer with nothing delivered yet, and how to dispose of it. */
  create: () => Promise<T>;
  /** Everything delivered by the mailer `create` returned, oldest first. */
  readSent: (created: T) => Promise<SentMail[]>;
  /**
   * Whether a repeated idempotencyKey is delivered only once (the outbox), or delivered again
   * (SendGrid has no idempotency key: the caller's claim on the record prevents the repeat).
   */
  deduplicatesByKey: boolean;
  /** Why this adapter cannot run here; the suite is then skipped and says so. */
  skip?: string;
}

/** Bytes that look like an MP3 and include every byte value, so any re-encoding shows. */
function mp3Bytes(): Buffer {
  const everyByte = Buffer.from(Array.from({ length: 256 }, (_, i) => i));
  return Buffer.concat([Buffer.from('ID3\u0004\u0000\u0000', 'latin1'), everyByte, randomBytes(20_000)]);
}

function mail(overrides: Partial<OutgoingMail> = {}): OutgoingMail {
  return {
    idempotencyKey: `mail-${randomUUID()}`,
    from: 'talkback@localhost',
    to: ['staff@example.com'],
    subject: 'New message',
    text: 'Hello staff.',
    html: '<p>Hello staff.</p>',
    attachments: [],
    ...overrides,
  };
}

export function runMailerContract<T extends MailerUnderTest>(options: MailerContractOptions<T>): void {
  const title = `Mailer contract: ${options.name}${options.skip === undefined ? '' : ` (skipped: ${options.skip})`}`;
  describe.skipIf(options.skip !== undefined)(title, () => {
    let created: T;
    let mailer: Mailer;

    beforeEach(async () => {
      created = await options.create();
      mailer = created.mailer;
    });
    afterEach(async () => {
      await created.cleanup();
    });

    it('delivers headers, both bodies and the audio attachment exactly', async () => {
      const audio = mp3Bytes();
      const outgoing = mail({
        to: ['staff@example.com', 'manager@example.com'],
        subject: '[talkback] 김민지 (Web Chat): 주문 확인 부탁드려요 😀',
        text: '고객: 김민지\n\n주문 확인 부탁드려요 😀 "quoted" & <not markup>\nA long line '.padEnd(400, '=') + '\n끝.',
        html: '<p>주문 확인 부탁드려요 😀 &amp; &lt;not markup&gt;</p><p><a href="http://127.0.0.1/a?b=1&amp;c=2">listen</a></p>',
        attachments: [{ filename: '음성 메시지.mp3', contentType: 'audio/mpeg', content: audio }],
      });
      const { messageId } = await mailer.send(outgoing);
      expect(messageId).toMatch(/\S/);

      const sent = await options.readSent(created);
      expect(sent).toHaveLength(1);
      const [delivered] = sent;
      expect(delivered).toMatchObject({
        from: outgoing.from,
        to: outgoing.to,
        subject: outgoing.subject,
        text: outgoing.text,
        html: outgoing.html,
      });
      expect(delivered?.attachments).toHaveLength(1);
      const attachment = delivered?.attachments[0];
      expect(attachment?.filename).toBe('음성 메시지.mp3');
      expect(attachment?.contentType).toBe('audio/mpeg');
      expect(attachment && Buffer.compare(attachment.content, audio)).toBe(0);
      if (delivered?.messageId !== undefined) expect(delivered.messageId).toBe(messageId);
    });

    it('delivers an email without attachments', async () => {
      await mailer.send(mail({ text: 'No audio this time.' }));
      const sent = await options.readSent(created);
      expect(sent.map((m) => [m.text, m.attachments.length])).toEqual([['No audio this time.', 0]]);
    });

    it('delivers emails with different keys separately, under different message ids', async () => {
      const first = await mailer.send(mail({ subject: 'first' }));
      const second = await mailer.send(mail({ subject: 'second' }));
      expect(first.messageId).not.toBe(second.messageId);
      const sent = await options.readSent(created);
      expect(sent.map((m) => m.subject).sort()).toEqual(['first', 'second']);
    });

    it(
      options.deduplicatesByKey
        ? 'delivers a repeated idempotencyKey once, answering the same message id'
        : 'delivers a repeated idempotencyKey again (de-duplication is the caller’s claim)',
      async () => {
        const outgoing = mail();
        const first = await mailer.send(outgoing);
        const second = await mailer.send(outgoing);
        const sent = await options.readSent(created);
        if (options.deduplicatesByKey) {
          expect(second.messageId).toBe(first.messageId);
          expect(sent).toHaveLength(1);
        } else {
          expect(sent).toHaveLength(2);
        }
      },
    );

    it('delivers a rendered transcript email whose user text cannot add a header', async () => {
      const event = audioStoredEvent({
        data: {
          text: 'Hi\r\nBcc: attacker@evil.example\r\nX-Injected: yes\n\nbody?',
          customer: { id: 'user-1', name: 'Mallory\r\nCc: attacker@evil.example' },
        },
      });
      const rendered = await renderTranscriptEmail({
        event,
        audioUrl: 'http://127.0.0.1:10000/devstoreaccount1/talkback/audio/x.mp3?sig=a%2Bb&se=2025',
        audioAttached: false,
        linkExpiresAt: '2025-01-05T03:04:05.000Z',
        interactionUrl: `http://127.0.0.1:3978/interactions/${event.correlationId}`,
      });
      await mailer.send(mail({ ...rendered }));

      const [delivered, ...others] = await options.readSent(created);
      expect(others).toHaveLength(0);
      expect(delivered?.to).toEqual(['staff@example.com']);
      expect(delivered?.headerNames).not.toContain('bcc');
      expect(delivered?.headerNames).not.toContain('cc');
      expect(delivered?.headerNames).not.toContain('x-injected');
      expect(delivered?.subject).toBe(rendered.subject);
      expect(delivered?.subject).not.toMatch(/[\r\n]/);
      expect(delivered?.subject).toContain('Bcc: attacker@evil.example');
      // MIME bodies are CRLF-canonical: a transport may turn the user's bare CR LF into LF.
      const lf = (body: string | undefined) => body?.replace(/\r\n?/g, '\n');
      expect(lf(delivered?.text)).toBe(lf(rendered.text));
      expect(lf(delivered?.html)).toBe(lf(rendered.html));
    });
  });
}
