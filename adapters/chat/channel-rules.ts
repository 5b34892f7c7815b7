import type { OutgoingActivity } from '../../core/audio-reply.js';
import { isBlockedFor, markBlocked, markerKey } from '../../core/conversation-marker.js';
import { TalkbackError, toTalkbackError, type ErrorCode } from '../../core/errors.js';
import type { StoredConversationReference } from '../../core/events.js';
import {
  hasMessagingWindow,
  isOutsideMessagingWindow,
  latestTime,
  messagingWindowClosesAt,
  retiredTagOf,
} from '../../core/messaging-window.js';
import type { ChatChannel, InteractionStore, SendContext, SendLimits } from '../ports.js';
import { channelErrorDetails } from './channel-error-details.js';

export interface ChannelRulesOptions {
  limits: SendLimits;
  /** Where a conversation's marker record (blocked, last customer message) is kept. */
  store: () => Promise<InteractionStore>;
  now: () => Date;
}

/** Teams answers these when it wants the same send again later (throttled, busy, gateway trouble). */
const TEAMS_RETRY_STATUSES: ReadonlyMap<number, ErrorCode> = new Map([
  [429, 'Throttled'],
  [412, 'Busy'],
  [502, 'ServiceUnavailable'],
  [504, 'Timeout'],
]);

/** Teams' answers for a bot that may no longer write to the conversation (blocked by the user, uninstalled). */
const TEAMS_BLOCKED_CODES = ['MessageWritesBlocked', 'ConversationBlockedByUser'];

/**
 * The channels' own rules, around whichever ChatChannel implementation the composition root built,
 * so that every implementation keeps them:
 * - Teams: sends to one conversation keep Teams' per-conversation limits (shared with the inbound
 *   endpoint's in-turn replies); 429/412/502/504 are retryable, after Teams' Retry-After when it gave
 *   one; a 403 MessageWritesBlocked marks the conversation blocked and is permanent, and later replies
 *   to it are refused here (ConversationBlocked) without calling Teams, until the customer writes again.
 * - Messenger: a reply that would leave the 24-hour standard window after the customer's last message
 *   is not sent (OutsideMessagingWindow); retired message tags are refused.
 */
export class RuledChatChannel implements ChatChannel {
  constructor(
    private readonly inner: ChatChannel,
    private readonly options: ChannelRulesOptions,
  ) {}

  async send(reference: StoredConversationReference, activity: OutgoingActivity, context: SendContext = {}): Promise<{ activityId?: string }> {
    const channelId = reference.channelId;
    const conversationId = reference.conversation.id;
    const tag = retiredTagOf((activity as { channelData?: unknown }).channelData);
    if (tag !== undefined) {
      throw new TalkbackError('BadRequest', `message tag ${tag} was retired by Messenger and fails`);
    }
    if (channelId === 'msteams') return this.sendToTeams(reference, activity, context);
    if (hasMessagingWindow(channelId)) await this.checkWindow(conversationId, context);
    return this.options.limits.run(channelId, conversationId, () => this.inner.send(reference, activity, context));
  }

  async close(): Promise<void> {
    await this.inner.close();
  }

  private async sendToTeams(reference: StoredConversationReference, activity: OutgoingActivity, context: SendContext) {
    const conversationId = reference.conversation.id;
    const receivedAt = context.customerMessageAt ?? this.options.now().toISOString();
    const state = (await (await this.options.store()).get(markerKey(conversationId)))?.conversation;
    if (isBlockedFor(state, receivedAt)) {
      throw new TalkbackError('ConversationBlocked', `Teams blocks the bot in this conversation since ${state?.blocked?.at ?? '?'}: not sent`, {
        details: { blockedAt: state?.blocked?.at },
      });
    }
    try {
      return await this.options.limits.run('msteams', conversationId, () => this.inner.send(reference, activity, context));
    } catch (caught) {
      throw await this.teamsFailure(caught, conversationId, context);
    }
  }

  private async teamsFailure(caught: unknown, conversationId: string, context: SendContext): Promise<TalkbackError> {
    const error = toTalkbackError(caught, 'ReplyFailed');
    const details = channelErrorDetails(caught);
    if (details.status === 403 && details.codes.some((c) => TEAMS_BLOCKED_CODES.includes(c))) {
      const at = this.options.now().toISOString();
      const block = { at, code: details.codes.includes('MessageWritesBlocked') ? 'MessageWritesBlocked' : 'ConversationBlockedByUser', eventId: context.eventId ?? '' };
      await (await this.options.store()).update(markerKey(conversationId), (current) => markBlocked(current, conversationId, block));
      return new TalkbackError('ConversationBlocked', `Teams refuses the bot in this conversation (403 ${block.code}): not sent`, {
        cause: caught,
        details: { blockedAt: at },
      });
    }
    const retryCode = details.status === undefined ? undefined : TEAMS_RETRY_STATUSES.get(details.status);
    if (retryCode !== undefined) {
      return new TalkbackError(retryCode, error.message, {
        cause: caught,
        ...(details.retryAfterMs === undefined ? {} : { retryAfterMs: details.retryAfterMs }),
      });
    }
    return error;
  }

  private async checkWindow(conversationId: string, context: SendContext): Promise<void> {
    const state = (await (await this.options.store()).get(markerKey(conversationId)))?.conversation;
    const last = latestTime(state?.lastCustomerMessageAt, context.customerMessageAt);
    // No known message time: nothing to decide on; Messenger itself refuses a send outside the window.
    if (last === undefined) return;
    const now = this.options.now();
    if (isOutsideMessagingWindow(last, now)) {
      throw new TalkbackError(
        'OutsideMessagingWindow',
        `the customer's last message was at ${last.toISOString()}: Messenger's 24-hour window closed at ${messagingWindowClosesAt(last).toISOString()}, not sent`,
        { details: { lastCustomerMessageAt: last.toISOString() } },
      );
    }
  }
}
