import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InteractionStore } from '../../../adapters/ports.js';
import type { BusEvent, MessageReceived } from '../../../core/events.js';
import { addFailure, applyEvent, completeClaim, releaseClaim, takeClaim, type ClaimOutcome, type ClaimRequest } from '../../../core/record-changes.js';
import { isBlockedFor, markBlocked, markerKey, noteCustomerMessage } from '../../../core/conversation-marker.js';
import { emptyRecord, isComplete, type InteractionRecord, type RecordKey } from '../../../core/record.js';
import { audioStoredEvent, mailSentEvent, messageReceivedEvent, replySentEvent } from '../../support/events.js';

export interface InteractionStoreContractOptions {
  name: string;
  /** A fresh, empty store and how to dispose of it. */
  create: () => Promise<{ store: InteractionStore; cleanup: () => Promise<void> }>;
  /** Why this adapter cannot run here; the suite is then skipped and says so. */
  skip?: string;
}

const T0 = Date.parse('2025-03-01T09:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

/** The four events of one interaction, each stage stamped at a distinct time. */
function interactionEvents(conversationId: string, text = 'Is my order ready?') {
  const received = messageReceivedEvent({ data: { conversationId, text, receivedAt: at(0) } });
  const follow = { correlationId: received.id };
  const audio = audioStoredEvent({ ...follow, occurredAt: at(1), data: { conversationId, text, receivedAt: at(0) } });
  const mail = mailSentEvent({ ...follow, data: { conversationId, at: at(2) } });
  const reply = replySentEvent({ ...follow, data: { conversationId, at: at(3) } });
  const key: RecordKey = { conversationId, id: received.id };
  return { key, received, audio, mail, reply };
}

function keyOf(event: MessageReceived): RecordKey {
  return { conversationId: event.data.conversationId, id: event.id };
}

async function apply(store: InteractionStore, event: BusEvent, now: string) {
  const key = { conversationId: event.data.conversationId, id: event.correlationId };
  return store.update(key, (current) => applyEvent(current, event, now));
}

async function claim(store: InteractionStore, key: RecordKey, request: ClaimRequest): Promise<ClaimOutcome> {
  // The change may run more than once (optimistic concurrency): the last run's outcome is the one stored.
  let outcome: ClaimOutcome | undefined;
  await store.update(key, (current) => {
    const result = takeClaim(current, key, request);
    outcome = result.outcome;
    return result.next;
  });
  if (outcome === undefined) throw new Error('the store never called the change');
  return outcome;
}

export function runInteractionStoreContract(options: InteractionStoreContractOptions): void {
  const title = `InteractionStore contract: ${options.name}${options.skip === undefined ? '' : ` (skipped: ${options.skip})`}`;
  describe.skipIf(options.skip !== undefined)(title, () => {
    let store: InteractionStore;
    let cleanup: () => Promise<void>;

    beforeEach(async () => {
      ({ store, cleanup } = await options.create());
    });
    afterEach(async () => {
      await cleanup();
    });

    it('returns undefined for a record that does not exist', async () => {
      expect(await store.get({ conversationId: 'conv-none', id: 'missing' })).toBeUndefined();
    });

    it('leaves nothing stored when the change returns undefined', async () => {
      const key = { conversationId: 'conv-noop', id: 'noop' };
      expect(await store.update(key, () => undefined)).toBeUndefined();
      expect(await store.get(key)).toBeUndefined();
    });

    it('ends in the same complete record whatever order the events arrive in', async () => {
      const events = interactionEvents('conv-order');
      const { received, audio, mail, reply } = events;
      const orders = [
        [received, audio, mail, reply],
        [audio, received, reply, mail],
        [mail, reply, audio, received],
        [reply, audio, mail, received],
      ];
      const results: InteractionRecord[] = [];
      for (const order of orders) {
        const fresh = await options.create();
        try {
          for (const event of order) await apply(fresh.store, event, at(10));
          const stored = await fresh.store.get(events.key);
          if (!stored) throw new Error('record missing');
          results.push({ ...stored, appliedEvents: [...stored.appliedEvents].sort() });
        } finally {
          await fresh.cleanup();
        }
      }
      const first = results[0]!;
      expect(isComplete(first)).toBe(true);
      expect(first.stages).toEqual({ received: at(0), spoken: at(1), emailed: at(2), replied: at(3) });
      expect(first.audio?.blobName).toBe(audio.data.blobName);
      expect(first.mail).toEqual({ recipients: mail.data.recipients, messageId: mail.data.messageId });
      expect(first.text).toBe(received.data.text);
      expect(first.appliedEvents).toEqual([received.id, audio.id, mail.id, reply.id].sort());
      for (const other of results.slice(1)) expect(other).toEqual(first);
    });

    it('changes nothing when an event is delivered again', async () => {
      const { key, received, audio } = interactionEvents('conv-redelivery');
      await apply(store, received, at(10));
      const before = await apply(store, audio, at(11));
      const again = await apply(store, audio, at(12));
      const againReceived = await apply(store, received, at(13));
      expect(again).toEqual(before);
      expect(againReceived).toEqual(before);
      const stored = await store.get(key);
      expect(stored?.updatedAt).toBe(at(11));
      expect(stored?.appliedEvents).toEqual([received.id, audio.id]);
    });

    it('loses no update when 20 writers change the same record at once', async () => {
      const key = { conversationId: 'conv-concurrent', id: 'rec-concurrent' };
      const writers = Array.from({ length: 20 }, (_, i) =>
        store.update(key, (current) =>
          addFailure(current, key, {
            function: 'mail',
            code: 'MailFailed',
            message: `attempt ${i}`,
            at: at(i),
            eventId: `event-${i}`,
          }),
        ),
      );
      await Promise.all(writers);
      const stored = await store.get(key);
      expect(stored?.failures.map((f) => f.eventId).sort()).toEqual(
        Array.from({ length: 20 }, (_, i) => `event-${i}`).sort(),
      );
    });

    it('gives a claim to exactly one of two concurrent owners', async () => {
      const key = keyOf(messageReceivedEvent({ data: { conversationId: 'conv-claim' } }));
      const now = new Date(T0);
      const outcomes = await Promise.all(
        ['worker-a', 'worker-b'].map((owner) => claim(store, key, { action: 'mail', owner, leaseMs: 60_000, now })),
      );
      expect([...outcomes].sort()).toEqual(['claimed', 'held']);
      const winner = outcomes[0] === 'claimed' ? 'worker-a' : 'worker-b';
      expect((await store.get(key))?.claims.mail?.owner).toBe(winner);
    });

    it('answers done to every owner once the claimed action completed', async () => {
      const key = { conversationId: 'conv-done', id: 'rec-done' };
      const now = new Date(T0);
      expect(await claim(store, key, { action: 'reply', owner: 'worker-a', leaseMs: 60_000, now })).toBe('claimed');
      await store.update(key, (current) => completeClaim(current, key, 'reply', 'worker-a', at(1)));
      const later = new Date(T0 + 3_600_000);
      expect(await claim(store, key, { action: 'reply', owner: 'worker-b', leaseMs: 60_000, now: later })).toBe('done');
      expect(await claim(store, key, { action: 'reply', owner: 'worker-a', leaseMs: 60_000, now: later })).toBe('done');
      expect((await store.get(key))?.claims.reply).toEqual({ owner: 'worker-a', expiresAt: at(1), doneAt: at(1) });
      // The other action's claim is independent.
      expect(await claim(store, key, { action: 'mail', owner: 'worker-b', leaseMs: 60_000, now: later })).toBe('claimed');
    });

    it('lets another owner take over an expired claim, and a released one at once', async () => {
      const key = { conversationId: 'conv-expired', id: 'rec-expired' };
      const lease = { action: 'mail' as const, leaseMs: 60_000 };
      expect(await claim(store, key, { ...lease, owner: 'worker-a', now: new Date(T0) })).toBe('claimed');
      expect(await claim(store, key, { ...lease, owner: 'worker-b', now: new Date(T0 + 59_000) })).toBe('held');
      expect(await claim(store, key, { ...lease, owner: 'worker-b', now: new Date(T0 + 61_000) })).toBe('claimed');
      expect((await store.get(key))?.claims.mail?.owner).toBe('worker-b');

      // Only the holder can release; then the next owner need not wait for the lease.
      const notHolder = await store.update(key, (current) => releaseClaim(current, 'mail', 'worker-a', at(2)));
      expect(notHolder?.claims.mail?.owner).toBe('worker-b');
      await store.update(key, (current) => releaseClaim(current, 'mail', 'worker-b', at(2)));
      expect((await store.get(key))?.claims.mail).toBeUndefined();
      expect(await claim(store, key, { ...lease, owner: 'worker-c', now: new Date(T0 + 62_000) })).toBe('claimed');
    });

    it('lists records updated in [from, to), newest first, at most max', async () => {
      for (let minute = 0; minute < 6; minute += 1) {
        const key = { conversationId: `conv-list-${minute % 2}`, id: `rec-list-${minute}` };
        await store.update(key, () => emptyRecord(key, at(minute)));
      }
      const from = new Date(at(1));
      const to = new Date(at(5));
      const ids = (records: InteractionRecord[]) => records.map((r) => r.id);
      expect(ids(await store.listUpdated(from, to, 100))).toEqual(['rec-list-4', 'rec-list-3', 'rec-list-2', 'rec-list-1']);
      expect(ids(await store.listUpdated(from, to, 2))).toEqual(['rec-list-4', 'rec-list-3']);
      expect(await store.listUpdated(new Date(at(60)), new Date(at(120)), 10)).toEqual([]);

      // A later update moves a record to its new time.
      const moved = { conversationId: 'conv-list-0', id: 'rec-list-0' };
      await store.update(moved, (current) => current && { ...current, updatedAt: at(4.5) });
      expect(ids(await store.listUpdated(from, to, 2))).toEqual(['rec-list-0', 'rec-list-4']);
    });

    it("keeps a conversation's marker record (blocked, last customer message) apart from the listed interactions", async () => {
      const conversationId = 'conv-marker';
      const received = messageReceivedEvent({ data: { conversationId, receivedAt: at(1) } });
      await apply(store, received, at(1));
      await store.update(markerKey(conversationId), (current) => noteCustomerMessage(current, conversationId, at(1), at(1)));
      await store.update(markerKey(conversationId), (current) =>
        markBlocked(current, conversationId, { at: at(2), code: 'ConversationBlocked', eventId: received.id }),
      );
      const marker = await store.get(markerKey(conversationId));
      expect(marker?.conversation).toEqual({
        lastCustomerMessageAt: at(1),
        blocked: { at: at(2), code: 'ConversationBlocked', eventId: received.id },
      });
      expect(isBlockedFor(marker?.conversation, at(1))).toBe(true);
      // listUpdated lists interactions only: the digest and the dashboard never show the marker.
      const listed = await store.listUpdated(new Date(at(0)), new Date(at(10)), 10);
      expect(listed.map((r) => r.id)).toEqual([received.id]);
    });

    it('keeps text exactly: Korean, emoji, quotes, backslashes, markup, line breaks', async () => {
      const text = '안녕하세요, 주문 확인 부탁드려요 😀👍🏽 "double" \'single\' `tick` \\ back\\slash <b>&amp;</b> ]]>\r\n다음 줄\tTab';
      const received = messageReceivedEvent({
        data: { conversationId: 'conv-유니코드', text, language: 'ko', customer: { id: 'user-κ', name: '김민지 "민지"' } },
      });
      const expected = applyEvent(undefined, received, at(0));
      const returned = await apply(store, received, at(0));
      expect(returned).toEqual(expected);
      const stored = await store.get(keyOf(received));
      expect(stored).toEqual(expected);
      expect(stored?.text).toBe(text);
      expect(stored?.customer?.name).toBe('김민지 "민지"');
    });

    it('refuses a change that produces an invalid record, as a permanent StorageRejected', async () => {
      const key = { conversationId: 'conv-invalid', id: 'rec-invalid' };
      await store.update(key, () => emptyRecord(key, at(0)));
      const invalid = store.update(key, (current) => current && ({ ...current, updatedAt: 'yesterday' }));
      await expect(invalid).rejects.toMatchObject({ name: 'TalkbackError', code: 'StorageRejected', retryable: false });
      expect((await store.get(key))?.updatedAt).toBe(at(0));
    });
  });
}
