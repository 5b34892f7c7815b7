import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';
import type { ConsoleOptions } from './console-options.js';

export type ConsoleEnv = { Variables: { csrf: string; staff: string } };

export const SESSION_COOKIE = 'talkback_console';
export const CSRF_COOKIE = 'talkback_csrf';
export const CSRF_FIELD = '_csrf';
const LOCAL_NAMES = new Set(['localhost', '127.0.0.1', '::1']);

/** The value of the login cookie: derived from the token, so the token itself never sits in a cookie. */
export function sessionValue(token: string): string {
  return createHmac('sha256', token).update('talkback console session').digest('base64url');
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function hostnameOf(host: string | undefined): string | undefined {
  if (!host) return undefined;
  const match = /^\[([^\]]+)\](?::\d+)?$/.exec(host) ?? /^([^:]+)(?::\d+)?$/.exec(host);
  return match?.[1]?.toLowerCase();
}

function isLoopback(address: string | undefined): boolean {
  if (!address) return false;
  return address === '::1' || address.startsWith('127.') || address.startsWith('::ffff:127.');
}

function refuse(c: Context, status: 400 | 401 | 403, message: string): Response {
  return c.text(message, status, { 'cache-control': 'no-store' });
}

/**
 * The console's guards, in order: the Host header must name this console (DNS rebinding); the
 * caller must be staff (the token as bearer or login cookie; else a loopback client when no token is
 * set; on Azure, the Easy Auth principal); every POST must carry the CSRF token (double-submit:
 * the form field equals the SameSite=Strict cookie) and come from this origin.
 */
export function consoleAccess(options: ConsoleOptions): MiddlewareHandler<ConsoleEnv> {
  const allowedHosts = new Set([...LOCAL_NAMES, ...options.hosts.map((h) => h.toLowerCase())]);
  const base = options.basePath;
  return async (c, next) => {
    const host = hostnameOf(c.req.header('host'));
    if (host === undefined || !allowedHosts.has(host)) return refuse(c, 403, 'This console does not answer to that host name.');

    const secure = new URL(c.req.url).protocol === 'https:';
    let csrf = getCookie(c, CSRF_COOKIE);
    if (!csrf || !/^[A-Za-z0-9_-]{32,}$/.test(csrf)) {
      csrf = randomBytes(32).toString('base64url');
      setCookie(c, CSRF_COOKIE, csrf, { path: base || '/', httpOnly: true, sameSite: 'Strict', secure });
    }
    c.set('csrf', csrf);

    const path = c.req.path.slice(base.length) || '/';
    const open = path.startsWith('/assets/') || path === '/login';
    const staff = identify(c, options);
    if (!open && staff === undefined) {
      const wantsPage = c.req.method === 'GET' && (c.req.header('accept') ?? '').includes('text/html');
      if (options.token !== undefined && wantsPage) return c.redirect(`${base}/login?next=${encodeURIComponent(c.req.path)}`, 303);
      if (options.token !== undefined) return refuse(c, 401, 'Authentication required: Authorization: Bearer <CONSOLE_TOKEN>, or log in.');
      if (options.identity.kind === 'easyAuth') return refuse(c, 401, 'Authentication required (App Service authentication).');
      return refuse(c, 403, 'The console answers on loopback only. Set CONSOLE_TOKEN to open it to other addresses.');
    }
    c.set('staff', staff ?? 'anonymous');

    if (c.req.method !== 'GET' && c.req.method !== 'HEAD') {
      const origin = c.req.header('origin');
      if (origin !== undefined && origin !== 'null' && hostnameOf(new URL(origin).host) !== host) return refuse(c, 403, 'Cross-origin request refused.');
      const site = c.req.header('sec-fetch-site');
      if (site !== undefined && site !== 'same-origin' && site !== 'none') return refuse(c, 403, 'Cross-site request refused.');
      const sent = c.req.header('x-csrf-token') ?? (await formField(c, CSRF_FIELD));
      const cookie = getCookie(c, CSRF_COOKIE);
      if (!sent || !cookie || !same(sent, cookie)) return refuse(c, 403, 'Missing or wrong CSRF token: reload the page and try again.');
    }
    await next();
    c.header('cache-control', 'no-store');
  };
}

function identify(c: Context, options: ConsoleOptions): string | undefined {
  if (options.token !== undefined) {
    const bearer = /^Bearer\s+(.+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
    if (bearer !== undefined && same(bearer, options.token)) return 'token';
    const session = getCookie(c, SESSION_COOKIE);
    if (session !== undefined && same(session, sessionValue(options.token))) return 'token';
  }
  if (options.identity.kind === 'easyAuth') {
    const principal = c.req.header('x-ms-client-principal');
    if (principal) return principalName(principal) ?? 'staff';
    return undefined;
  }
  if (options.token === undefined && isLoopback(options.identity.clientAddress(c))) return 'loopback';
  return undefined;
}

/** Easy Auth's principal: base64 JSON with claims; the name claim, for the page footer. */
function principalName(header: string): string | undefined {
  try {
    const principal = JSON.parse(Buffer.from(header, 'base64').toString('utf8')) as { claims?: Array<{ typ: string; val: string }> };
    return principal.claims?.find((claim) => claim.typ === 'name' || claim.typ.endsWith('/name'))?.val;
  } catch {
    return undefined;
  }
}

/** Reads one field of a urlencoded or multipart form; Hono caches the parsed body for the handler. */
export async function formField(c: Context, name: string): Promise<string | undefined> {
  const type = c.req.header('content-type') ?? '';
  if (!type.includes('application/x-www-form-urlencoded') && !type.includes('multipart/form-data')) return undefined;
  const body = await c.req.parseBody();
  const value = body[name];
  return typeof value === 'string' ? value : undefined;
}
