import { channelName, headerSafe, type RenderedEmail } from './email.js';
import { escapeHtml } from './html.js';
import { STAGES, type InteractionRecord } from './record.js';

/** The daily summary for staff: every interaction of the period, its stages and failures. */
export function renderDigestEmail(records: readonly InteractionRecord[], from: Date, to: Date, truncated = false): RenderedEmail {
  const day = to.toISOString().slice(0, 10);
  const count = `${truncated ? 'more than ' : ''}${records.length} conversation${records.length === 1 && !truncated ? '' : 's'}`;
  const subject = headerSafe(`[talkback] digest ${day}: ${count}${truncated ? ` (the latest ${records.length} listed)` : ''}`);
  const line = (r: InteractionRecord) => {
    const who = r.customer?.name || r.customer?.id || 'unknown';
    const done = STAGES.filter((s) => r.stages[s]).join(', ') || 'none';
    const failed = r.failures.length > 0 ? ` — failures: ${r.failures.map((f) => `${f.function} ${f.code}`).join(', ')}` : '';
    return { who, channel: channelName(r.channelId ?? ''), text: r.text ?? '', done, failed };
  };
  const lines = records.map(line);
  const text = [
    `Conversations from ${from.toISOString()} to ${to.toISOString()}: ${records.length}`,
    '',
    ...lines.map((l) => `- ${l.who} (${l.channel}): ${l.text}\n  stages: ${l.done}${l.failed}`),
  ].join('\n');
  const html = [
    '<!doctype html><html><body>',
    `<p>Conversations from ${escapeHtml(from.toISOString())} to ${escapeHtml(to.toISOString())}: ${records.length}</p>`,
    '<table><tr><th align="left">customer</th><th align="left">channel</th><th align="left">message</th><th align="left">stages</th></tr>',
    ...lines.map(
      (l) =>
        `<tr><td>${escapeHtml(l.who)}</td><td>${escapeHtml(l.channel)}</td><td>${escapeHtml(l.text)}</td><td>${escapeHtml(l.done + l.failed)}</td></tr>`,
    ),
    '</table></body></html>',
  ].join('');
  return { subject, text, html };
}
