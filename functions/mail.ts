import { recordKeyOf } from '../core/record.js';
import { channelNotice } from '../core/channel-notice.js';
import { interactionUrl } from '../core/console-url.js';
import { markerKey } from '../core/conversation-marker.js';
import { renderTranscriptEmail } from '../core/email.js';
import type { MailSent } from '../core/events.js';
import { followUpEventId } from '../core/ids.js';
import { audioLink } from './audio-link.js';
import { audioOf } from './restore-audio.js';
import { once } from './claim.js';
import { defineSubscriber } from './declarations.js';

/** audio.stored → one email to staff: transcript, customer, channel, the audio attached (when small) and linked. */
export const mail = defineSubscriber({
  kind: 'subscriber',
  name: 'mail',
  subscription: 'mail',
  subjects: ['audio.stored'],
  async handler(event, ctx) {
    const { config, ports, logger } = ctx;
    const key = recordKeyOf(event);
    const recipients = [...config.STAFF_EMAILS];
    const { result: messageId, fresh } = await once(ctx, key, 'mail', async () => {
      const attach = event.data.bytes <= config.MAIL_ATTACH_MAX_BYTES;
      // The blob must be there for the link too: re-created from the text if the store lost it.
      const bytes = await audioOf(ctx, event, { bytes: attach });
      const link = await audioLink(ctx, event.data.blobName);
      const state = (await (await ports.store()).get(markerKey(key.conversationId)))?.conversation;
      const notice = channelNotice({ channelId: event.data.channelId, receivedAt: event.data.receivedAt, state, now: ctx.now() });
      const rendered = await renderTranscriptEmail({
        event,
        notice,
        audioUrl: link.url,
        audioAttached: attach,
        linkExpiresAt: link.expiresAt.toISOString(),
        interactionUrl: interactionUrl(config.CONSOLE_BASE_URL, event.correlationId),
        staff: { locale: config.STAFF_LOCALE, timeZone: config.STAFF_TIME_ZONE },
      });
      const sent = await (await ports.mailer()).send({
        idempotencyKey: event.correlationId,
        from: config.MAIL_FROM,
        to: recipients,
        ...rendered,
        attachments: bytes
          ? [{ filename: `talkback-${event.correlationId}.mp3`, contentType: event.data.contentType, content: bytes }]
          : [],
      });
      return sent.messageId;
    });
    const now = ctx.now().toISOString();
    const sentEvent: MailSent = {
      id: followUpEventId('mail.sent', event.correlationId),
      correlationId: event.correlationId,
      subject: 'mail.sent',
      occurredAt: now,
      data: { conversationId: key.conversationId, at: now, recipients, messageId },
    };
    await (await ports.bus()).publish(sentEvent);
    logger.debug({ fresh, recipients: recipients.length }, 'staff emailed');
  },
});
