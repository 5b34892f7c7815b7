import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import { Client } from '@sendgrid/client';
import type { ClientRequest } from '@sendgrid/client/src/request.js';
import { MailService, type MailDataRequired } from '@sendgrid/mail';
import { TalkbackError } from '../../core/errors.js';
import type { Mailer, OutgoingMail } from '../ports.js';
import { translateSendGridError } from './sendgrid-errors.js';

export interface SendGridMailerOptions {
  apiKey: string;
  /** SendGrid's API root; a local capture server in tests. Default https://api.sendgrid.com. */
  baseUrl?: string;
  /** Gives up on one request after this long (a retryable Timeout). Default 30 s. */
  requestTimeoutMs?: number;
}

/** custom_args show up in SendGrid's Email Activity and every Event Webhook post: support traces an email by it. */
export const IDEMPOTENCY_ARG = 'talkback_idempotency_key';

/**
 * The production Mailer: one POST /v3/mail/send per email. SendGrid has no idempotency key, so
 * de-duplication is the caller's (a claim on the interaction record); the key travels in
 * custom_args only so that a sent email can be traced. The SDK never retries: a retryable
 * TalkbackError goes back to the bus, which redelivers.
 *
 * All recipients share one personalization: they are staff, seeing each other is intended, and
 * SendGrid then sends one message instead of one per address.
 */
export class SendGridMailer implements Mailer {
  private readonly service = new MailService();
  private readonly secrets: readonly string[];
  // Private keep-alive pools (not the global agents), so close() really lets the process exit.
  private readonly httpAgent = new HttpAgent({ keepAlive: true });
  private readonly httpsAgent = new HttpsAgent({ keepAlive: true });
  private closed = false;

  constructor(options: SendGridMailerOptions) {
    if (options.apiKey.trim() === '') throw new TalkbackError('ConfigInvalid', 'the SendGrid API key is empty');
    const client = new Client();
    // setApiKey resets the base URL to SendGrid's, so the base URL is set after it.
    client.setApiKey(options.apiKey);
    client.setDefaultRequest('baseUrl', options.baseUrl ?? 'https://api.sendgrid.com');
    // axios takes httpAgent too, which @sendgrid/client's request type does not declare; url '' is its default.
    client.setDefaultRequest({ url: '', httpAgent: this.httpAgent, httpsAgent: this.httpsAgent } as ClientRequest);
    this.service.setClient(client);
    this.service.setTimeout(options.requestTimeoutMs ?? 30_000);
    this.secrets = [options.apiKey, options.apiKey.trim()];
  }

  async send(mail: OutgoingMail): Promise<{ messageId: string }> {
    if (this.closed) throw new TalkbackError('MailFailed', 'the SendGrid mailer is closed');
    try {
      const [response] = await this.service.send(toSendGrid(mail));
      const id = (response.headers as Record<string, unknown> | undefined)?.['x-message-id'];
      return { messageId: typeof id === 'string' && id !== '' ? id : mail.idempotencyKey };
    } catch (error) {
      throw translateSendGridError(error, mail.idempotencyKey, this.secrets);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    this.httpAgent.destroy();
    this.httpsAgent.destroy();
  }
}

function toSendGrid(mail: OutgoingMail): MailDataRequired {
  // SendGrid rejects an empty content block and requires text/plain before text/html.
  const content = [
    { type: 'text/plain', value: mail.text },
    { type: 'text/html', value: mail.html },
  ].filter((c) => c.value !== '');
  return {
    from: mail.from,
    subject: mail.subject,
    personalizations: [{ to: uniqueAddresses(mail.to) }],
    content: content as MailDataRequired['content'] & { 0: { type: string; value: string } },
    attachments: mail.attachments.map((a) => ({
      content: a.content.toString('base64'),
      filename: a.filename,
      type: a.contentType,
      disposition: 'attachment',
    })),
    customArgs: { [IDEMPOTENCY_ARG]: mail.idempotencyKey },
  };
}

/** SendGrid refuses a personalization that names one address twice (case-insensitively). */
function uniqueAddresses(to: readonly string[]): string[] {
  const seen = new Set<string>();
  return to.filter((address) => {
    const key = address.trim().toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
