import { noteCustomerMessage, markerKey } from '../core/conversation-marker.js';
import { hasMessagingWindow } from '../core/messaging-window.js';
import { recordKeyOf } from '../core/record.js';
import { applyEvent } from '../core/record-changes.js';
import { defineSubscriber } from './declarations.js';

/**
 * Every event → the interaction's record: one document, stages filled in as events arrive, in any
 * order. A Messenger message also moves the conversation's last-customer-message time (its marker record).
 */
export const log = defineSubscriber({
  kind: 'subscriber',
  name: 'log',
  subscription: 'log',
  subjects: '*',
  async handler(event, ctx) {
    const key = recordKeyOf(event);
    const store = await ctx.ports.store();
    const now = ctx.now().toISOString();
    await store.update(key, (current) => applyEvent(current, event, now));
    if (event.subject === 'message.received' && hasMessagingWindow(event.data.channelId)) {
      // The conversation's last customer message opens Messenger's 24-hour reply window.
      const { conversationId, receivedAt } = event.data;
      await store.update(markerKey(conversationId), (current) => noteCustomerMessage(current, conversationId, receivedAt, now));
    }
  },
});
