import type { MiddlewareHandler } from 'hono';

/**
 * The console's own pages: scripts and styles from its own files only (no inline code), media from
 * the host, never framed. Issue 9's global middleware adds the same for every route; these make the
 * console safe wherever it is mounted. The staff email preview is its own response framed by the
 * journey page (EMAIL_PREVIEW_CSP): a srcdoc frame would inherit this policy, which blocks the
 * email's inline styles.
 */
export const CONSOLE_CSP = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "media-src 'self'",
  "frame-src 'self'",
  "connect-src 'self'",
  "form-action 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
].join('; ');

/**
 * The staff email as sent, for a frame of the console's own pages only: its inline styles apply (an
 * email has no style sheet of its own), nothing else loads, no script runs (sandbox), its links do
 * not navigate the console.
 */
export const EMAIL_PREVIEW_CSP = [
  "default-src 'none'",
  "style-src 'unsafe-inline'",
  'img-src data:',
  "frame-ancestors 'self'",
  "base-uri 'none'",
  "form-action 'none'",
  'sandbox',
].join('; ');

export function consoleHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    // A response that set its own framing rules (the email preview) keeps them.
    if (c.res.headers.has('x-frame-options')) return;
    c.header('content-security-policy', CONSOLE_CSP);
    c.header('x-frame-options', 'DENY');
    c.header('x-content-type-options', 'nosniff');
    c.header('referrer-policy', 'no-referrer');
  };
}
