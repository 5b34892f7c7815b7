import { CONVERSATION_MARKER_ID, emptyRecord, type ConversationState, type InteractionRecord, type RecordKey } from './record.js';

/** Pure changes to a conversation's marker record (see CONVERSATION_MARKER_ID); stores apply them atomically. */

export function markerKey(conversationId: string): RecordKey {
  return { conversationId, id: CONVERSATION_MARKER_ID };
}

function next(current: InteractionRecord | undefined, conversationId: string, now: string, state: ConversationState): InteractionRecord {
  const base = current ? structuredClone(current) : emptyRecord(markerKey(conversationId), now);
  base.conversation = state;
  base.updatedAt = now;
  return base;
}

/** Notes a customer message; keeps the latest time (events arrive in any order). */
export function noteCustomerMessage(
  current: InteractionRecord | undefined,
  conversationId: string,
  receivedAt: string,
  now: string,
): InteractionRecord | undefined {
  const last = current?.conversation?.lastCustomerMessageAt;
  if (last !== undefined && Date.parse(last) >= Date.parse(receivedAt)) return undefined;
  return next(current, conversationId, now, { ...current?.conversation, lastCustomerMessageAt: receivedAt });
}

/** Marks the conversation blocked: replies to messages received before `at` are skipped. The first block is kept. */
export function markBlocked(
  current: InteractionRecord | undefined,
  conversationId: string,
  block: { at: string; code: string; eventId: string },
): InteractionRecord | undefined {
  const earlier = current?.conversation?.blocked;
  const lastMessage = current?.conversation?.lastCustomerMessageAt;
  // Already blocked, and no customer message since: nothing new to say.
  if (earlier && (lastMessage === undefined || Date.parse(lastMessage) <= Date.parse(earlier.at))) return undefined;
  return next(current, conversationId, block.at, { ...current?.conversation, blocked: block });
}

/**
 * Whether the channel refuses the bot in this conversation for a reply to a message received at
 * `receivedAt`. A customer cannot write to a bot they blocked: a message received after the block
 * means the bot was allowed back (unblocked, reinstalled), and its reply is tried again.
 */
export function isBlockedFor(state: ConversationState | undefined, receivedAt: string): boolean {
  const blocked = state?.blocked;
  if (!blocked) return false;
  return Date.parse(receivedAt) <= Date.parse(blocked.at);
}
