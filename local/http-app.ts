import { Hono, type Handler } from 'hono';
import { toTalkbackError } from '../core/errors.js';
import { randomId } from '../core/ids.js';
import { invocationContext, type FunctionContext } from '../functions/context.js';
import { textResponse, type HttpFunction, type HttpMethod } from '../functions/declarations.js';

/** Bodies beyond this are refused before a function sees them; functions enforce their own, smaller limits. */
const MAX_BUFFERED_BYTES = 1024 * 1024;

export interface HttpAppOptions {
  /** GET / (the dashboard); absent: not served. */
  dashboard?: Handler | undefined;
}

/**
 * The local host's one HTTP app: the HTTP functions under /api/<route>, as the Functions host serves
 * them, and the host's own pages. Middleware and sub-apps are added here; local/host.ts serves it.
 */
export function createHttpApp(functions: readonly HttpFunction[], app: FunctionContext, options: HttpAppOptions = {}): Hono {
  const http = new Hono();
  for (const fn of functions) {
    http.all(`/api/${fn.route}`, async (c) => {
      const method = c.req.method.toUpperCase();
      if (!fn.methods.includes(method as HttpMethod)) return textResponse(405, 'method not allowed', { allow: fn.methods.join(', ') });
      const body = await readAtMost(c.req.raw, MAX_BUFFERED_BYTES);
      if (body === undefined) return textResponse(413, 'request body too large', { connection: 'close' });
      const request = new Request(c.req.url, {
        method,
        headers: c.req.raw.headers,
        ...(method === 'GET' || method === 'HEAD' ? {} : { body }),
      });
      return fn.handler(request, invocationContext(app, fn.name, randomId()));
    });
  }
  if (options.dashboard) http.get('/', options.dashboard);
  http.notFound(() => textResponse(404, 'not found'));
  http.onError((error) => {
    app.logger.error({ err: toTalkbackError(error).message }, 'http request failed');
    return textResponse(500, 'internal error');
  });
  return http;
}

/** Buffers the body up to `max` bytes; past that it stops reading and resolves undefined (413). */
async function readAtMost(request: Request, max: number): Promise<Uint8Array | undefined> {
  const declared = Number(request.headers.get('content-length') ?? Number.NaN);
  if (Number.isFinite(declared) && declared > max) return undefined;
  if (!request.body) return new Uint8Array();
  const chunks: Uint8Array[] = [];
  let total = 0;
  const reader = (request.body as ReadableStream<Uint8Array>).getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > max) {
      await reader.cancel();
      return undefined;
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks);
}
