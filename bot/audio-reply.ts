import { CardFactory, MessageFactory, type Activity } from 'botbuilder';
import type { Language } from '../core/language.js';
import { replies } from './replies.js';

export type AudioReplyFormat = 'attachment' | 'card';

/** Teams cannot play audio attachments: it gets a card with a link. Facebook, Web Chat and the Emulator play audio/mpeg. */
export function audioReplyFormat(channelId: string): AudioReplyFormat {
  return channelId === 'msteams' ? 'card' : 'attachment';
}

export function audioReplyActivity(input: {
  channelId: string;
  language: Language;
  audioUrl: string;
  fileName: string;
}): Partial<Activity> {
  const text = replies.audioReady[input.language];
  if (audioReplyFormat(input.channelId) === 'card') {
    const card = CardFactory.heroCard(text, undefined, [
      { type: 'openUrl', title: replies.listen[input.language], value: input.audioUrl },
    ]);
    return MessageFactory.attachment(card);
  }
  return MessageFactory.attachment(
    { contentType: 'audio/mpeg', contentUrl: input.audioUrl, name: input.fileName },
    text,
  );
}
