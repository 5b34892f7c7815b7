import { describe, expect, it } from 'vitest';
import { headerSafe, renderTranscriptEmail } from '../../../core/email.js';
import { escapeHtml } from '../../../core/html.js';
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

function render(overrides: Parameters<typeof audioStoredEvent>[0] = {}, audioAttached = true) {
  return renderTranscriptEmail({
    event: audioStoredEvent(overrides),
    audioUrl: 'https://acct.blob.core.windows.net/talkback/audio/a.mp3?sv=2024&sig=a%2Bb"><script>',
    audioAttached,
    linkExpiresAt: '2025-01-05T03:04:05.000Z',
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
  it('escapes user text, names and the link in the HTML', () => {
    const email = render({ data: { text: hostile, customer: { id: 'u<1>', name: 'Kim "<b>"' } } });
    expect(email.html).not.toContain('<script>');
    expect(email.html).not.toContain('<img');
    expect(email.html).not.toContain('<b>');
    expect(email.html).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;quoted&#39;');
    expect(email.html).toContain('Kim &quot;&lt;b&gt;&quot; (u&lt;1&gt;)');
    expect(email.html).toContain('href="https://acct.blob.core.windows.net/talkback/audio/a.mp3?sv=2024&amp;sig=a%2Bb&quot;&gt;&lt;script&gt;"');
  });

  it('keeps the text body verbatim, with the link', () => {
    const email = render({ data: { text: hostile } });
    expect(email.text.split('\n')).toContain(hostile);
    expect(email.text).toContain('https://acct.blob.core.windows.net/talkback/audio/a.mp3?sv=2024&sig=a%2Bb"><script>');
    expect(email.text).toContain('is attached');
    expect(render({}, false).text).not.toContain('is attached');
  });

  it('gives a one-line subject of at most 120 characters, whatever the user wrote', () => {
    const email = render({
      data: { text: `Hi\r\nBcc: attacker@evil.example\n${'긴 메시지 😀 '.repeat(40)}`, customer: { id: 'u1', name: 'Mallory\nCc: x@y' } },
    });
    // eslint-disable-next-line no-control-regex
    expect(email.subject).not.toMatch(/[\r\n\u0000-\u001f]/);
    expect(email.subject.length).toBeLessThanOrEqual(120);
    expect(wellFormed(email.subject)).toBe(true);
    expect(email.subject.startsWith('[talkback] Mallory Cc: x@y (Bot Framework Emulator): Hi Bcc: attacker@evil.example')).toBe(true);
  });

  it('names the customer by id when the name is blank, and the channel by its display name', () => {
    const email = render({ data: { customer: { id: 'user-42', name: '  ' }, channelId: 'msteams' } });
    expect(email.subject.startsWith('[talkback] user-42 (Microsoft Teams): ')).toBe(true);
  });
});
