import { describe, expect, it } from 'vitest';
import { isBlockedFor, markBlocked, markerKey, noteCustomerMessage } from '../../../core/conversation-marker.js';
import { CONVERSATION_MARKER_ID, interactionRecordSchema } from '../../../core/record.js';

const t = (minutes: number) => new Date(Date.parse('2026-12-01T10:00:00.000Z') + minutes * 60_000).toISOString();

describe('the conversation marker record', () => {
  it('lives in the conversation partition under an id no event can have', () => {
    expect(markerKey('c1')).toEqual({ conversationId: 'c1', id: CONVERSATION_MARKER_ID });
    expect(CONVERSATION_MARKER_ID).not.toMatch(/^[0-9a-f]{32}$/);
  });

  it('keeps the latest customer message, whatever order they are noted in', () => {
    const first = noteCustomerMessage(undefined, 'c1', t(5), t(5));
    expect(interactionRecordSchema.parse(first).conversation?.lastCustomerMessageAt).toBe(t(5));
    expect(noteCustomerMessage(first, 'c1', t(1), t(6))).toBeUndefined();
    expect(noteCustomerMessage(first, 'c1', t(9), t(9))?.conversation?.lastCustomerMessageAt).toBe(t(9));
  });

  it('blocks replies to messages received up to the block, not to a message received after it', () => {
    const noted = noteCustomerMessage(undefined, 'c1', t(0), t(0));
    const blocked = markBlocked(noted, 'c1', { at: t(2), code: 'ConversationBlocked', eventId: 'e1' });
    expect(blocked?.conversation).toMatchObject({ lastCustomerMessageAt: t(0), blocked: { at: t(2), eventId: 'e1' } });
    expect(isBlockedFor(blocked?.conversation, t(0))).toBe(true);
    expect(isBlockedFor(blocked?.conversation, t(2))).toBe(true);
    // The customer wrote again after the block: the bot was let back in, its reply is tried.
    expect(isBlockedFor(blocked?.conversation, t(3))).toBe(false);
    expect(isBlockedFor(undefined, t(3))).toBe(false);
  });

  it('keeps the first block until the customer writes again, then records a new one', () => {
    const blocked = markBlocked(undefined, 'c1', { at: t(2), code: 'ConversationBlocked', eventId: 'e1' });
    expect(markBlocked(blocked, 'c1', { at: t(3), code: 'ConversationBlocked', eventId: 'e2' })).toBeUndefined();
    const wroteAgain = noteCustomerMessage(blocked, 'c1', t(4), t(4));
    expect(markBlocked(wroteAgain, 'c1', { at: t(5), code: 'ConversationBlocked', eventId: 'e3' })?.conversation?.blocked?.eventId).toBe('e3');
  });
});
