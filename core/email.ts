import type { AudioStored } from './events.js';
import { mjmlTemplate } from './mjml-template.js';
import { staffFormat, type StaffOptions } from './staff-format.js';
import { transcriptEmailMjml } from './transcript-email-mjml.js';

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

/** Product names, the same in every language. The Agents Playground's -c emulator mode is channel "emulator". */
const CHANNEL_NAMES: Record<string, string> = {
  msteams: 'Microsoft Teams',
  facebook: 'Facebook Messenger',
  webchat: 'Web Chat',
  directline: 'Direct Line',
  emulator: 'Emulator / Agents Playground',
};

export function channelName(channelId: string): string {
  return CHANNEL_NAMES[channelId] ?? channelId;
}

export interface TranscriptEmailInput {
  event: AudioStored;
  audioUrl: string;
  audioAttached: boolean;
  linkExpiresAt: string;
  /** The interaction's page in the staff console. */
  interactionUrl: string;
  /** What staff must know about answering this customer (core/channel-notice.ts), shown first. */
  notice?: string | undefined;
  /** STAFF_LOCALE and STAFF_TIME_ZONE (default English, UTC). */
  staff?: StaffOptions;
}

/** The staff notification: the transcript, who wrote it and where, and the audio (attached and/or linked). */
export async function renderTranscriptEmail(input: TranscriptEmailInput): Promise<RenderedEmail> {
  const d = input.event.data;
  const format = staffFormat(input.staff);
  const { labels } = format;
  const who = d.customer.name.trim() === '' ? d.customer.id : d.customer.name;
  const channel = channelName(d.channelId);
  const subject = headerSafe(labels.transcriptSubject(who, channel, d.text), 120);
  const seconds = (d.durationMs / 1000).toFixed(1);
  const notice = input.notice ?? '';
  const values = {
    subject,
    notice,
    preview: headerSafe(d.text, 140),
    transcript: d.text,
    audioUrl: input.audioUrl,
    interactionUrl: input.interactionUrl,
    audioNote: input.audioAttached ? labels.audioAttached(seconds) : labels.audioLinkOnly(seconds),
    linkValid: labels.linkValidUntil(format.dateTime(input.linkExpiresAt)),
    customer: `${who} (${d.customer.id})`,
    channel,
    language: format.languageName(d.language),
    received: format.dateTime(d.receivedAt),
    conversation: d.conversationId,
    eventId: input.event.correlationId,
  };
  const text = [
    ...(notice ? [`${labels.important}: ${notice}`, ''] : []),
    labels.newMessage,
    '',
    `${labels.customer}: ${values.customer}`,
    `${labels.channel}: ${channel}`,
    `${labels.language}: ${values.language}`,
    `${labels.received}: ${values.received}`,
    `${labels.conversation}: ${d.conversationId}`,
    `${labels.eventId}: ${values.eventId}`,
    '',
    `${labels.transcript}:`,
    d.text,
    '',
    values.audioNote,
    `${labels.play}: ${input.audioUrl}`,
    values.linkValid,
    '',
    `${labels.openConsole}: ${input.interactionUrl}`,
  ].join('\n');
  const withNotice = notice !== '';
  const template = await mjmlTemplate(`transcript-${labels.tag}${withNotice ? '-notice' : ''}`, () => transcriptEmailMjml(labels, withNotice));
  return { subject, text, html: template.fill(values) };
}
