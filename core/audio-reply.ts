import type { ReplyFormat } from './events.js';
import type { Language } from './language.js';
import { replies } from './replies.js';

/** A Bot Framework attachment, as plain JSON. */
export interface ActivityAttachment {
  contentType: string;
  contentUrl?: string;
  name?: string;
  content?: unknown;
}

/** A message activity the bot sends on its own (proactively), as plain Bot Framework JSON. */
export interface OutgoingActivity {
  type: 'message';
  text: string;
  attachmentLayout?: 'list' | 'carousel';
  attachments?: ActivityAttachment[];
}

/**
 * What the audio reply carries (recorded on reply.sent):
 * - 'card': a hero card with a Listen button (openUrl to the audio's link), which every channel and
 *   every Agents Playground mode shows and plays;
 * - 'card-and-attachment': that card plus the audio/mpeg attachment, for channels with an audio
 *   player of their own (Facebook Messenger, Web Chat, Direct Line);
 * - 'attachment': the attachment alone, as replies were sent before the card was added everywhere
 *   (kept so that earlier events still parse).
 */
export type AudioReplyFormat = ReplyFormat;

/** Channels that play an audio/mpeg attachment inline. */
const PLAYS_AUDIO_ATTACHMENTS = new Set(['facebook', 'webchat', 'directline']);

/**
 * Teams cannot play audio attachments, and the Agents Playground shows "not supported" for one in its
 * emulator mode (channel "emulator", the same id the Bot Framework Emulator sends): they get the card
 * only. An unknown channel gets the card too: a Listen link works wherever cards do.
 */
export function audioReplyFormat(channelId: string): AudioReplyFormat {
  return PLAYS_AUDIO_ATTACHMENTS.has(channelId) ? 'card-and-attachment' : 'card';
}

/**
 * The proactive message carrying the audio. Built as plain Bot Framework JSON (what CardFactory and
 * MessageFactory produce): the reply function builds it without any bot SDK; the ChatChannel sends it.
 */
export function audioReplyActivity(input: {
  channelId: string;
  language: Language;
  audioUrl: string;
  fileName: string;
}): OutgoingActivity {
  const card: ActivityAttachment = {
    contentType: 'application/vnd.microsoft.card.hero',
    content: {
      buttons: [{ type: 'openUrl', title: replies.listen[input.language], value: input.audioUrl }],
    },
  };
  const audio: ActivityAttachment = { contentType: 'audio/mpeg', contentUrl: input.audioUrl, name: input.fileName };
  const attachments = audioReplyFormat(input.channelId) === 'card-and-attachment' ? [card, audio] : [card];
  return { type: 'message', text: replies.audioReady[input.language], attachmentLayout: 'list', attachments };
}
