import { recordKeyOf } from '../core/record.js';
import { audioReplyActivity, audioReplyFormat } from '../bot/audio-reply.js';
import type { ReplySent } from '../core/events.js';
import { followUpEventId } from '../core/ids.js';
import { audioLink } from './audio-link.js';
import { once } from './claim.js';
import { defineSubscriber } from './declarations.js';

/** audio.stored → the customer gets the audio back in the chat (a card with a link on Teams). */
export const reply = defineSubscriber({
  kind: 'subscriber',
  name: 'reply',
  subscription: 'reply',
  subjects: ['audio.stored'],
  async handler(event, { services, logger }) {
    const key = recordKeyOf(event);
    const format = audioReplyFormat(event.data.channelId);
    const { fresh } = await once(services, key, 'reply', async () => {
      const link = await audioLink(services, event.data.blobName);
      const activity = audioReplyActivity({
        channelId: event.data.channelId,
        language: event.data.language,
        audioUrl: link.url,
        fileName: `talkback-${event.correlationId}.mp3`,
      });
      await (await services.bot()).sendToConversation(event.data.reference, activity);
      return format;
    });
    const now = services.now().toISOString();
    const sentEvent: ReplySent = {
      id: followUpEventId('reply.sent', event.correlationId),
      correlationId: event.correlationId,
      subject: 'reply.sent',
      occurredAt: now,
      data: { conversationId: key.conversationId, at: now, format },
    };
    await (await services.bus()).publish(sentEvent);
    logger.debug({ fresh, format }, 'audio reply sent');
  },
});
