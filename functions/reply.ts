import { toTalkbackError, type ErrorCode } from '../core/errors.js';
import { recordKeyOf } from '../core/record.js';
import { addFailure } from '../core/record-changes.js';
import { audioReplyActivity, audioReplyFormat } from '../core/audio-reply.js';
import type { ReplySent } from '../core/events.js';
import { followUpEventId } from '../core/ids.js';
import { audioLink } from './audio-link.js';
import { audioOf } from './restore-audio.js';
import { once } from './claim.js';
import { defineSubscriber } from './declarations.js';

/** Channel rules that forbid a reply (adapters/chat/channel-rules.ts): the reply is skipped, not failed. */
const SKIPPED: readonly ErrorCode[] = ['ConversationBlocked', 'OutsideMessagingWindow'];
const SKIPPED_PREFIX = 'skipped:';

/** audio.stored → the customer gets the audio back in the chat: a Listen card everywhere, and the audio itself where the channel plays it. */
export const reply = defineSubscriber({
  kind: 'subscriber',
  name: 'reply',
  subscription: 'reply',
  subjects: ['audio.stored'],
  async handler(event, ctx) {
    const { ports, logger } = ctx;
    const key = recordKeyOf(event);
    const format = audioReplyFormat(event.data.channelId);
    const { result, fresh } = await once(ctx, key, 'reply', async () => {
      // Never a link to nothing: the blob is re-created from the text if the store lost it.
      await audioOf(ctx, event, { bytes: false });
      const link = await audioLink(ctx, event.data.blobName);
      const activity = audioReplyActivity({
        channelId: event.data.channelId,
        language: event.data.language,
        audioUrl: link.url,
        fileName: `talkback-${event.correlationId}.mp3`,
      });
      try {
        await (await ports.chat()).send(event.data.reference, activity, { eventId: event.id, customerMessageAt: event.data.receivedAt });
      } catch (caught) {
        const error = toTalkbackError(caught);
        if (!SKIPPED.includes(error.code)) throw error;
        // The channel's rules forbid this reply: recorded on the record, done (never retried), no reply.sent.
        const failure = { function: 'reply', code: error.code, message: error.message.slice(0, 500), at: ctx.now().toISOString(), eventId: event.id, skipped: true };
        await (await ports.store()).update(key, (current) => addFailure(current, key, failure));
        return `${SKIPPED_PREFIX}${error.code}`;
      }
      return format;
    });
    if (result.startsWith(SKIPPED_PREFIX)) {
      logger.info({ fresh, code: result.slice(SKIPPED_PREFIX.length) }, 'audio reply skipped by the channel rules');
      return;
    }
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
