import { describe, expect, it } from 'vitest';
import { headerSafe, renderTranscriptEmail } from '../../../core/email.js';
import { escapeHtml } from '../../../core/html.js';
import { interactionUrl } from '../../../core/console-url.js';
import type { StaffOptions } from '../../../core/staff-format.js';
import { audioStoredEvent } from '../../support/events.js';

/** encodeURIComponent throws on a lone surrogate (half an emoji). */
const wellFormed = (text: string) => {
  try {
    encodeURIComponent(text);
    return true;
  } catch {
    return false;
  }
};

const hostile = '<script>alert("x")</script> & \'quoted\' <img src=x onerror=y>';

const AUDIO_URL = 'https://acct.blob.core.windows.net/talkback/audio/a.mp3?sv=2024&sig=a%2Bb"><script>';

function render(overrides: Parameters<typeof audioStoredEvent>[0] = {}, audioAttached = true, staff?: StaffOptions) {
  const event = audioStoredEvent(overrides);
  return renderTranscriptEmail({
    event,
    audioUrl: AUDIO_URL,
    audioAttached,
    linkExpiresAt: '2025-01-05T03:04:05.000Z',
    interactionUrl: interactionUrl('http://127.0.0.1:3978', event.correlationId),
    staff,
  });
}

describe('escapeHtml', () => {
  it('escapes the five characters that matter in HTML text and attributes', () => {
    expect(escapeHtml(`<a href="x">'&'</a>`)).toBe('&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;');
    expect(escapeHtml('안녕 😀')).toBe('안녕 😀');
  });
});

describe('headerSafe', () => {
  it('flattens line breaks and control characters to single spaces', () => {
    expect(headerSafe('a\r\nBcc: x@y\n\tb\u0000c\u007f  d ')).toBe('a Bcc: x@y b c d');
    expect(headerSafe('line\u2028separator')).toBe('line separator');
  });

  it('bounds the length with an ellipsis and never splits an emoji', () => {
    expect(headerSafe('abcdefghij', 5)).toBe('abcd…');
    for (let pad = 0; pad < 4; pad += 1) {
      const out = headerSafe(`${'a'.repeat(pad)}😀😀😀😀😀😀`, 6);
      expect(out.length).toBeLessThanOrEqual(6);
      expect(out.endsWith('…')).toBe(true);
      expect(wellFormed(out)).toBe(true);
    }
  });
});

describe('renderTranscriptEmail', () => {
  it('escapes user text, names and the link in the HTML', async () => {
    const email = await render({ data: { text: hostile, customer: { id: 'u<1>', name: 'Kim "<b>"' } } });
    expect(email.html).not.toContain('<script>');
    expect(email.html).not.toContain('<img');
    expect(email.html).not.toContain('<b>');
    expect(email.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quoted&#39;');
    expect(email.html).toContain('Kim &quot;&lt;b&gt;&quot; (u&lt;1&gt;)');
    expect(email.html).toContain('href="https://acct.blob.core.windows.net/talkback/audio/a.mp3?sv=2024&amp;sig=a%2Bb&quot;&gt;&lt;script&gt;"');
  });

  it('keeps the text body verbatim, with the link', async () => {
    const email = await render({ data: { text: hostile } });
    expect(email.text.split('\n')).toContain(hostile);
    expect(email.text).toContain('https://acct.blob.core.windows.net/talkback/audio/a.mp3?sv=2024&sig=a%2Bb"><script>');
    expect(email.text).toContain('is attached');
    expect((await render({}, false)).text).not.toContain('is attached');
  });

  it('gives a one-line subject of at most 120 characters, whatever the user wrote', async () => {
    const email = await render({
      data: { text: `Hi\r\nBcc: attacker@evil.example\n${'긴 메시지 😀 '.repeat(40)}`, customer: { id: 'u1', name: 'Mallory\nCc: x@y' } },
    });
    // eslint-disable-next-line no-control-regex
    expect(email.subject).not.toMatch(/[\r\n\u0000-\u001f]/);
    expect(email.subject.length).toBeLessThanOrEqual(120);
    expect(wellFormed(email.subject)).toBe(true);
    expect(email.subject.startsWith('[talkback] Mallory Cc: x@y (Emulator / Agents Playground): Hi Bcc: attacker@evil.example')).toBe(true);
  });

  it('names the customer by id when the name is blank, and the channel by its display name', async () => {
    const email = await render({ data: { customer: { id: 'user-42', name: '  ' }, channelId: 'msteams' } });
    expect(email.subject.startsWith('[talkback] user-42 (Microsoft Teams): ')).toBe(true);
  });
});

/** What a well-formed MJML output looks like: one document, every table closed, no MJML left over, every value filled. */
function expectRenderedHtml(html: string) {
  expect(html.trimStart().toLowerCase().startsWith('<!doctype html>')).toBe(true);
  expect(html.trimEnd().endsWith('</html>')).toBe(true);
  expect(html).not.toMatch(/<\/?mj-/);
  expect(html).not.toMatch(/\{\{\w+\}\}/);
  expect(html.match(/<table\b/g)?.length).toBe(html.match(/<\/table>/g)?.length);
}

const textOf = (html: string) => html.replace(/<[^>]*>/g, ' ').replace(/\s+/g, ' ');

describe('renderTranscriptEmail, localised', () => {
  // 2025-01-02T03:04:05Z: noon in Seoul, the evening before in New York.
  const korean = { data: { text: '주문한 물건이 언제 오나요?\n빨리 부탁드립니다', language: 'ko' as const, receivedAt: '2025-01-02T03:04:05.000Z' } };

  it('English labels, the language by name and every time in the staff time zone', async () => {
    const email = await render(korean, true, { locale: 'en', timeZone: 'Asia/Seoul' });
    expectRenderedHtml(email.html);
    const shown = textOf(email.html);
    for (const label of ['New customer message', 'Customer', 'Channel', 'Language', 'Received', 'Transcript', 'Play the audio', 'Open in the console']) {
      expect(shown).toContain(label);
    }
    expect(shown).toContain('Korean');
    expect(shown).not.toMatch(/\bko\b/);
    expect(shown).toMatch(/Jan 2, 2025, 12:04:05 GMT\+9/);
    // The link's expiry (03:04:05 UTC on the 5th) in the same zone.
    expect(shown).toMatch(/valid until Sun, Jan 5, 2025, 12:04:05 GMT\+9/);
    expect(email.text).toMatch(/^Received: Thu, Jan 2, 2025, 12:04:05 GMT\+9$/m);
    expect(email.text).toMatch(/^Language: Korean$/m);
    expect(email.html).toContain('주문한 물건이 언제 오나요?\n빨리 부탁드립니다');
    expect(email.html).toContain('lang="en"');
  });

  it('Korean labels, subject and times', async () => {
    const email = await render(korean, false, { locale: 'ko', timeZone: 'Asia/Seoul' });
    expectRenderedHtml(email.html);
    const shown = textOf(email.html);
    for (const label of ['새 고객 메시지', '고객', '채널', '언어', '받은 시각', '메시지 내용', '음성 듣기', '콘솔에서 보기']) expect(shown).toContain(label);
    expect(shown).toContain('한국어');
    expect(shown).toContain('2025년 1월 2일');
    expect(shown).toMatch(/12시 4분 5초 GMT\+9/);
    expect(shown).toContain('첨부하기에 너무 커서');
    expect(email.subject.startsWith('[talkback] Kim Minji 님 (Emulator / Agents Playground): 주문한 물건이 언제 오나요? 빨리')).toBe(true);
    expect(email.text).toMatch(/^언어: 한국어$/m);
    expect(email.html).toContain('lang="ko"');
  });

  it('UTC by default, and a zone west of UTC moves the date back', async () => {
    expect((await render(korean)).text).toMatch(/^Received: Thu, Jan 2, 2025, 03:04:05 UTC$/m);
    expect((await render(korean, true, { timeZone: 'America/New_York' })).text).toMatch(/^Received: Wed, Jan 1, 2025, 22:04:05 EST$/m);
  });

  it('links the play button to the audio and the console button to the interaction', async () => {
    const email = await render({ correlationId: 'evt 1/2' });
    const hrefs = [...email.html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]);
    expect(hrefs).toContain('https://acct.blob.core.windows.net/talkback/audio/a.mp3?sv=2024&amp;sig=a%2Bb&quot;&gt;&lt;script&gt;');
    expect(hrefs).toContain('http://127.0.0.1:3978/interactions/evt%201%2F2');
    expect(email.text).toContain('Open in the console: http://127.0.0.1:3978/interactions/evt%201%2F2');
  });

  it('fills each value once: user text that looks like a placeholder stays text', async () => {
    const email = await render({ data: { text: '{{audioUrl}} {{transcript}}', customer: { id: '{{eventId}}', name: '' } } });
    expect(textOf(email.html)).toContain('{{audioUrl}} {{transcript}}');
    expect(email.html).toContain('{{eventId}} ({{eventId}})');
  });

  it('shows a notice first, escaped, when the customer must be answered another way', async () => {
    const event = audioStoredEvent({});
    const input = { event, audioUrl: AUDIO_URL, audioAttached: true, linkExpiresAt: '2025-01-05T03:04:05.000Z', interactionUrl: 'http://127.0.0.1:3978/interactions/x' };
    const en = await renderTranscriptEmail({ ...input, notice: 'the bot is <blocked> & cannot reply' });
    expectRenderedHtml(en.html);
    expect(en.text.split('\n')[0]).toBe('IMPORTANT: the bot is <blocked> & cannot reply');
    expect(en.html).toContain('IMPORTANT:</strong> the bot is &lt;blocked&gt; &amp; cannot reply');
    // Above the transcript block (the transcript's text also opens the email, as its preview line).
    expect(en.html.indexOf('IMPORTANT:</strong>')).toBeLessThan(en.html.indexOf('white-space:pre-wrap'));
    const ko = await renderTranscriptEmail({ ...input, notice: 'blocked', staff: { locale: 'ko' } });
    expect(ko.text.split('\n')[0]).toBe('중요: blocked');
    const none = await renderTranscriptEmail(input);
    expect(none.text).not.toContain('IMPORTANT');
    expect(none.html).not.toContain('IMPORTANT');
  });
});
