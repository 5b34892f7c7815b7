import { describe, expect, it } from 'vitest';
import { createConsoleApp } from '../../../console/console-app.js';
import type { ConsoleOptions } from '../../../console/console-options.js';
import type { RefusedRequest } from '../../../operations/refused-requests.js';

const unused = () => Promise.reject(new Error('not used by this page'));

function consoleWith(overrides: Partial<ConsoleOptions>) {
  return createConsoleApp({
    basePath: '',
    hosts: [],
    ports: { bus: unused, store: unused, audio: unused, mailer: unused, subscriptions: [] },
    identity: { kind: 'loopback', clientAddress: () => '127.0.0.1' },
    ...overrides,
  });
}

describe('the refused-requests page', () => {
  it('shows counts by status and by reason, and the latest with channel and conversation, never more', async () => {
    const latest: RefusedRequest[] = [
      { at: '2026-12-03T01:00:00.000Z', status: 429, reason: 'flood limit', route: '/api/messages', channelId: 'msteams', conversationId: 'conv-flood' },
      { at: '2026-12-03T00:59:00.000Z', status: 400, reason: 'empty message', route: '/api/messages', channelId: 'webchat', conversationId: 'conv-empty' },
    ];
    const app = consoleWith({ refused: { counts: () => ({ total: 7, byStatus: { '429': 5, '400': 1, '401': 1 } }), latest: () => latest } });
    const response = await app.request('/refused', { headers: { host: '127.0.0.1:3978' } });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('7 refused since the host started.');
    expect(html).toMatch(/<td>429<\/td><td>5<\/td>/);
    expect(html).toMatch(/<td>flood limit<\/td><td>1<\/td>/);
    expect(html).toContain('conv-empty');
    expect(html).toContain('datetime="2026-12-03T01:00:00.000Z"');
  });

  it('says so when the host keeps no record', async () => {
    const html = await (await consoleWith({}).request('/refused', { headers: { host: 'localhost' } })).text();
    expect(html).toContain('keeps no record of refused requests');
  });

  it('answers a non-loopback client only with the token, as bearer or through the login cookie', async () => {
    const token = 'a-long-console-token-123';
    const app = consoleWith({ token, identity: { kind: 'loopback', clientAddress: () => '10.0.0.5' } });
    expect((await app.request('/refused', { headers: { host: 'localhost' } })).status).toBe(401);
    const page = await app.request('/refused', { headers: { host: 'localhost', accept: 'text/html' } });
    expect(page.status).toBe(303);
    expect(page.headers.get('location')).toBe('/login?next=%2Frefused');
    expect((await app.request('/refused', { headers: { host: 'localhost', authorization: `Bearer ${token}` } })).status).toBe(200);
    expect((await app.request('/refused', { headers: { host: 'localhost', authorization: 'Bearer wrong' } })).status).toBe(401);
    // The login form: CSRF cookie from the GET, then the POST sets the session cookie.
    const form = await app.request('/login', { headers: { host: 'localhost' } });
    const csrf = /talkback_csrf=([^;]+)/.exec(form.headers.get('set-cookie') ?? '')?.[1] ?? '';
    const login = await app.request('/login', {
      method: 'POST',
      headers: { host: 'localhost', cookie: `talkback_csrf=${csrf}`, 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ _csrf: csrf, token, next: '/refused' }).toString(),
    });
    expect(login.status).toBe(303);
    const session = /talkback_console=([^;]+)/.exec(login.headers.get('set-cookie') ?? '')?.[1] ?? '';
    expect(session).not.toContain(token);
    expect((await app.request('/refused', { headers: { host: 'localhost', cookie: `talkback_console=${session}` } })).status).toBe(200);
  });

  it('refuses a client elsewhere than loopback when no token is set', async () => {
    const app = consoleWith({ identity: { kind: 'loopback', clientAddress: () => '192.168.1.20' } });
    expect((await app.request('/refused', { headers: { host: 'localhost' } })).status).toBe(403);
  });
});
