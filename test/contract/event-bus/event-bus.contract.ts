import { afterEach, describe, expect, it } from 'vitest';
import type { EventBus, LockedMessage, SubscriptionSpec } from '../../../adapters/ports.js';
import { audioStoredEvent, mailSentEvent, messageReceivedEvent } from '../../support/events.js';

export interface EventBusContractOptions {
  name: string;
  /** A fresh, empty topic with exactly these subscriptions, and how to tear it down. */
  create: (subscriptions: SubscriptionSpec[]) => Promise<{ bus: EventBus; cleanup: () => Promise<void> }>;
  /** Why this adapter cannot run here; the suite is skipped and says so. */
  skip?: string;
}

/** The subscriptions of talkback's topic, as the functions declare them. */
const TOPOLOGY: SubscriptionSpec[] = [
  { name: 'speech', subjects: ['message.received'] },
  { name: 'log', subjects: '*' },
  { name: 'mail', subjects: ['audio.stored'] },
  { name: 'reply', subjects: ['audio.stored'] },
];

/** Generous wait for a message that must arrive: a real broker answers over the network. */
const WAIT_MS = 5_000;
/** How long to look for a message that must not arrive (a broker delivers within this when it would). */
const QUIET_MS = 300;

/** Receives until `count` messages arrived or a receive comes back empty. */
async function receiveAll(bus: EventBus, subscription: string, count: number): Promise<LockedMessage[]> {
  const receiver = bus.receiver(subscription);
  const all: LockedMessage[] = [];
  while (all.length < count) {
    const batch = await receiver.receive(count - all.length, WAIT_MS);
    if (batch.length === 0) break;
    all.push(...batch);
  }
  return all;
}

export function runEventBusContract(options: EventBusContractOptions): void {
  const suite = options.skip === undefined ? describe : describe.skip;
  if (options.skip !== undefined) console.info(`EventBus contract for ${options.name} skipped: ${options.skip}`);

  suite(`EventBus contract: ${options.name}`, () => {
    const cleanups: Array<() => Promise<void>> = [];
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    });
    async function open(subscriptions = TOPOLOGY): Promise<EventBus> {
      const { bus, cleanup } = await options.create(subscriptions);
      cleanups.push(cleanup);
      return bus;
    }

    it('delivers a message to every subscription whose filter matches its subject, and to no other', async () => {
      const bus = await open();
      const received = messageReceivedEvent();
      const stored = audioStoredEvent();
      await bus.publish(received);
      await bus.publish(stored);

      const ids = async (sub: string, expected: number) => {
        const messages = await receiveAll(bus, sub, expected);
        const extra = await bus.receiver(sub).receive(10, QUIET_MS);
        return [...messages, ...extra].map((m) => m.messageId).sort();
      };
      expect(await ids('speech', 1)).toEqual([received.id]);
      expect(await ids('mail', 1)).toEqual([stored.id]);
      expect(await ids('reply', 1)).toEqual([stored.id]);
      expect(await ids('log', 2)).toEqual([received.id, stored.id].sort());
    });

    it("gives a '*' subscription every subject, including ones no other subscription takes", async () => {
      const bus = await open();
      const sent = mailSentEvent();
      await bus.publish(sent);
      const [message] = await receiveAll(bus, 'log', 1);
      expect(message?.messageId).toBe(sent.id);
      expect(message?.subject).toBe('mail.sent');
      expect(await bus.receiver('speech').receive(1, QUIET_MS)).toEqual([]);
    });

    it('carries message id, subject and body unchanged, with a first delivery count of 1', async () => {
      const bus = await open();
      const event = messageReceivedEvent({ data: { text: '안녕하세요, 주문 확인 부탁드립니다' } });
      await bus.publish(event);
      const [message] = await receiveAll(bus, 'speech', 1);
      expect(message).toBeDefined();
      expect(message!.messageId).toBe(event.id);
      expect(message!.subject).toBe('message.received');
      expect(message!.body).toEqual(event);
      expect(message!.deliveryCount).toBe(1);
      expect(message!.lockToken).not.toBe('');
      expect(message!.lockedUntil.getTime()).toBeGreaterThan(message!.enqueuedAt.getTime());
    });

    it('delivers in publish order and never more than asked for', async () => {
      const bus = await open();
      const events = Array.from({ length: 5 }, () => messageReceivedEvent());
      for (const event of events) await bus.publish(event);
      const receiver = bus.receiver('speech');
      const first = await receiver.receive(2, WAIT_MS);
      expect(first.length).toBeLessThanOrEqual(2);
      const rest = await receiveAll(bus, 'speech', 5 - first.length);
      expect([...first, ...rest].map((m) => m.messageId)).toEqual(events.map((e) => e.id));
    });

    it('hides a locked message from other receivers, and removes a completed one', async () => {
      const bus = await open();
      await bus.publish(messageReceivedEvent());
      const [message] = await receiveAll(bus, 'speech', 1);
      expect(await bus.receiver('speech').receive(1, QUIET_MS)).toEqual([]);
      await bus.receiver('speech').complete(message!);
      expect(await bus.receiver('speech').receive(1, QUIET_MS)).toEqual([]);
    });

    it('redelivers an abandoned message with its delivery count raised', async () => {
      const bus = await open();
      const event = messageReceivedEvent();
      await bus.publish(event);
      const receiver = bus.receiver('speech');
      const [first] = await receiveAll(bus, 'speech', 1);
      await receiver.abandon(first!);
      const [second] = await receiveAll(bus, 'speech', 1);
      expect(second?.messageId).toBe(event.id);
      expect(second?.deliveryCount).toBe(2);
      expect(second?.lockToken).not.toBe(first?.lockToken);
    });

    it('keeps an abandoned message from its next delivery for the abandon delay', async () => {
      const bus = await open();
      const event = messageReceivedEvent();
      await bus.publish(event);
      const [first] = await receiveAll(bus, 'speech', 1);
      const delayMs = 1_500;
      const abandonedAt = Date.now();
      const abandoning = bus.receiver('speech').abandon(first!, { delayMs });
      expect(await bus.receiver('speech').receive(1, QUIET_MS)).toEqual([]);
      await abandoning;
      const [second] = await receiveAll(bus, 'speech', 1);
      expect(Date.now() - abandonedAt).toBeGreaterThanOrEqual(delayMs - 50); // less what timer rounding may take off
      expect(second).toMatchObject({ messageId: event.id, deliveryCount: 2 });
    });

    it('moves a dead-lettered message to the dead-letter list with reason and description', async () => {
      const bus = await open();
      const event = messageReceivedEvent();
      await bus.publish(event);
      const receiver = bus.receiver('speech');
      const [message] = await receiveAll(bus, 'speech', 1);
      await receiver.deadLetter(message!, 'EventInvalid', 'data.text: too short');

      expect(await receiver.receive(1, QUIET_MS)).toEqual([]);
      const dead = await bus.deadLetters('speech');
      expect(dead).toHaveLength(1);
      expect(dead[0]).toMatchObject({
        messageId: event.id,
        subject: 'message.received',
        body: event,
        deliveryCount: 1,
        reason: 'EventInvalid',
        description: 'data.text: too short',
      });
      expect(await bus.deadLetters('log')).toEqual([]);
    });

    it('drops a second publish of the same message id', async () => {
      const bus = await open();
      const event = messageReceivedEvent();
      await bus.publish(event);
      await bus.publish(event);
      const messages = await receiveAll(bus, 'speech', 1);
      const extra = await bus.receiver('speech').receive(10, QUIET_MS);
      expect([...messages, ...extra].map((m) => m.messageId)).toEqual([event.id]);
    });

    it('throws LockLost when a message is settled twice or its lock is renewed after settling', async () => {
      const bus = await open();
      await bus.publish(messageReceivedEvent());
      const receiver = bus.receiver('speech');
      const [message] = await receiveAll(bus, 'speech', 1);
      await receiver.complete(message!);
      await expect(receiver.complete(message!)).rejects.toMatchObject({ name: 'TalkbackError', code: 'LockLost' });
      await expect(receiver.abandon(message!)).rejects.toMatchObject({ code: 'LockLost' });
      await expect(receiver.renewLock(message!)).rejects.toMatchObject({ code: 'LockLost' });
    });

    it('renews a lock to a later expiry', async () => {
      const bus = await open();
      await bus.publish(messageReceivedEvent());
      const receiver = bus.receiver('speech');
      const [message] = await receiveAll(bus, 'speech', 1);
      const before = message!.lockedUntil.getTime();
      const renewed = await receiver.renewLock(message!);
      expect(renewed.getTime()).toBeGreaterThanOrEqual(before);
      await receiver.complete(message!);
    });

    it('returns an empty batch when nothing arrives in time', async () => {
      const bus = await open();
      expect(await bus.receiver('mail').receive(5, QUIET_MS)).toEqual([]);
    });

    it('wakes a waiting receive when a message is published', async () => {
      const bus = await open();
      const waiting = bus.receiver('mail').receive(1, 30_000);
      const event = audioStoredEvent();
      await bus.publish(event);
      const [message] = await waiting;
      expect(message?.messageId).toBe(event.id);
    });
  });
}
