import type { SentMail } from '../contract/mailer/mailer.contract.js';
import type { CapturedRequest } from './sendgrid-capture-server.js';

interface MailSendBody {
  from?: { email?: string };
  subject?: string;
  personalizations?: { to?: { email: string }[]; cc?: unknown[]; bcc?: unknown[] }[];
  content?: { type: string; value: string }[];
  attachments?: { content: string; filename: string; type?: string }[];
  headers?: Record<string, string>;
  reply_to?: unknown;
}

/**
 * The emails SendGrid accepted (202), as the recipients would get them. Header names are the ones
 * SendGrid writes from the JSON: From, To, Cc/Bcc when a personalization has them, Reply-To,
 * Subject, Message-ID, and every custom `headers` entry.
 */
export function sentFromCaptured(received: readonly CapturedRequest[]): SentMail[] {
  return received
    .filter((r) => r.status === 202)
    .map((r) => {
      const body = r.body as MailSendBody;
      const personalizations = body.personalizations ?? [];
      const content = (type: string) => body.content?.find((c) => c.type === type)?.value ?? '';
      const headerNames = [
        'from',
        'to',
        ...(personalizations.some((p) => (p.cc?.length ?? 0) > 0) ? ['cc'] : []),
        ...(personalizations.some((p) => (p.bcc?.length ?? 0) > 0) ? ['bcc'] : []),
        ...(body.reply_to === undefined ? [] : ['reply-to']),
        'subject',
        'message-id',
        ...Object.keys(body.headers ?? {}).map((name) => name.toLowerCase()),
      ];
      return {
        from: body.from?.email ?? '',
        to: personalizations.flatMap((p) => (p.to ?? []).map((t) => t.email)),
        subject: body.subject ?? '',
        text: content('text/plain'),
        html: content('text/html'),
        attachments: (body.attachments ?? []).map((a) => ({
          filename: a.filename,
          contentType: a.type ?? 'application/octet-stream',
          content: Buffer.from(a.content, 'base64'),
        })),
        messageId: r.messageId,
        headerNames,
      };
    });
}
