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

export type AudioReplyFormat = 'attachment' | 'card';

/** Teams cannot play audio attachments: it gets a card with a link. Facebook, Web Chat and the Emulator play audio/mpeg. */
export function audioReplyFormat(channelId: string): AudioReplyFormat {
  return channelId === 'msteams' ? 'card' : 'attachment';
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
  const text = replies.audioReady[input.language];
  const attachment: ActivityAttachment =
    audioReplyFormat(input.channelId) === 'card'
      ? {
          contentType: 'application/vnd.microsoft.card.hero',
          content: {
            title: text,
            buttons: [{ type: 'openUrl', title: replies.listen[input.language], value: input.audioUrl }],
          },
        }
      : { contentType: 'audio/mpeg', contentUrl: input.audioUrl, name: input.fileName };
  return { type: 'message', text: audioReplyFormat(input.channelId) === 'card' ? '' : text, attachmentLayout: 'list', attachments: [attachment] };
}
