import { existsSync } from 'node:fs';
import { mkdir, readdir } from 'node:fs/promises';
import { request as httpRequest } from 'node:http';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { followUpEventId } from '../../core/ids.js';
import type { LocalHost } from '../../local/host.js';
import { messageActivity, postActivity, startFakeChannel, waitFor, type FakeChannel } from '../support/fake-channel.js';
import { startTestHost, tempDataDir } from '../support/host.js';
import { eventIdOf, waitForCompleteRecord } from '../support/records.js';

/**
 * The staff console in a real headless Chromium (Debian's `chromium` package), driven with
 * playwright-core: search, a journey with its audio and email, a redrive, an erasure, and the guards.
 * Screenshots go to test-artifacts/console/.
 */
const CHROMIUM = '/usr/bin/chromium';
const ARTIFACTS = path.resolve('test-artifacts', 'console');
const skip = !existsSync(CHROMIUM);
if (skip) console.info(`console browser test skipped: ${CHROMIUM} is absent (apt-get install -y chromium)`);

const KOREAN = { conversationId: 'conv-ko-console', activityId: 'act-ko-1', text: '주문한 물건이 언제 도착하나요? 빨리 알려 주세요', locale: 'ko-KR', from: { id: 'user-minji', name: '김민지' } };
const FAILING = { conversationId: 'conv-blocked', activityId: 'act-blocked', text: 'Can you call me back about the invoice?', locale: 'en-US', from: { id: 'user-ada', name: 'Ada Customer' } };
const ERASED = { conversationId: 'conv-forget-me', activityId: 'act-forget', text: 'Please forget everything about me', locale: 'en-US', from: { id: 'user-forget', name: 'Forget Me' } };

describe.skipIf(skip)('the staff console in Chromium', () => {
  let data: Awaited<ReturnType<typeof tempDataDir>>;
  let channel: FakeChannel;
  let host: LocalHost;
  let browser: Browser;
  let page: Page;
  const outbox = () => path.join(data.dir, 'outbox');
  const shot = (name: string) => page.screenshot({ path: path.join(ARTIFACTS, `${name}.png`), fullPage: true });

  beforeAll(async () => {
    await mkdir(ARTIFACTS, { recursive: true });
    data = await tempDataDir('talkback-console-');
    channel = await startFakeChannel();
    ({ host } = await startTestHost(data.dir));
    for (const m of [FAILING, KOREAN, ERASED]) {
      expect((await postActivity(host.url, messageActivity({ serviceUrl: channel.serviceUrl, ...m }))).status).toBe(200);
      // "received" has been answered within the turn; from now on the channel refuses: the audio reply fails.
      if (m === FAILING) channel.failFor(FAILING.conversationId, 403);
    }
    const store = await host.ports.store();
    await waitForCompleteRecord(store, KOREAN);
    await waitForCompleteRecord(store, ERASED);
    const bus = await host.ports.bus();
    await waitFor(async () => ((await bus.deadLetters('reply')).length > 0 ? true : undefined), 20_000, 'the failing reply to be dead-lettered');
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    page = await browser.newPage({ timezoneId: 'Asia/Seoul', locale: 'en-US' });
    page.on('dialog', (dialog) => void dialog.accept());
  });

  afterAll(async () => {
    await browser?.close();
    await host?.stop();
    await channel?.stop();
    await data?.remove();
  });

  it('finds the Korean message by searching, and lists it with its stages', async () => {
    await page.goto(`${host.url}/`);
    await page.getByLabel('Search').fill('도착하나요');
    await page.getByRole('button', { name: 'Find' }).click();
    await page.waitForURL(/q=/);
    const rows = page.locator('#interactions tbody tr');
    expect(await rows.count()).toBe(1);
    expect(await rows.first().innerText()).toContain('김민지');
    expect(await rows.first().innerText()).toContain(eventIdOf(KOREAN));
    // Times are shown in the viewer's zone by the script, not as the ISO text the server wrote.
    const firstTime = rows.first().locator('time').first();
    expect(await firstTime.innerText()).not.toMatch(/Z$/);
    expect(await firstTime.getAttribute('title')).toContain('Asia/Seoul');
    await shot('1-search');
  });

  it("shows the journey: four stages with times, a playable audio, the email with the transcript", async () => {
    await page.locator('#interactions tbody tr a').first().click();
    await page.waitForURL(new RegExp(`/interactions/${eventIdOf(KOREAN)}$`));
    const stages = page.locator('#stages tbody tr');
    expect(await stages.count()).toBe(4);
    for (const stage of ['received', 'spoken', 'emailed', 'replied']) {
      const time = page.locator(`#stages tr[data-stage="${stage}"] time`);
      expect(await time.count(), stage).toBe(1);
      expect(await time.getAttribute('datetime'), stage).toMatch(/^\d{4}-\d{2}-\d{2}T/);
    }
    expect(await page.locator('audio').count()).toBe(1);
    // A string runs in the page (this file is type-checked without the DOM library).
    const duration = await page.waitForFunction(
      "(() => { const audio = document.querySelector('audio'); return audio && Number.isFinite(audio.duration) && audio.duration > 0 ? audio.duration : false; })()",
      undefined,
      { timeout: 30_000 },
    );
    expect(await duration.jsonValue()).toBeGreaterThan(0);
    const preview = page.frameLocator('iframe[title="Staff email preview"]');
    await expect.poll(() => preview.locator('body').innerText(), { timeout: 10_000 }).toContain(KOREAN.text);
    // The email's own inline styles apply in the preview (the console's CSP would block them in a srcdoc
    // frame): its play button is white text on the accent colour, not a default blue link.
    const button = preview.locator('a[href*="/audio/"], a[href*="/interactions/"]').first();
    const colour = await button.evaluate((a) => (globalThis as unknown as { getComputedStyle(e: unknown): { color: string } }).getComputedStyle(a).color);
    expect(colour).toBe('rgb(255, 255, 255)');
    const download = await page.request.get(`${host.url}/interactions/${eventIdOf(KOREAN)}/email.eml`);
    expect(download.status()).toBe(200);
    expect(download.headers()['content-type']).toContain('message/rfc822');
    // The preview may be framed by the console's own pages only, runs no script; the pages themselves are never framed.
    const previewHeaders = (await page.request.get(`${host.url}/interactions/${eventIdOf(KOREAN)}/email.html`)).headers();
    expect(previewHeaders['x-frame-options']).toBe('SAMEORIGIN');
    expect(previewHeaders['content-security-policy']).toMatch(/frame-ancestors 'self'.*sandbox/);
    expect((await page.request.get(`${host.url}/interactions/${eventIdOf(KOREAN)}`)).headers()['x-frame-options']).toBe('DENY');
    await shot('2-journey');
    // A full-page capture can miss the sandboxed frame's paint below the fold: the preview on its own.
    await page.locator('iframe.email').scrollIntoViewIfNeeded();
    await page.locator('iframe.email').screenshot({ path: path.join(ARTIFACTS, '2-email-preview.png') });
  });

  it('redrives the dead-lettered reply: the record then shows replied, with one email and one reply', async () => {
    const id = eventIdOf(FAILING);
    const audioStoredId = followUpEventId('audio.stored', id);
    channel.failFor(FAILING.conversationId, undefined);
    await page.goto(`${host.url}/dead-letters`);
    const row = page.locator(`tr[data-message-id="${audioStoredId}"]`);
    expect(await row.innerText()).toContain('chat reply failed (403)');
    await shot('3-dead-letters');
    await row.getByRole('button', { name: 'Redrive', exact: true }).click();
    await expect.poll(() => page.getByRole('status').innerText()).toContain('Redriven: 1 message(s) of reply');
    const store = await host.ports.store();
    await waitForCompleteRecord(store, FAILING);
    await page.goto(`${host.url}/interactions/${id}`);
    expect(await page.locator('#stages tr[data-stage="replied"] time').count()).toBe(1);
    expect(await page.locator('#attempts').innerText()).toMatch(/failed \(dead-lettered\)[\s\S]*succeeded/);
    await shot('4-redriven-journey');
    const emails = (await readdir(outbox())).filter((name) => name.startsWith(id));
    expect(emails).toEqual([`${id}.eml`]);
    const proactive = channel.forConversation(FAILING.conversationId).filter((a) => (a.body.attachments?.length ?? 0) > 0);
    expect(proactive).toHaveLength(1);
    expect(await (await host.ports.bus()).deadLetters('reply')).toEqual([]);
  });

  it("erases a customer's records, audio and emails", async () => {
    const id = eventIdOf(ERASED);
    const audio = await host.ports.audio();
    expect(await audio.get(`audio/${id}.mp3`)).toBeDefined();
    await page.goto(`${host.url}/erase`);
    await page.getByLabel('Channel').fill('emulator');
    await page.getByLabel('User id').fill(ERASED.from.id);
    await page.getByRole('button', { name: 'Erase customer' }).click();
    const report = page.getByRole('status', { name: 'Erasure report' });
    await expect.poll(() => report.innerText()).toContain('1 interaction record(s)');
    expect(await report.innerText()).toContain('1 audio blob(s)');
    expect(await report.innerText()).toContain('1 email(s) from the outbox');
    await shot('5-erased');
    expect(await (await host.ports.store()).get({ conversationId: ERASED.conversationId, id })).toBeUndefined();
    expect(await audio.get(`audio/${id}.mp3`)).toBeUndefined();
    expect((await readdir(outbox())).filter((name) => name.startsWith(id))).toEqual([]);
    // The other customers are untouched.
    expect(await (await host.ports.store()).get({ conversationId: KOREAN.conversationId, id: eventIdOf(KOREAN) })).toBeDefined();
  });

  it('refuses an action without the CSRF token, and any request with a foreign Host', async () => {
    await page.goto(`${host.url}/erase`);
    const status = await page.evaluate(async () => {
      const response = await fetch('/erase', {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ conversation: 'conv-ko-console' }).toString(),
      });
      return response.status;
    });
    expect(status).toBe(403);
    expect(await (await host.ports.store()).get({ conversationId: KOREAN.conversationId, id: eventIdOf(KOREAN) })).toBeDefined();
    const url = new URL(host.url);
    const foreign = await new Promise<number>((resolve, reject) => {
      const req = httpRequest({ host: url.hostname, port: url.port, path: '/', method: 'GET', headers: { host: 'attacker.example' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });
    expect(foreign).toBe(403);
  });
});
