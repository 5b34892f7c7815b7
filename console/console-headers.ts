import type { MiddlewareHandler } from 'hono';

/**
 * The console's own pages: scripts and styles from its own files only (no inline code), media from
 * the host, never framed. Issue 9's global middleware adds the same for every route; these make the
 * console safe wherever it is mounted. The email preview is an iframe's srcdoc, sandboxed without
 * scripts, so it inherits this policy.
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "media-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

export function consoleHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    c.header('content-security-policy', CONSOLE_CSP);
    c.header('x-frame-options', 'DENY');
    c.header('x-content-type-options', 'nosniff');
    c.header('referrer-policy', 'no-referrer');
  };
}
