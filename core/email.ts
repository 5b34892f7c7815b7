import type { AudioStored } from './events.js';
import { escapeHtml } from './html.js';

export interface RenderedEmail {
  subject: string;
  text: string;
  html: string;
}

/** A header value from user input: no CR/LF (header injection), no other control characters, bounded. */
export function headerSafe(text: string, max = 200): string {
  // eslint-disable-next-line no-control-regex
  const flat = text.replace(/[\r\n\u0000-\u001f\u007f]+/g, ' ').replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  // Never cut between the two halves of a surrogate pair (an emoji): a lone half is not valid text.
  const cut = /[\ud800-\udbff]/.test(flat.charAt(max - 2)) ? max - 2 : max - 1;
  return `${flat.slice(0, cut).trimEnd()}…`;
}

const CHANNEL_NAMES: Record<string, string> = {
  msteams: 'Microsoft Teams',
  facebook: 'Facebook Messenger',
  webchat: 'Web Chat',
  directline: 'Direct Line',
  emulator: 'Bot Framework Emulator',
};

export function channelName(channelId: string): string {
  return CHANNEL_NAMES[channelId] ?? channelId;
}

export interface TranscriptEmailInput {
  event: AudioStored;
  audioUrl: string;
  audioAttached: boolean;
  linkExpiresAt: string;
  /** What staff must know about answering this customer (core/channel-notice.ts), shown first. */
  notice?: string | undefined;
}

/** The staff notification: the transcript, who wrote it and where, and the audio (attached and/or linked). */
export function renderTranscriptEmail(input: TranscriptEmailInput): RenderedEmail {
  const d = input.event.data;
  const who = d.customer.name.trim() === '' ? d.customer.id : d.customer.name;
  const channel = channelName(d.channelId);
  const subject = headerSafe(`[talkback] ${who} (${channel}): ${d.text}`, 120);
  const seconds = (d.durationMs / 1000).toFixed(1);
  const audioLine = input.audioAttached
    ? `The audio (${seconds} s) is attached and can also be played at:`
    : `The audio (${seconds} s) can be played at:`;
  const text = [
    ...(input.notice ? [`IMPORTANT: ${input.notice}`, ''] : []),
    `Customer: ${who} (${d.customer.id})`,
    `Channel: ${channel}`,
    `Conversation: ${d.conversationId}`,
    `Received: ${d.receivedAt}`,
    `Language: ${d.language}`,
    '',
    'Transcript:',
    d.text,
    '',
    audioLine,
    input.audioUrl,
    `(link valid until ${input.linkExpiresAt})`,
  ].join('\n');
  const row = (label: string, value: string) => `<tr><th align="left">${label}</th><td>${escapeHtml(value)}</td></tr>`;
  const html = [
    '<!doctype html><html><body>',
    input.notice ? `<p style="color:#a00"><strong>IMPORTANT:</strong> ${escapeHtml(input.notice)}</p>` : '',
    '<table>',
    row('Customer', `${who} (${d.customer.id})`),
    row('Channel', channel),
    row('Conversation', d.conversationId),
    row('Received', d.receivedAt),
    row('Language', d.language),
    '</table>',
    `<h3>Transcript</h3><blockquote style="white-space:pre-wrap">${escapeHtml(d.text)}</blockquote>`,
    `<p>${escapeHtml(audioLine)} <a href="${escapeHtml(input.audioUrl)}">listen</a>`,
    ` (link valid until ${escapeHtml(input.linkExpiresAt)})</p>`,
    '</body></html>',
  ].join('');
  return { subject, text, html };
}
