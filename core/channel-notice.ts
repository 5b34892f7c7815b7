import { isBlockedFor } from './conversation-marker.js';
import { hasMessagingWindow, isOutsideMessagingWindow, latestTime, messagingWindowClosesAt } from './messaging-window.js';
import type { ConversationState } from './record.js';

export interface ChannelNoticeInput {
  channelId: string;
  /** When the customer's message was received (ISO). */
  receivedAt: string;
  /** The conversation's marker state, if any. */
  state: ConversationState | undefined;
  now: Date;
}

/**
 * What the staff email must say when the bot cannot answer the customer in the chat: Teams blocks
 * the bot in the conversation, or Messenger's 24-hour window after the customer's last message has
 * closed. Undefined when the chat reply can go out.
 */
export function channelNotice(input: ChannelNoticeInput): string | undefined {
  if (input.channelId === 'msteams' && isBlockedFor(input.state, input.receivedAt)) {
    return (
      `the bot is blocked in this Teams conversation (since ${input.state?.blocked?.at ?? '?'}): ` +
      'the customer does not get the audio reply in the chat. Answer them another way.'
    );
  }
  if (hasMessagingWindow(input.channelId)) {
    const last = latestTime(input.state?.lastCustomerMessageAt, input.receivedAt);
    if (last && isOutsideMessagingWindow(last, input.now)) {
      return (
        `this Messenger conversation is outside the 24-hour messaging window (the customer last wrote at ${last.toISOString()}, ` +
        `the window closed at ${messagingWindowClosesAt(last).toISOString()}): the bot cannot send the audio reply. ` +
        'The customer must be answered another way.'
      );
    }
  }
  return undefined;
}
