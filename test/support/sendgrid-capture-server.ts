/**
 * A local stand-in for SendGrid's v3 Mail Send API (POST /v3/mail/send), Node http only.
 * It checks a request the way SendGrid does (a Bearer key, the required fields, the error body
 * `{ errors: [{ message, field, help }] }`), answers 202 with an `x-message-id` header, and records
 * every request. Tests script failures (429, 5xx, 400...) with `respondWith`.
 *
 * Standalone, for manual runs and the local host (SENDGRID_BASE_URL=http://127.0.0.1:PORT):
 *   npx tsx test/support/sendgrid-capture-server.ts [--port 3025] [--api-key SG.xxx]
 * GET /captured lists what it received (not a SendGrid route).
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { pathToFileURL } from 'node:url';
import { validateMail, type SendGridProblem } from './sendgrid-mail-validation.js';

export interface CapturedRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  /** The parsed JSON body, or undefined when it was not JSON. */
  body: unknown;
  rawBody: string;
  /** The status the server answered. */
  status: number;
  /** The x-message-id given to an accepted email. */
  messageId?: string;
}

export interface ScriptedResponse {
  status: number;
  headers?: Record<string, string>;
  body?: unknown;
  /** Answer only after this long (to provoke a client timeout); stop() cuts it short. */
  delayMs?: number;
}

export interface SendGridCaptureServerOptions {
  /** 0 (default) picks a free port. */
  port?: number;
  /** When set, only `Authorization: Bearer <apiKey>` is accepted; otherwise any Bearer token is. */
  apiKey?: string;
}

export interface SendGridCaptureServer {
  baseUrl: string;
  received: CapturedRequest[];
  /** Queues responses that the next requests get instead of the normal validation. */
  respondWith(next: ScriptedResponse[]): void;
  stop(): Promise<void>;
}

/** SendGrid refuses a request over 30 MB. */
const MAX_BODY_BYTES = 30 * 1024 * 1024;

export async function startSendGridCaptureServer(
  options: SendGridCaptureServerOptions = {},
): Promise<SendGridCaptureServer> {
  const received: CapturedRequest[] = [];
  const script: ScriptedResponse[] = [];

  const server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) reply(res, 500, {}, errorBody([{ message: String(error), field: null }]));
    });
  });
  server.keepAliveTimeout = 5_000;

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const { raw, tooLarge } = await readBody(req);
    const path = new URL(req.url ?? '/', 'http://localhost').pathname;
    const record: CapturedRequest = {
      method: req.method ?? '',
      path,
      headers: req.headers,
      body: parseJson(raw),
      rawBody: raw,
      status: 0,
    };
    if (req.method === 'GET' && path === '/captured') {
      // The Authorization header is left out: it is a key, even if only a test one.
      const listed = received.map((r) => ({ ...r, headers: { ...r.headers, authorization: r.headers.authorization && '***' } }));
      reply(res, 200, { 'content-type': 'application/json' }, JSON.stringify(listed));
      return;
    }
    received.push(record);

    const scripted = script.shift();
    if (scripted) {
      record.status = scripted.status;
      if (scripted.delayMs !== undefined) await delay(scripted.delayMs);
      if (res.destroyed) return;
      const body = scripted.body === undefined ? '' : typeof scripted.body === 'string' ? scripted.body : JSON.stringify(scripted.body);
      const type: Record<string, string> =
        scripted.body === undefined ? {} : { 'content-type': typeof scripted.body === 'string' ? 'text/html' : 'application/json' };
      reply(res, scripted.status, { ...type, ...scripted.headers }, body);
      return;
    }

    const answer = answerMailSend(req, path, raw, tooLarge, options.apiKey);
    record.status = answer.status;
    if (answer.status === 202) {
      record.messageId = newMessageId();
      reply(res, 202, { 'x-message-id': record.messageId }, '');
    } else {
      reply(res, answer.status, { 'content-type': 'application/json' }, errorBody(answer.errors));
    }
  }

  const delays = new Map<NodeJS.Timeout, () => void>();
  function delay(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        delays.delete(timer);
        resolve();
      }, ms);
      delays.set(timer, resolve);
    });
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;

  let stopped: Promise<void> | undefined;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    received,
    respondWith(next) {
      script.push(...next);
    },
    stop() {
      stopped ??= new Promise<void>((resolve) => {
        for (const [timer, release] of delays) {
          clearTimeout(timer);
          release();
        }
        server.close(() => resolve());
        // Keep-alive sockets would hold close() open until they time out.
        server.closeAllConnections();
      });
      return stopped;
    },
  };
}

function answerMailSend(
  req: IncomingMessage,
  path: string,
  raw: string,
  tooLarge: boolean,
  apiKey: string | undefined,
): { status: number; errors: SendGridProblem[] } {
  if (path !== '/v3/mail/send') return { status: 404, errors: [{ message: 'resource not found', field: null }] };
  if (req.method !== 'POST') return { status: 405, errors: [{ message: 'method not allowed', field: null }] };
  const auth = req.headers.authorization;
  if (auth === undefined || !/^Bearer \S+$/.test(auth)) {
    return { status: 401, errors: [{ message: 'authorization required', field: null }] };
  }
  if (apiKey !== undefined && auth !== `Bearer ${apiKey}`) {
    return { status: 401, errors: [{ message: 'The provided authorization grant is invalid, expired, or revoked', field: null }] };
  }
  if (tooLarge) return { status: 413, errors: [{ message: 'Payload Too Large', field: null }] };
  const body = parseJson(raw);
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    return { status: 400, errors: [{ message: 'Bad Request', field: null }] };
  }
  const errors = validateMail(body as Record<string, unknown>);
  return errors.length === 0 ? { status: 202, errors: [] } : { status: 400, errors };
}

function errorBody(errors: SendGridProblem[]): string {
  return JSON.stringify({ errors: errors.map((e) => ({ ...e, help: null })) });
}

/** SendGrid's ids look like 22 URL-safe base64 characters. */
function newMessageId(): string {
  return randomBytes(16).toString('base64url').slice(0, 22);
}

function parseJson(raw: string): unknown {
  try {
    return raw === '' ? undefined : (JSON.parse(raw) as unknown);
  } catch {
    return undefined;
  }
}

async function readBody(req: IncomingMessage): Promise<{ raw: string; tooLarge: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    // Keep reading to the end so the client gets an answer, but stop storing.
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  }
  return { raw: size <= MAX_BODY_BYTES ? Buffer.concat(chunks).toString('utf8') : '', tooLarge: size > MAX_BODY_BYTES };
}

function reply(res: ServerResponse, status: number, headers: Record<string, string>, body: string): void {
  res.writeHead(status, { ...headers, 'content-length': Buffer.byteLength(body) });
  res.end(body);
}

function argument(name: string): string | undefined {
  const at = process.argv.indexOf(name);
  return at === -1 ? undefined : process.argv[at + 1];
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const port = Number(argument('--port') ?? 3025);
  const server = await startSendGridCaptureServer({ port, apiKey: argument('--api-key') });
  console.log(`SendGrid capture server on ${server.baseUrl} (POST /v3/mail/send, GET /captured)`);
  const shown = { count: 0 };
  setInterval(() => {
    for (const r of server.received.slice(shown.count)) {
      const body = r.body as { subject?: unknown; personalizations?: { to?: { email?: string }[] }[] } | undefined;
      const to = body?.personalizations?.flatMap((p) => p.to ?? []).map((t) => t.email).join(', ');
      console.log(`${r.status} ${r.method} ${r.path} to=${to ?? '-'} subject=${JSON.stringify(body?.subject ?? null)}`);
    }
    shown.count = server.received.length;
  }, 500);
  const stop = () => void server.stop().then(() => process.exit(0));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
