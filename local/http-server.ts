import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { HttpResponseInit } from '@azure/functions';
import { HttpRequest, InvocationContext } from '../functions/azure-functions.js';
import { randomId } from '../core/ids.js';
import { toTalkbackError } from '../core/errors.js';
import type { HttpFunction } from '../functions/declarations.js';
import type { Services } from '../functions/services.js';

/** Bodies beyond this are refused before a function sees them; functions enforce their own, smaller limits. */
const MAX_BUFFERED_BYTES = 1024 * 1024;

export type ExtraRoute = (req: IncomingMessage, res: ServerResponse) => Promise<boolean>;

/** Serves the HTTP functions under /api/<route>, as the Functions host does, plus the host's own routes. */
export function createHttpServer(functions: readonly HttpFunction[], services: Services, extra?: ExtraRoute): Server {
  const byRoute = new Map(functions.map((f) => [`/api/${f.route}`, f]));
  return createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      services.logger.error({ err: toTalkbackError(error).message }, 'http request failed');
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
      res.end('internal error');
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://localhost');
    const fn = byRoute.get(url.pathname);
    if (!fn) {
      if (extra && (await extra(req, res))) return;
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    const method = (req.method ?? 'GET').toUpperCase();
    if (!fn.methods.includes(method as HttpFunction['methods'][number])) {
      req.resume();
      res.writeHead(405, { allow: fn.methods.join(', '), 'content-type': 'text/plain' }).end('method not allowed');
      return;
    }
    const body = await readAtMost(req, MAX_BUFFERED_BYTES);
    if (body === undefined) {
      res.writeHead(413, { 'content-type': 'text/plain', connection: 'close' }).end('request body too large');
      return;
    }
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (value !== undefined) headers[name] = Array.isArray(value) ? value.join(', ') : value;
    }
    const request = new HttpRequest({
      method,
      url: url.href,
      headers,
      query: Object.fromEntries(url.searchParams),
      ...(method === 'GET' || method === 'HEAD' ? {} : { body: { bytes: body } }),
    });
    const invocationId = randomId();
    const context = new InvocationContext({ invocationId, functionName: fn.name, logHandler: () => undefined });
    const logger = services.logger.child({ function: fn.name, invocationId });
    const response = await fn.handler(request, { services, logger, context });
    await writeResponse(res, response);
  }
}

/** Buffers the body up to `max` bytes; past that it drains the rest unread and resolves undefined (413). */
function readAtMost(req: IncomingMessage, max: number): Promise<Uint8Array | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let total = 0;
    let tooLarge = false;
    req.on('data', (chunk: Buffer) => {
      if (tooLarge) return;
      total += chunk.length;
      if (total > max) {
        tooLarge = true;
        chunks.length = 0;
        resolve(undefined);
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

async function writeResponse(res: ServerResponse, response: HttpResponseInit): Promise<void> {
  const headers: Record<string, string> = {};
  new Headers(response.headers).forEach((value, name) => (headers[name] = value));
  let body: string | Buffer | undefined;
  if (response.jsonBody !== undefined) {
    body = JSON.stringify(response.jsonBody);
    headers['content-type'] ??= 'application/json';
  } else if (typeof response.body === 'string') {
    body = response.body;
    headers['content-type'] ??= 'text/plain; charset=utf-8';
  } else if (response.body instanceof Uint8Array) {
    body = Buffer.from(response.body);
  }
  res.writeHead(response.status ?? 200, headers);
  res.end(body);
}
