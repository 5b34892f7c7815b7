import { Hono, type Context } from 'hono';
import { setCookie } from 'hono/cookie';
import { toTalkbackError } from '../core/errors.js';
import { parseSearch, type CustomerSelector } from '../core/record-query.js';
import { settle, listDeadLetters, checkSubscription } from '../operations/dead-letters.js';
import { eraseCustomer } from '../operations/erase-customer.js';
import { findRecord, journeyOf } from '../operations/journey.js';
import { CONSOLE_SCRIPT } from './assets/console-script.js';
import { CONSOLE_STYLE } from './assets/console-style.js';
import { consoleAccess, SESSION_COOKIE, sessionValue, type ConsoleEnv } from './console-access.js';
import { consoleHeaders, EMAIL_PREVIEW_CSP } from './console-headers.js';
import type { ConsoleOptions } from './console-options.js';
import { audioResponse } from './audio-response.js';
import { emailPreviewHtml, readEmailCopy } from './email-copy.js';
import { interactionRow, pageVersion } from './interaction-rows.js';
import { Layout } from './layout.js';
import { DeadLettersPage } from './pages/dead-letters-page.js';
import { ErasePage } from './pages/erase-page.js';
import { InteractionsPage } from './pages/interactions-page.js';
import { JourneyPage } from './pages/journey-page.js';
import { LoginPage } from './pages/login-page.js';
import { RefusedPage } from './pages/refused-page.js';

const PAGE_SIZE = 50;

/**
 * The staff console: one Hono app, host-neutral (web Request in, Response out). The local host
 * mounts it at /; on Azure it is one HTTP function under its route prefix (options.basePath).
 */
export function createConsoleApp(options: ConsoleOptions): Hono<ConsoleEnv> {
  const base = options.basePath.replace(/\/$/, '');
  const { ports } = options;
  const app = new Hono<ConsoleEnv>().basePath(base || '/');
  app.use('*', consoleHeaders());
  app.use('*', consoleAccess({ ...options, basePath: base }));

  const page = (c: Context<ConsoleEnv>, title: string, body: unknown, status: 200 | 400 | 404 | 500 = 200) =>
    c.html(
      <Layout base={base} title={title} staff={c.get('staff')} ports={options.describePorts?.()}>
        {body as never}
      </Layout>,
      status,
    );

  app.get('/assets/console.js', (c) => c.body(CONSOLE_SCRIPT, 200, { 'content-type': 'text/javascript; charset=utf-8' }));
  app.get('/assets/console.css', (c) => c.body(CONSOLE_STYLE, 200, { 'content-type': 'text/css; charset=utf-8' }));

  app.get('/login', (c) => page(c, 'Log in', <LoginPage base={base} csrf={c.get('csrf')} next={c.req.query('next') ?? `${base}/interactions`} failed={false} />));
  app.post('/login', async (c) => {
    const form = await c.req.parseBody();
    const next = typeof form.next === 'string' && form.next.startsWith(`${base}/`) && !form.next.startsWith('//') ? form.next : `${base}/interactions`;
    if (options.token === undefined || form.token !== options.token) {
      return page(c, 'Log in', <LoginPage base={base} csrf={c.get('csrf')} next={next} failed={true} />, 400);
    }
    setCookie(c, SESSION_COOKIE, sessionValue(options.token), {
      path: base || '/',
      httpOnly: true,
      sameSite: 'Strict',
      secure: new URL(c.req.url).protocol === 'https:',
      maxAge: 12 * 3600,
    });
    return c.redirect(next, 303);
  });

  const search = async (c: Context<ConsoleEnv>) => {
    const query = c.req.query('q') ?? '';
    const cursor = c.req.query('cursor');
    const result = await (await ports.store()).search({ ...parseSearch(query), limit: PAGE_SIZE, ...(cursor ? { cursor } : {}) });
    const rows = result.records.map((r) => interactionRow(r, base));
    return { query, cursor, rows, next: result.next, version: pageVersion(rows) };
  };
  const listPage = async (c: Context<ConsoleEnv>) => {
    try {
      const found = await search(c);
      const live = found.cursor ? undefined : `${base}/interactions.json${found.query ? `?q=${encodeURIComponent(found.query)}` : ''}`;
      return page(c, 'Interactions', <InteractionsPage base={base} {...found} live={live} />);
    } catch (error) {
      const e = toTalkbackError(error);
      if (e.code !== 'BadRequest') throw e;
      return page(c, 'Interactions', <InteractionsPage base={base} query={c.req.query('q') ?? ''} rows={[]} version="" error={e.message} />, 400);
    }
  };
  app.get('/', listPage);
  app.get('/interactions', listPage);
  app.get('/interactions.json', async (c) => c.json(await search(c)));

  app.get('/interactions/:id', async (c) => {
    const journey = await journeyOf(ports, c.req.param('id'));
    const mailer = await ports.mailer();
    const raw = journey.mail?.copyKept && mailer.sentCopy ? await mailer.sentCopy(journey.id) : undefined;
    const email = raw ? await readEmailCopy(raw) : undefined;
    return page(c, `${journey.customer?.name ?? 'Interaction'} · ${journey.channelId ?? ''}`, <JourneyPage base={base} journey={journey} email={email} />);
  });
  app.get('/interactions/:id/journey.json', async (c) => c.json(await journeyOf(ports, c.req.param('id'))));
  app.get('/interactions/:id/audio', async (c) => {
    const record = await findRecord(ports, c.req.param('id'));
    if (!record.audio) return c.text('no audio for this interaction', 404);
    const bytes = await (await ports.audio()).get(record.audio.blobName);
    if (!bytes) return c.text('the audio is no longer stored', 404);
    return audioResponse(bytes, record.audio.contentType, c.req.header('range'));
  });
  /** The staff email as the mailer kept it (the outbox's .eml), for the interaction named in the path. */
  const sentEmail = async (id: string) => {
    const record = await findRecord(ports, id);
    const mailer = await ports.mailer();
    return { id: record.id, raw: mailer.sentCopy ? await mailer.sentCopy(record.id) : undefined };
  };
  app.get('/interactions/:id/email.html', async (c) => {
    const { raw } = await sentEmail(c.req.param('id'));
    if (!raw) return c.text('no copy of this email is kept', 404);
    return c.body(emailPreviewHtml(await readEmailCopy(raw)), 200, {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': EMAIL_PREVIEW_CSP,
      'x-frame-options': 'SAMEORIGIN',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    });
  });
  app.get('/interactions/:id/email.eml', async (c) => {
    const { id, raw } = await sentEmail(c.req.param('id'));
    if (!raw) return c.text('no copy of this email is kept', 404);
    return c.body(new Uint8Array(raw), 200, {
      'content-type': 'message/rfc822',
      'content-disposition': `attachment; filename="talkback-${id}.eml"`,
    });
  });

  app.get('/refused', (c) => {
    const refused = options.refused;
    return page(c, 'Refused messages', <RefusedPage counts={refused?.counts()} latest={refused?.latest(200)} />);
  });

  const deadLettersPage = async (c: Context<ConsoleEnv>, notice?: string, status: 200 | 400 = 200) =>
    page(
      c,
      'Dead letters',
      <DeadLettersPage base={base} csrf={c.get('csrf')} subscriptions={ports.subscriptions} messages={await listDeadLetters(ports)} notice={notice} />,
      status,
    );
  app.get('/dead-letters', (c) => deadLettersPage(c, c.req.query('notice')));
  app.get('/dead-letters.json', async (c) => c.json(await listDeadLetters(ports, c.req.query('subscription'))));
  for (const action of ['redrive', 'purge'] as const) {
    app.post(`/dead-letters/${action}`, async (c) => {
      const form = await c.req.parseBody();
      const subscription = typeof form.subscription === 'string' ? form.subscription : '';
      const messageId = typeof form.messageId === 'string' && form.messageId !== '' ? form.messageId : undefined;
      try {
        checkSubscription(ports, subscription);
        const results = await settle(ports, action, messageId ? { messageId, subscription } : { all: true, subscription });
        const count = results.reduce((n, r) => n + r.count, 0);
        const notice = `${action === 'redrive' ? 'Redriven' : 'Purged'}: ${count} message(s) of ${subscription}${messageId ? ` (${messageId})` : ''}.`;
        return c.redirect(`${base}/dead-letters?${new URLSearchParams({ notice }).toString()}`, 303);
      } catch (error) {
        const e = toTalkbackError(error);
        return deadLettersPage(c, `${action} failed: ${e.code}: ${e.message}`, 400);
      }
    });
  }

  app.get('/erase', (c) => page(c, 'Erase a customer', <ErasePage base={base} csrf={c.get('csrf')} />));
  app.post('/erase', async (c) => {
    const form = await c.req.parseBody();
    const field = (name: string) => (typeof form[name] === 'string' ? form[name].trim() : '');
    let selector: CustomerSelector;
    if (field('conversation') !== '' && field('channel') === '' && field('user') === '') selector = { conversationId: field('conversation') };
    else if (field('channel') !== '' && field('user') !== '' && field('conversation') === '') selector = { channelId: field('channel'), customerId: field('user') };
    else {
      const error = 'Give a channel and a user id, or a conversation id (not both).';
      return page(c, 'Erase a customer', <ErasePage base={base} csrf={c.get('csrf')} error={error} />, 400);
    }
    const report = await eraseCustomer(ports, selector);
    return page(c, 'Erase a customer', <ErasePage base={base} csrf={c.get('csrf')} report={report} />);
  });

  app.onError((error, c) => {
    const e = toTalkbackError(error);
    const status = e.code === 'NotFound' ? 404 : e.code === 'BadRequest' ? 400 : 500;
    if ((c.req.header('accept') ?? '').includes('text/html')) {
      return page(c, status === 404 ? 'Not found' : 'Something failed', <p class="notice failed">{`${e.code}: ${e.message}`}</p>, status);
    }
    return c.json({ code: e.code, message: e.message }, status);
  });
  return app;
}
