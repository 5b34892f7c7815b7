import { afterEach, describe, expect, it } from 'vitest';
import type { EventBus, SubscriptionSpec } from '../../../adapters/ports.js';
import { audioStoredEvent, messageReceivedEvent } from '../../support/events.js';

export interface DeadLetterContractOptions {
  name: string;
  create: (subscriptions: SubscriptionSpec[]) => Promise<{ bus: EventBus; cleanup: () => Promise<void> }>;
  skip?: string;
}

const TOPOLOGY: SubscriptionSpec[] = [
  { name: 'speech', subjects: ['message.received'] },
  { name: 'mail', subjects: ['audio.stored'] },
  { name: 'reply', subjects: ['audio.stored'] },
];
const WAIT_MS = 5_000;

/** Redrive and purge of dead letters: what the console's buttons and `talkback dlq` rely on. */
export function runDeadLetterContract(options: DeadLetterContractOptions): void {
  const suite = options.skip === undefined ? describe : describe.skip;
  if (options.skip !== undefined) console.info(`Dead-letter contract for ${options.name} skipped: ${options.skip}`);

  suite(`EventBus dead letters: ${options.name}`, () => {
    const cleanups: Array<() => Promise<void>> = [];
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    });
    async function open(): Promise<EventBus> {
      const { bus, cleanup } = await options.create(TOPOLOGY);
      cleanups.push(cleanup);
      return bus;
    }
    async function deadLetter(bus: EventBus, subscription: string, reason: string) {
      const receiver = bus.receiver(subscription);
      const [message] = await receiver.receive(1, WAIT_MS);
      expect(message).toBeDefined();
      await receiver.deadLetter(message!, reason, `${reason} for a test`);
      await receiver.close();
      return message!;
    }

    it('redrives one dead letter to its own subscription with its id, subject and body, delivered afresh, even inside the duplicate detection window', async () => {
      const bus = await open();
      const event = audioStoredEvent();
      await bus.publish(event);
      await deadLetter(bus, 'reply', 'ReplyFailed');
      expect((await bus.deadLetters('reply')).map((m) => m.messageId)).toEqual([event.id]);

      expect(await bus.redrive('reply', event.id)).toBe(1);
      expect(await bus.deadLetters('reply')).toEqual([]);
      const receiver = bus.receiver('reply');
      const [again] = await receiver.receive(1, WAIT_MS);
      expect(again).toMatchObject({ messageId: event.id, subject: 'audio.stored', body: event, deliveryCount: 1 });
      await receiver.complete(again!);
      await receiver.close();
      // The mail subscription's copy was completed long ago in production; here it is still queued, once.
      const mail = bus.receiver('mail');
      expect((await mail.receive(10, 300)).map((m) => m.messageId)).toEqual([event.id]);
      await mail.close();
    });

    it('keeps duplicate detection for publishes after a redrive', async () => {
      const bus = await open();
      const event = messageReceivedEvent();
      await bus.publish(event);
      await deadLetter(bus, 'speech', 'SpeechFailed');
      expect(await bus.redrive('speech')).toBe(1);
      await bus.publish(event);
      const receiver = bus.receiver('speech');
      const first = await receiver.receive(10, WAIT_MS);
      expect(first.map((m) => m.messageId)).toEqual([event.id]);
      await receiver.complete(first[0]!);
      expect(await receiver.receive(10, 300)).toEqual([]);
      await receiver.close();
    });

    it('redrives all dead letters of a subscription, and only of that one', async () => {
      const bus = await open();
      const a = audioStoredEvent();
      const b = audioStoredEvent();
      await bus.publish(a);
      await bus.publish(b);
      await deadLetter(bus, 'reply', 'X');
      await deadLetter(bus, 'reply', 'X');
      await deadLetter(bus, 'mail', 'Y');
      expect(await bus.redrive('reply')).toBe(2);
      expect(await bus.deadLetters('reply')).toEqual([]);
      expect(await bus.deadLetters('mail')).toHaveLength(1);
      expect(await bus.redrive('reply', 'no-such-id')).toBe(0);
    });

    it('purges one dead letter or all of them', async () => {
      const bus = await open();
      const a = messageReceivedEvent();
      const b = messageReceivedEvent();
      await bus.publish(a);
      await bus.publish(b);
      await deadLetter(bus, 'speech', 'X');
      await deadLetter(bus, 'speech', 'X');
      expect(await bus.purge('speech', a.id)).toBe(1);
      expect((await bus.deadLetters('speech')).map((m) => m.messageId)).toEqual([b.id]);
      expect(await bus.purge('speech')).toBe(1);
      expect(await bus.deadLetters('speech')).toEqual([]);
      const receiver = bus.receiver('speech');
      expect(await receiver.receive(10, 300)).toEqual([]);
      await receiver.close();
    });

    it('erases queued and dead-lettered messages of a conversation, where the bus can', async () => {
      const bus = await open();
      if (!bus.eraseMessages) return;
      const mine = audioStoredEvent({ data: { conversationId: 'conv-erase-me' } });
      const other = audioStoredEvent();
      const byCustomer = messageReceivedEvent({ data: { channelId: 'webchat', customer: { id: 'user-x', name: 'X' } } });
      await bus.publish(mine);
      await bus.publish(other);
      await bus.publish(byCustomer);
      await deadLetter(bus, 'speech', 'X');
      expect(await bus.eraseMessages({ conversationIds: ['conv-erase-me'] })).toBe(2);
      const receiver = bus.receiver('mail');
      expect((await receiver.receive(10, 300)).map((m) => m.messageId)).toEqual([other.id]);
      await receiver.close();
      expect(await bus.eraseMessages({ conversationIds: [], customer: { channelId: 'webchat', customerId: 'user-x' } })).toBe(1);
      expect(await bus.deadLetters('speech')).toEqual([]);
    });
  });
}
