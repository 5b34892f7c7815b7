import type { Activity, Attachment } from 'botbuilder';
import type { Language } from '../core/language.js';
import { replies } from './replies.js';

export type AudioReplyFormat = 'attachment' | 'card';

/** Teams cannot play audio attachments: it gets a card with a link. Facebook, Web Chat and the Emulator play audio/mpeg. */
export function audioReplyFormat(channelId: string): AudioReplyFormat {
  return channelId === 'msteams' ? 'card' : 'attachment';
}

/**
 * The proactive message carrying the audio. Built as plain Bot Framework JSON (what CardFactory and
 * MessageFactory produce) so that the reply function's module does not load botbuilder until it sends.
 */
export function audioReplyActivity(input: {
  channelId: string;
  language: Language;
  audioUrl: string;
  fileName: string;
}): Partial<Activity> {
  const text = replies.audioReady[input.language];
  const attachment: Attachment =
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
