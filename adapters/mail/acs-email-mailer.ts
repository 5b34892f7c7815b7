import { setTimeout as sleep } from 'node:timers/promises';
import { EmailClient, type EmailClientOptions, type EmailMessage } from '@azure/communication-email';
import type { TokenCredential } from '@azure/identity';
import { TalkbackError } from '../../core/errors.js';
import { SlidingWindowLimiter } from '../../core/sliding-window-limiter.js';
import type { MailAttachment, Mailer, OutgoingMail } from '../ports.js';
import { failedOperationError, translateAcsEmailError, type AcsErrorContext } from './acs-email-errors.js';

export type AcsEmailMailerOptions = (
  | {
      /** `endpoint=https://<resource>.communication.azure.com/;accesskey=<base64 key>` (signed requests). */
      connectionString: string;
    }
  | {
      /** `https://<resource>.communication.azure.com`, with a Microsoft Entra identity. */
      endpoint: string;
      /** Default: DefaultAzureCredential (on Azure the app's managed identity; AZURE_CLIENT_ID picks a user-assigned one). */
      credential?: TokenCredential;
    }
) & {
  /** Emails started in any minute, at most (ACS's default quota is 30/min per subscription). Default 30. */
  maxPerMinute?: number;
  /** A send whose slot is further off than this fails at once (retryable Throttled); a nearer one waits. Default 60 s. */
  throttleMaxWaitMs?: number;
  /** The whole send — the request and every status poll — is given up after this long (retryable Timeout). Default 60 s. */
  sendTimeoutMs?: number;
  /** Between status polls when ACS gives no Retry-After. Default 2 s (the SDK's). */
  pollIntervalMs?: number;
  /** The clock of the rate limiter (tests). */
  now?: () => number;
};

/** ACS Email limits per message: recipients (to + cc + bcc) and request size, attachments included. */
export const ACS_MAX_RECIPIENTS = 50;
export const ACS_MAX_REQUEST_BYTES = 10 * 1024 * 1024;

/** A custom header on every email, so support can find a delivered email by the key it was sent under. */
export const IDEMPOTENCY_HEADER = 'X-Talkback-Idempotency-Key';

const CONNECTION_STRING = /^endpoint=(https?:\/\/[^;]+);accesskey=(.+)$/i;

/**
 * The Mailer on Azure Communication Services Email: `beginSend` (POST /emails:send, 202 + an
 * operation) and its poller awaited up to `sendTimeoutMs`; Succeeded answers the operation id as
 * messageId, Failed / Canceled is permanent with ACS's reason. The SDK never retries (maxRetries 0):
 * a retryable TalkbackError goes back to the bus, which redelivers. ACS has no idempotency key, so
 * de-duplication is the caller's claim; a send that timed out after ACS accepted it may go out twice.
 *
 * Limits kept here: at most 50 recipients (more is refused, permanently — one email is never split
 * into several, which a retry could half-repeat); attachments only while the request stays under
 * 10 MB (the email always carries the audio link, so one that does not fit is left off); and at most
 * `maxPerMinute` sends in any minute in this process — a send waits for its slot up to
 * `throttleMaxWaitMs` (the bus lock is renewed meanwhile and the delivery count does not grow),
 * beyond that it fails retryable with retryAfterMs. Across instances ACS's own 429 is the backstop.
 */
export class AcsEmailMailer implements Mailer {
  private readonly options: AcsEmailMailerOptions;
  private readonly limiter: SlidingWindowLimiter;
  private readonly maxPerMinute: number;
  private readonly secrets: readonly string[];
  private readonly lifetime = new AbortController();
  private client: Promise<EmailClient> | undefined;

  constructor(options: AcsEmailMailerOptions) {
    this.options = options;
    if ('connectionString' in options) {
      const match = CONNECTION_STRING.exec(options.connectionString.trim());
      // Never echo the value: it holds the access key.
      if (!match) throw new TalkbackError('ConfigInvalid', 'the ACS connection string is not "endpoint=https://…;accesskey=…"');
      this.secrets = [options.connectionString, options.connectionString.trim(), match[2]!];
    } else {
      if (!/^https:\/\//i.test(options.endpoint)) {
        throw new TalkbackError('ConfigInvalid', 'the ACS endpoint must be https:// (a token is never sent in the clear)');
      }
      this.secrets = [];
    }
    this.maxPerMinute = options.maxPerMinute ?? 30;
    this.limiter = new SlidingWindowLimiter({ limit: this.maxPerMinute, windowMs: 60_000, now: options.now });
  }

  async send(mail: OutgoingMail): Promise<{ messageId: string }> {
    const context: AcsErrorContext = { idempotencyKey: mail.idempotencyKey, secrets: this.secrets };
    if (this.lifetime.signal.aborted) throw closedError(context);
    const message = toAcsMessage(mail);
    await this.waitForSlot(context);

    const timeoutMs = this.options.sendTimeoutMs ?? 60_000;
    const timeout = AbortSignal.timeout(timeoutMs);
    const abortSignal = AbortSignal.any([timeout, this.lifetime.signal]);
    // The last status body seen ({ id, status, error }): the poller throws a bare Error on Failed.
    let last: { id?: string; status?: string; error?: { code?: string; message?: string } } | undefined;
    try {
      const client = await this.emailClient();
      const poller = await client.beginSend(message, {
        abortSignal,
        updateIntervalInMs: this.options.pollIntervalMs ?? 2_000,
        onResponse: (raw) => {
          const body = raw.parsedBody as typeof last;
          if (raw.status < 300 && typeof body?.id === 'string') {
            last = body;
            context.operationId = body.id;
          }
        },
      });
      const result = await poller.pollUntilDone({ abortSignal });
      if (result.status !== 'Succeeded') throw failedOperationError(result, context);
      return { messageId: result.id };
    } catch (error) {
      if (last?.status === 'Failed' || last?.status === 'Canceled') throw failedOperationError(last, context);
      if (this.lifetime.signal.aborted) throw closedError(context);
      if (timeout.aborted) throw timeoutError(timeoutMs, context);
      throw translateAcsEmailError(error, context);
    }
  }

  async close(): Promise<void> {
    this.lifetime.abort();
  }

  private async waitForSlot(context: AcsErrorContext): Promise<void> {
    const slot = this.limiter.reserve(this.options.throttleMaxWaitMs ?? 60_000);
    if (!slot.granted) {
      throw new TalkbackError('Throttled', `ACS Email: more than ${this.maxPerMinute} emails a minute; next free slot in ${slot.retryAfterMs} ms`, {
        retryAfterMs: slot.retryAfterMs,
        details: { idempotencyKey: context.idempotencyKey, maxPerMinute: this.maxPerMinute },
      });
    }
    if (slot.waitMs > 0) {
      await sleep(slot.waitMs, undefined, { signal: this.lifetime.signal }).catch(() => {
        throw closedError(context);
      });
    }
  }

  private emailClient(): Promise<EmailClient> {
    this.client ??= this.buildClient();
    this.client.catch(() => (this.client = undefined));
    return this.client;
  }

  private async buildClient(): Promise<EmailClient> {
    // No SDK retries: the bus redelivers, and a 429 must reach the caller with its Retry-After.
    const clientOptions: EmailClientOptions = { retryOptions: { maxRetries: 0 }, userAgentOptions: { userAgentPrefix: 'talkback' } };
    if ('connectionString' in this.options) {
      const connectionString = this.options.connectionString.trim();
      // A plain-http endpoint is a local stand-in; the key itself never travels, only signatures do.
      const allowInsecureConnection = /^endpoint=http:\/\//i.test(connectionString);
      return new EmailClient(connectionString, { ...clientOptions, allowInsecureConnection });
    }
    // Loaded only here: a connection-string deployment never loads @azure/identity.
    const credential = this.options.credential ?? new (await import('@azure/identity')).DefaultAzureCredential();
    return new EmailClient(this.options.endpoint, credential, clientOptions);
  }
}

function toAcsMessage(mail: OutgoingMail): EmailMessage {
  const to = uniqueAddresses(mail.to);
  if (to.length > ACS_MAX_RECIPIENTS) {
    throw new TalkbackError('MailRejected', `ACS Email takes at most ${ACS_MAX_RECIPIENTS} recipients per email; this one has ${to.length}`, {
      details: { idempotencyKey: mail.idempotencyKey, recipients: to.length },
    });
  }
  const base: EmailMessage = {
    senderAddress: mail.from,
    recipients: { to: to.map((address) => ({ address })) },
    content: {
      subject: mail.subject,
      ...(mail.text === '' ? {} : { plainText: mail.text }),
      ...(mail.html === '' ? {} : { html: mail.html }),
    } as EmailMessage['content'],
    headers: { [IDEMPOTENCY_HEADER]: mail.idempotencyKey.replace(/[^\x20-\x7e]/g, '_') },
    // Tracking would rewrite the links, the audio's SAS link among them.
    disableUserEngagementTracking: true,
  };
  const attachments = fitting(mail.attachments, Buffer.byteLength(JSON.stringify(base)));
  return attachments.length === 0 ? base : { ...base, attachments };
}

/** The attachments, in order, while the request stays within ACS_MAX_REQUEST_BYTES. */
function fitting(attachments: readonly MailAttachment[], baseBytes: number): NonNullable<EmailMessage['attachments']> {
  const kept: NonNullable<EmailMessage['attachments']> = [];
  let bytes = baseBytes + '"attachments":[],'.length;
  for (const a of attachments) {
    const encoded = { name: a.filename, contentType: a.contentType, contentInBase64: a.content.toString('base64') };
    const size = Buffer.byteLength(JSON.stringify(encoded)) + 1;
    if (bytes + size > ACS_MAX_REQUEST_BYTES) continue;
    bytes += size;
    kept.push(encoded);
  }
  return kept;
}

/** Each address once, compared case-insensitively. */
function uniqueAddresses(to: readonly string[]): string[] {
  const seen = new Set<string>();
  return to.filter((address) => {
    const key = address.trim().toLowerCase();
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function closedError(context: AcsErrorContext): TalkbackError {
  return new TalkbackError('MailFailed', 'the ACS Email mailer is closed', { details: { idempotencyKey: context.idempotencyKey } });
}

function timeoutError(timeoutMs: number, context: AcsErrorContext): TalkbackError {
  const accepted = context.operationId === undefined ? '' : ` for operation ${context.operationId} (accepted: a retry may send a second copy)`;
  return new TalkbackError('Timeout', `ACS Email: no final status within ${timeoutMs} ms${accepted}`, {
    details: { idempotencyKey: context.idempotencyKey, timeoutMs, ...(context.operationId === undefined ? {} : { operationId: context.operationId }) },
  });
}
