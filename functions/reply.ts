import { recordKeyOf } from '../core/record.js';
import { audioReplyActivity, audioReplyFormat } from '../core/audio-reply.js';
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
  async handler(event, ctx) {
    const { ports, logger } = ctx;
    const key = recordKeyOf(event);
    const format = audioReplyFormat(event.data.channelId);
    const { fresh } = await once(ctx, key, 'reply', async () => {
      const link = await audioLink(ctx, event.data.blobName);
      const activity = audioReplyActivity({
        channelId: event.data.channelId,
        language: event.data.language,
        audioUrl: link.url,
        fileName: `talkback-${event.correlationId}.mp3`,
      });
      await (await ports.chat()).send(event.data.reference, activity);
      return format;
    });
    const now = ctx.now().toISOString();
    const sentEvent: ReplySent = {
      id: followUpEventId('reply.sent', event.correlationId),
      correlationId: event.correlationId,
      subject: 'reply.sent',
      occurredAt: now,
      data: { conversationId: key.conversationId, at: now, format },
    };
    await (await ports.bus()).publish(sentEvent);
    logger.debug({ fresh, format }, 'audio reply sent');
  },
});
