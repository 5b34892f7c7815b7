import type { Handler } from 'hono';
import { escapeHtml } from '../core/html.js';
import { STAGES, type InteractionRecord } from '../core/record.js';
import { subscriptions } from '../functions/all.js';
import type { FunctionContext } from '../functions/context.js';

const WINDOW_MS = 7 * 24 * 3_600_000;

/** GET / : the latest interactions with their stages, and each subscription's dead letters. */
export function dashboard(app: FunctionContext): Handler {
  return async (c) => {
    const now = app.now();
    const store = await app.ports.store();
    const records = await store.listUpdated(new Date(now.getTime() - WINDOW_MS), new Date(now.getTime() + 1), 50);
    const bus = await app.ports.bus();
    const deadLetters = await Promise.all(
      subscriptions.map(async (s) => ({ name: s.name, messages: await bus.deadLetters(s.name, 20) })),
    );
    const { bus: busName, store: storeName, audio, speech, mailer } = app.ports.describe();
    const ports = { bus: busName, store: storeName, audio, speech, mailer };
    const html = [
      '<!doctype html><html><head><meta charset="utf-8"><meta http-equiv="refresh" content="5">',
      '<title>talkback</title><style>body{font:14px system-ui;margin:2em}td,th{padding:4px 8px;border-bottom:1px solid #ddd;text-align:left}</style>',
      '</head><body><h1>talkback</h1>',
      `<p>${Object.entries(ports).map(([k, v]) => `<b>${k}</b>: ${escapeHtml(v)}`).join(' · ')}</p>`,
      '<h2>Latest interactions</h2><table><tr><th>updated</th><th>customer</th><th>channel</th><th>text</th>',
      ...STAGES.map((s) => `<th>${s}</th>`),
      '<th>failures</th></tr>',
      ...records.map(row),
      '</table><h2>Dead letters</h2>',
      ...deadLetters.map(
        (d) =>
          `<h3>${escapeHtml(d.name)} (${d.messages.length})</h3><ul>` +
          d.messages.map((m) => `<li>${escapeHtml(m.messageId)} — ${escapeHtml(m.reason)}: ${escapeHtml(m.description)}</li>`).join('') +
          '</ul>',
      ),
      '</body></html>',
    ].join('');
    return c.body(html, 200, { 'content-type': 'text/html; charset=utf-8' });
  };
}

function row(r: InteractionRecord): string {
  const cell = (v: string | undefined) => `<td>${escapeHtml(v ?? '')}</td>`;
  return (
    '<tr>' +
    cell(r.updatedAt) +
    cell(r.customer?.name || r.customer?.id) +
    cell(r.channelId) +
    cell(r.text && r.text.length > 80 ? `${r.text.slice(0, 79)}…` : r.text) +
    STAGES.map((s) => cell(r.stages[s] ? '✓' : '')).join('') +
    cell(r.failures.map((f) => `${f.function}: ${f.code}`).join(', ')) +
    '</tr>'
  );
}
