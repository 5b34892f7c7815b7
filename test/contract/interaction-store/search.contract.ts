import { afterEach, describe, expect, it } from 'vitest';
import type { InteractionStore } from '../../../adapters/ports.js';
import type { BusEvent } from '../../../core/events.js';
import { markerKey, noteCustomerMessage } from '../../../core/conversation-marker.js';
import { addFailure, applyEvent } from '../../../core/record-changes.js';
import type { InteractionRecord } from '../../../core/record.js';
import { audioStoredEvent, messageReceivedEvent } from '../../support/events.js';

export interface InteractionStoreSearchContractOptions {
  name: string;
  create: () => Promise<{ store: InteractionStore; cleanup: () => Promise<void> }>;
  skip?: string;
}

const T0 = Date.parse('2026-12-01T09:00:00.000Z');
const at = (minutes: number) => new Date(T0 + minutes * 60_000).toISOString();

async function apply(store: InteractionStore, event: BusEvent, now: string) {
  const key = { conversationId: event.data.conversationId, id: event.correlationId };
  return store.update(key, (current) => applyEvent(current, event, now));
}

/** Search (the console's list and search box) and erase (a customer's right to be forgotten). */
export function runInteractionStoreSearchContract(options: InteractionStoreSearchContractOptions): void {
  const suite = options.skip === undefined ? describe : describe.skip;
  if (options.skip !== undefined) console.info(`InteractionStore search contract for ${options.name} skipped: ${options.skip}`);

  suite(`InteractionStore search and erase: ${options.name}`, () => {
    const cleanups: Array<() => Promise<void>> = [];
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    });
    async function open() {
      const { store, cleanup } = await options.create();
      cleanups.push(cleanup);
      return store;
    }

    /** Five interactions, one per minute: two of Kim's on emulator (one Korean), one failed, one of Lee on msteams. */
    async function seed(store: InteractionStore) {
      const kim = { id: 'user-kim', name: 'Kim Minji' };
      const lee = { id: 'user-lee', name: 'Lee Jun' };
      const make = [
        { conversationId: 'conv-a', customer: kim, channelId: 'emulator', text: 'Is my order ready?', language: 'en' as const },
        { conversationId: 'conv-a', customer: kim, channelId: 'emulator', text: '주문한 물건이 언제 도착하나요?', language: 'ko' as const },
        { conversationId: 'conv-b', customer: lee, channelId: 'msteams', text: 'Please call me back', language: 'en' as const },
        { conversationId: 'conv-c', customer: lee, channelId: 'msteams', text: 'Where is the invoice', language: 'en' as const },
        { conversationId: 'conv-d', customer: kim, channelId: 'webchat', text: 'Thanks', language: 'en' as const },
      ];
      const records: InteractionRecord[] = [];
      for (const [i, data] of make.entries()) {
        const received = messageReceivedEvent({ data: { ...data, receivedAt: at(i) } });
        let record = await apply(store, received, at(i));
        if (i === 1) {
          const audio = audioStoredEvent({ correlationId: received.id, occurredAt: at(i), data: { ...data, receivedAt: at(i) } });
          record = await apply(store, audio, at(i));
        }
        if (i === 3) {
          const key = { conversationId: data.conversationId, id: received.id };
          const failure = { function: 'reply', code: 'ReplyFailed', message: 'forbidden', at: at(i), eventId: received.id };
          record = await store.update(key, (current) => addFailure(current, key, failure));
        }
        records.push(record!);
        // The conversation's marker record (its state): never listed, erased with the conversation's last interaction.
        await store.update(markerKey(data.conversationId), (current) => noteCustomerMessage(current, data.conversationId, at(i), at(i)));
      }
      return records;
    }

    it('lists newest first, in pages that continue where the last one stopped', async () => {
      const store = await open();
      const records = await seed(store);
      const first = await store.search({ limit: 2 });
      expect(first.records.map((r) => r.id)).toEqual([records[4]!.id, records[3]!.id]);
      expect(first.next).toBeDefined();
      const second = await store.search({ limit: 2, cursor: first.next! });
      expect(second.records.map((r) => r.id)).toEqual([records[2]!.id, records[1]!.id]);
      const third = await store.search({ limit: 2, cursor: second.next! });
      expect(third.records.map((r) => r.id)).toEqual([records[0]!.id]);
      expect(third.next).toBeUndefined();
    });

    it('finds by text (Korean too), customer name or id, conversation, channel, stage, failure code and date', async () => {
      const store = await open();
      const records = await seed(store);
      const ids = async (query: Parameters<InteractionStore['search']>[0]) => (await store.search(query)).records.map((r) => r.id);
      expect(await ids({ limit: 10, text: '도착' })).toEqual([records[1]!.id]);
      expect(await ids({ limit: 10, text: 'kim minji' })).toEqual([records[4]!.id, records[1]!.id, records[0]!.id]);
      expect(await ids({ limit: 10, text: 'USER-LEE' })).toEqual([records[3]!.id, records[2]!.id]);
      expect(await ids({ limit: 10, text: 'conv-b' })).toEqual([records[2]!.id]);
      expect(await ids({ limit: 10, text: records[0]!.id })).toEqual([records[0]!.id]);
      expect(await ids({ limit: 10, id: records[2]!.id })).toEqual([records[2]!.id]);
      expect(await ids({ limit: 10, id: 'no-such-id' })).toEqual([]);
      expect(await ids({ limit: 10, id: records[1]!.appliedEvents.at(-1)! })).toEqual([records[1]!.id]);
      expect(await ids({ limit: 10, channelId: 'msteams' })).toEqual([records[3]!.id, records[2]!.id]);
      expect(await ids({ limit: 10, stage: 'spoken' })).toEqual([records[1]!.id]);
      expect(await ids({ limit: 10, missingStage: 'spoken', channelId: 'emulator' })).toEqual([records[0]!.id]);
      expect(await ids({ limit: 10, failureCode: 'ReplyFailed' })).toEqual([records[3]!.id]);
      expect(await ids({ limit: 10, from: new Date(at(1)), to: new Date(at(3)) })).toEqual([records[2]!.id, records[1]!.id]);
      expect(await ids({ limit: 10, text: 'nothing like this' })).toEqual([]);
    });

    it('pages through a filtered search', async () => {
      const store = await open();
      const records = await seed(store);
      const first = await store.search({ limit: 1, text: 'kim' });
      const second = await store.search({ limit: 1, text: 'kim', cursor: first.next! });
      expect([...first.records, ...second.records].map((r) => r.id)).toEqual([records[4]!.id, records[1]!.id]);
    });

    it('erases one customer on one channel, or one conversation, and returns what it deleted', async () => {
      const store = await open();
      const records = await seed(store);
      const erased = await store.erase({ channelId: 'emulator', customerId: 'user-kim' });
      expect(erased.map((r) => r.id).sort()).toEqual([records[0]!.id, records[1]!.id].sort());
      expect(await store.get({ conversationId: 'conv-a', id: records[0]!.id })).toBeUndefined();
      // Kim on another channel is another identity: kept.
      expect(await store.get({ conversationId: 'conv-d', id: records[4]!.id })).toBeDefined();
      const byConversation = await store.erase({ conversationId: 'conv-b' });
      expect(byConversation.map((r) => r.id)).toEqual([records[2]!.id]);
      expect((await store.search({ limit: 10 })).records.map((r) => r.id)).toEqual([records[4]!.id, records[3]!.id]);
      expect(await store.erase({ conversationId: 'conv-none' })).toEqual([]);
      // conv-a and conv-b have no interaction left: their markers went too; conv-d's stays with its interaction.
      expect(await store.get(markerKey('conv-a'))).toBeUndefined();
      expect(await store.get(markerKey('conv-b'))).toBeUndefined();
      expect(await store.get(markerKey('conv-d'))).toBeDefined();
    });
  });
}
