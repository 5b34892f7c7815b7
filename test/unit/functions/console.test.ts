import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { applyEvent } from '../../../core/record-changes.js';
import { staffConsole } from '../../../functions/console.js';
import { tempDataDir } from '../../support/host.js';
import { embeddedApp } from '../../support/embedded-app.js';
import { messageReceivedEvent } from '../../support/events.js';

const SITE = 'talkback-test.azurewebsites.net';
const principal = Buffer.from(JSON.stringify({ auth_typ: 'aad', claims: [{ typ: 'name', val: 'Kim Staff' }] })).toString('base64');

describe('the staff console as an Azure Functions HTTP function (Easy Auth)', () => {
  let data: Awaited<ReturnType<typeof tempDataDir>>;
  let env: Awaited<ReturnType<typeof embeddedApp>>;
  const event = messageReceivedEvent({ data: { text: '환불은 언제 되나요?', language: 'ko' } });

  beforeAll(async () => {
    data = await tempDataDir('talkback-console-fn-');
    env = await embeddedApp(data.dir, { WEBSITE_HOSTNAME: SITE });
    const key = { conversationId: event.data.conversationId, id: event.id };
    await env.store.update(key, (current) => applyEvent(current, event, new Date().toISOString()));
  });
  afterAll(async () => {
    await env?.close();
    await data?.remove();
  });

  const call = (path: string, headers: Record<string, string>, init: RequestInit = {}) =>
    staffConsole.handler(new Request(`https://${SITE}${path}`, { ...init, headers: { host: SITE, ...headers } }), env.app);

  it('serves the interactions to a signed-in principal, under /api/console', async () => {
    const response = await call('/api/console/interactions', { 'x-ms-client-principal': principal });
    expect(response.status).toBe(200);
    const html = await response.text();
    expect(html).toContain('환불은 언제 되나요?');
    expect(html).toContain('href="/api/console/interactions/');
    expect(html).toContain('Signed in as Kim Staff');
    expect(response.headers.get('content-security-policy')).toContain("script-src 'self'");
    expect(response.headers.get('x-frame-options')).toBe('DENY');
  });

  it('refuses a request without the principal, with a foreign Host, or an action without the CSRF token', async () => {
    expect((await call('/api/console/interactions', {})).status).toBe(401);
    expect((await call('/api/console/interactions', { 'x-ms-client-principal': principal, host: 'evil.example' })).status).toBe(403);
    const post = await call(
      '/api/console/erase',
      { 'x-ms-client-principal': principal, 'content-type': 'application/x-www-form-urlencoded' },
      { method: 'POST', body: `conversation=${event.data.conversationId}` },
    );
    expect(post.status).toBe(403);
    expect(await env.store.get({ conversationId: event.data.conversationId, id: event.id })).toBeDefined();
  });
});
