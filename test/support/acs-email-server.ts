/**
 * A local stand-in for the Azure Communication Services Email REST API (api-version 2025-09-01), as
 * @azure/communication-email calls it, Node http only:
 * - POST /emails:send?api-version=… → 202 with `Operation-Location` (the status URL), `operation-id`
 *   and body `{ id, status: "Running" }`;
 * - GET /emails/operations/{id}?api-version=… → `{ id, status: "Running" }` for `runningPolls` polls,
 *   then the operation's outcome (`Succeeded`, or `Failed` / `Canceled` with `error: { code, message }`);
 * - errors in the ACS ErrorResponse shape `{ error: { code, message } }`.
 * Every request must carry the access-key signature the SDK computes (communication-common's
 * communicationAccessKeyCredentialPolicy): `x-ms-date`, `x-ms-content-sha256` (base64 SHA-256 of the
 * body) and `Authorization: HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature=`
 * base64 HMAC-SHA256, keyed with the base64-decoded access key, of
 * `VERB\n<path and query>\n<x-ms-date>;<host>;<content hash>`. A request that does not verify gets 401.
 * Tests script failures (429, 4xx, 5xx) with `respondWith` and outcomes with `endOperationsWith`.
 *
 * Standalone, for the local host (ACS_EMAIL_CONNECTION_STRING=<printed connection string>):
 *   npx tsx test/support/acs-email-server.ts [--port 3026] [--access-key <base64>]
 */
import { createHash, createHmac, randomBytes, randomUUID, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';

export const ACS_EMAIL_API_VERSION = '2025-09-01';

export interface AcsRequest {
  method: string;
  /** Path and query as sent. */
  url: string;
  /** Request headers without Authorization. */
  headers: IncomingHttpHeaders;
  status: number;
}

/** What an accepted POST /emails:send carried: the parsed EmailMessage and the request headers. */
export interface AcceptedEmail {
  operationId: string;
  message: AcsEmailMessage;
  headers: IncomingHttpHeaders;
}

export interface AcsEmailMessage {
  senderAddress: string;
  recipients: { to: { address: string; displayName?: string }[]; cc?: unknown[]; bcc?: unknown[] };
  content: { subject: string; plainText?: string; html?: string };
  attachments?: { name: string; contentType: string; contentInBase64: string; contentId?: string }[];
  headers?: Record<string, string>;
  replyTo?: unknown[];
  userEngagementTrackingDisabled?: boolean;
}

export type OperationOutcome =
  | { status: 'Succeeded' }
  | { status: 'Failed' | 'Canceled'; error: { code: string; message: string } }
  /** Stays Running for ever (a poller bound is needed). */
  | { status: 'Running' };

export interface ScriptedResponse {
  status: number;
  headers?: Record<string, string>;
  /** JSON body; for errors use the ErrorResponse shape `{ error: { code, message } }`. */
  body?: unknown;
}

export interface AcsEmailServerOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** The resource's access key, base64 (the connection string's `accesskey`). Default: a random one. */
  accessKey?: string;
  /** Status polls answered `Running` before the outcome. Default 1. */
  runningPolls?: number;
  /** Retry-After seconds on the 202 and on Running answers (the SDK then polls no sooner). Default: none. */
  pollRetryAfterSeconds?: number;
}

export interface AcsEmailServer {
  /** The resource endpoint, e.g. http://127.0.0.1:PORT/ */
  endpoint: string;
  accessKey: string;
  /** `endpoint=…;accesskey=…`, as the Azure portal shows it. */
  connectionString: string;
  /** Every request, in order. */
  received: AcsRequest[];
  /** Every email accepted (202), in order. */
  accepted: AcceptedEmail[];
  /** The next POST /emails:send requests that verify get these answers instead of the normal handling. */
  respondWith(next: ScriptedResponse[]): void;
  /** How operations accepted from now on end (default Succeeded). */
  endOperationsWith(outcome: OperationOutcome): void;
  stop(): Promise<void>;
}

/** ACS refuses a request (attachments included) over 10 MB. */
export const MAX_REQUEST_BYTES = 10 * 1024 * 1024;
export const MAX_RECIPIENTS = 50;
/** How far x-ms-date may be from the server's clock. */
const MAX_CLOCK_SKEW_MS = 15 * 60_000;
const SIGNED_HEADERS = 'x-ms-date;host;x-ms-content-sha256';

interface Operation {
  id: string;
  pollsLeft: number;
  outcome: OperationOutcome;
}

export async function startAcsEmailServer(options: AcsEmailServerOptions = {}): Promise<AcsEmailServer> {
  const accessKey = options.accessKey ?? randomBytes(64).toString('base64');
  const received: AcsRequest[] = [];
  const accepted: AcceptedEmail[] = [];
  const script: ScriptedResponse[] = [];
  const operations = new Map<string, Operation>();
  let outcome: OperationOutcome = { status: 'Succeeded' };
  let endpoint = '';

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) json(res, 500, errorBody('InternalError', String(error)));
    });
  });
  server.keepAliveTimeout = 5_000;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { raw, size } = await readBody(req);
    const url = req.url ?? '/';
    const { authorization: _, ...headers } = req.headers;
    const record: AcsRequest = { method: req.method ?? '', url, headers, status: 0 };
    received.push(record);
    const answer = (status: number, body: unknown, extra: Record<string, string> = {}) => {
      record.status = status;
      json(res, status, body, extra);
    };

    const denied = verifySignature(req, raw, accessKey);
    if (denied !== undefined) return answer(401, errorBody('Denied', denied));
    const parsed = new URL(url, 'http://stand-in');
    if (parsed.searchParams.get('api-version') === null) {
      return answer(400, errorBody('MissingApiVersionParameter', 'The api-version query parameter (?api-version=) is required for all requests.'));
    }

    if (req.method === 'POST' && parsed.pathname === '/emails:send') {
      const scripted = script.shift();
      if (scripted) return answer(scripted.status, scripted.body ?? '', scripted.headers);
      if (size > MAX_REQUEST_BYTES) {
        return answer(413, errorBody('RequestEntityTooLarge', `The request is ${size} bytes; the limit is ${MAX_REQUEST_BYTES} bytes, attachments included.`));
      }
      if (!/^application\/json\b/i.test(req.headers['content-type'] ?? '')) {
        return answer(415, errorBody('UnsupportedMediaType', 'Content-Type must be application/json.'));
      }
      const message = parseJson(raw);
      const problem = validateMessage(message);
      if (problem !== undefined) return answer(400, errorBody('BadRequest', problem));
      const requested = req.headers['operation-id'];
      const id = typeof requested === 'string' && /^[0-9a-f-]{36}$/i.test(requested) ? requested : randomUUID();
      if (operations.has(id)) return answer(409, errorBody('Conflict', `Operation ${id} already exists.`));
      operations.set(id, { id, pollsLeft: options.runningPolls ?? 1, outcome });
      accepted.push({ operationId: id, message: message as AcsEmailMessage, headers });
      return answer(202, { id, status: 'Running' }, {
        'operation-location': `${endpoint}emails/operations/${id}?api-version=${ACS_EMAIL_API_VERSION}`,
        'operation-id': id,
        ...retryAfter(),
      });
    }

    const status = /^\/emails\/operations\/([^/]+)$/.exec(parsed.pathname);
    if (req.method === 'GET' && status) {
      const operation = operations.get(decodeURIComponent(status[1]!));
      if (!operation) return answer(404, errorBody('NotFound', 'The operation was not found.'));
      if (operation.pollsLeft > 0 || operation.outcome.status === 'Running') {
        operation.pollsLeft -= 1;
        return answer(200, { id: operation.id, status: 'Running' }, retryAfter());
      }
      return answer(200, { id: operation.id, ...operation.outcome });
    }
    return answer(404, errorBody('NotFound', `No route for ${req.method ?? ''} ${parsed.pathname}.`));
  }

  const retryAfter = (): Record<string, string> =>
    options.pollRetryAfterSeconds === undefined ? {} : { 'retry-after': String(options.pollRetryAfterSeconds) };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  endpoint = `http://127.0.0.1:${port}/`;

  let stopped: Promise<void> | undefined;
  return {
    endpoint,
    accessKey,
    connectionString: `endpoint=${endpoint};accesskey=${accessKey}`,
    received,
    accepted,
    respondWith(next) {
      script.push(...next);
    },
    endOperationsWith(next) {
      outcome = next;
    },
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Keep-alive sockets would hold close() open until they time out.
        server.closeAllConnections();
      });
      return stopped;
    },
  };
}

/** Why the request's access-key signature does not verify, or undefined when it does. */
export function verifySignature(req: IncomingMessage, rawBody: Buffer, accessKey: string, now = Date.now()): string | undefined {
  const match = /^HMAC-SHA256 SignedHeaders=([^&]+)&Signature=(.+)$/.exec(req.headers.authorization ?? '');
  if (!match) return 'Authorization must be HMAC-SHA256 SignedHeaders=…&Signature=….';
  if (match[1] !== SIGNED_HEADERS) return `SignedHeaders must be ${SIGNED_HEADERS}.`;
  const date = req.headers['x-ms-date'];
  const contentHash = req.headers['x-ms-content-sha256'];
  const host = req.headers.host;
  if (typeof date !== 'string' || typeof contentHash !== 'string' || host === undefined) {
    return 'x-ms-date, x-ms-content-sha256 and host are required.';
  }
  const sentAt = Date.parse(date);
  if (Number.isNaN(sentAt) || Math.abs(now - sentAt) > MAX_CLOCK_SKEW_MS) return 'x-ms-date is missing or too far from now.';
  if (contentHash !== createHash('sha256').update(rawBody).digest('base64')) return 'x-ms-content-sha256 does not match the body.';
  const stringToSign = `${(req.method ?? '').toUpperCase()}\n${req.url ?? '/'}\n${date};${host};${contentHash}`;
  const expected = createHmac('sha256', Buffer.from(accessKey, 'base64')).update(stringToSign).digest();
  const given = Buffer.from(match[2]!, 'base64');
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return 'The request signature does not match.';
  return undefined;
}

/** The checks ACS makes on an EmailMessage that the tests rely on, with its kind of message. */
function validateMessage(message: unknown): string | undefined {
  if (typeof message !== 'object' || message === null || Array.isArray(message)) return 'The request body must be an EmailMessage.';
  const m = message as Partial<AcsEmailMessage>;
  const isAddress = (value: unknown) => typeof value === 'string' && /^[^\s@<>]+@[^\s@<>]+$/.test(value);
  if (!isAddress(m.senderAddress)) return 'senderAddress is required and must be an email address.';
  const to = m.recipients?.to;
  if (!Array.isArray(to) || to.length === 0) return 'recipients.to must name at least one recipient.';
  const all = [...to, ...(m.recipients?.cc ?? []), ...(m.recipients?.bcc ?? [])] as { address?: unknown }[];
  const bad = all.find((r) => !isAddress(r?.address));
  if (bad) return `Invalid email address in recipients: ${JSON.stringify(bad?.address ?? null)}.`;
  if (all.length > MAX_RECIPIENTS) return `Total recipients count ${all.length} exceeds the maximum of ${MAX_RECIPIENTS}.`;
  if (typeof m.content?.subject !== 'string' || m.content.subject === '') return 'content.subject is required.';
  if (!m.content.plainText && !m.content.html) return 'content must have plainText or html.';
  for (const [i, a] of (m.attachments ?? []).entries()) {
    if (!a?.name || !a.contentType) return `attachments[${i}] needs name and contentType.`;
    if (typeof a.contentInBase64 !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(a.contentInBase64) || a.contentInBase64.length % 4 !== 0) {
      return `attachments[${i}].contentInBase64 is not base64.`;
    }
  }
  return undefined;
}

function errorBody(code: string, message: string): { error: { code: string; message: string } } {
  return { error: { code, message } };
}

function parseJson(raw: Buffer): unknown {
  try {
    return raw.length === 0 ? undefined : (JSON.parse(raw.toString('utf8')) as unknown);
  } catch {
    return undefined;
  }
}

async function readBody(req: IncomingMessage): Promise<{ raw: Buffer; size: number }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    chunks.push(chunk);
  }
  return { raw: Buffer.concat(chunks), size };
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = body === '' ? '' : JSON.stringify(body);
  res.writeHead(status, {
    ...(text === '' ? {} : { 'content-type': 'application/json; charset=utf-8' }),
    ...(status >= 400 && typeof body === 'object' && body !== null && 'error' in body
      ? { 'x-ms-error-code': String((body as { error: { code?: unknown } }).error.code) }
      : {}),
    ...headers,
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

function argument(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at === -1 ? undefined : process.argv[at + 1];
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const server = await startAcsEmailServer({ port: Number(argument('--port') ?? 3026), accessKey: argument('--access-key') });
  console.log(`ACS Email stand-in on ${server.endpoint}\nACS_EMAIL_CONNECTION_STRING=${server.connectionString}`);
  let shown = 0;
  setInterval(() => {
    for (const email of server.accepted.slice(shown)) {
      const to = email.message.recipients.to.map((r) => r.address).join(', ');
      console.log(`accepted ${email.operationId} to=${to} subject=${JSON.stringify(email.message.content.subject)}`);
    }
    shown = server.accepted.length;
  }, 500);
  const stop = () => void server.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
