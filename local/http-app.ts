import { Hono, type Handler } from 'hono';
import { toTalkbackError } from '../core/errors.js';
import { randomId } from '../core/ids.js';
import { invocationContext, type FunctionContext } from '../functions/context.js';
import { textResponse, type HttpFunction, type HttpMethod } from '../functions/declarations.js';
import { AUDIO_ROUTE } from './audio-route.js';
import { allowedHosts, SECURITY_HEADERS } from './host-allow-list.js';

/** Bodies declared beyond this are refused before a function sees them; functions enforce their own, smaller limits. */
const MAX_BODY_BYTES = 1024 * 1024;

export interface HttpAppOptions {
  /** The staff console: every path the HTTP functions do not serve; absent: not served. */
  console?: Handler | undefined;
  /** The folder audio store's read links under /audio/ (local/audio-route.ts); absent: not served. */
  audio?: Handler | undefined;
}

/**
 * The local host's one HTTP app: the HTTP functions under /api/<route>, as the Functions host serves
 * them, and the host's own pages. Middleware and sub-apps are added here; local/host.ts serves it.
 */
export function createHttpApp(functions: readonly HttpFunction[], app: FunctionContext, options: HttpAppOptions = {}): Hono {
  const http = new Hono();
  const hostAllowed = allowedHosts({ publicHost: app.config.PUBLIC_HOST, bindHost: app.config.HOST });
  // Every route: security headers on whatever is answered, and only to a Host this host is known by.
  http.use(async (c, next) => {
    if (!hostAllowed(c.req.header('host'))) {
      const path = new URL(c.req.url).pathname;
      app.refusals?.record({ status: 403, reason: 'unknown Host header', route: path });
      app.logger.warn({ status: 403, reason: 'unknown Host header', host: (c.req.header('host') ?? '').slice(0, 100), path }, 'request refused');
      c.res = textResponse(403, 'unknown host', { connection: 'close' });
    } else {
      await next();
    }
    // A response that declares a header of its own keeps it: the staff console's narrower CSP (its own
    // script, style sheet, audio and forms), its email preview's SAMEORIGIN framing.
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) if (!c.res.headers.has(name)) c.res.headers.set(name, value);
  });
  for (const fn of functions) {
    http.all(`/api/${fn.route}`, async (c) => {
      const method = c.req.method.toUpperCase();
      if (!fn.methods.includes(method as HttpMethod)) return textResponse(405, 'method not allowed', { allow: fn.methods.join(', ') });
      const declared = Number(c.req.header('content-length') ?? Number.NaN);
      if (Number.isFinite(declared) && declared > MAX_BODY_BYTES) return textResponse(413, 'request body too large', { connection: 'close' });
      // The body is handed over unread: a function checks what it can (content type, a token) before reading it.
      return fn.handler(c.req.raw, invocationContext(app, fn.name, randomId()));
    });
  }
  if (options.audio) http.all(AUDIO_ROUTE, options.audio);
  if (options.console) http.all('*', options.console);
  http.notFound(() => textResponse(404, 'not found'));
  http.onError((error) => {
    app.logger.error({ err: toTalkbackError(error).message }, 'http request failed');
    return textResponse(500, 'internal error');
  });
  return http;
}
