import type { SentMail } from '../contract/mailer/mailer.contract.js';
import type { AcceptedEmail } from './acs-email-server.js';

/**
 * The emails ACS accepted, as the recipients would get them. Header names are the ones ACS writes
 * from the EmailMessage: From, To, Cc/Bcc when given, Reply-To, Subject, Message-ID, and every
 * custom `headers` entry.
 */
export function sentFromAcs(accepted: readonly AcceptedEmail[]): SentMail[] {
  return accepted.map(({ operationId, message }) => ({
    from: message.senderAddress,
    to: message.recipients.to.map((r) => r.address),
    subject: message.content.subject,
    text: message.content.plainText ?? '',
    html: message.content.html ?? '',
    attachments: (message.attachments ?? []).map((a) => ({
      filename: a.name,
      contentType: a.contentType,
      content: Buffer.from(a.contentInBase64, 'base64'),
    })),
    messageId: operationId,
    headerNames: [
      'from',
      'to',
      ...((message.recipients.cc?.length ?? 0) > 0 ? ['cc'] : []),
      ...((message.recipients.bcc?.length ?? 0) > 0 ? ['bcc'] : []),
      ...((message.replyTo?.length ?? 0) > 0 ? ['reply-to'] : []),
      'subject',
      'message-id',
      ...Object.keys(message.headers ?? {}).map((name) => name.toLowerCase()),
    ],
  }));
}
