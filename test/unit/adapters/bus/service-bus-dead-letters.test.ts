import type { ServiceBusReceivedMessage, ServiceBusReceiver } from '@azure/service-bus';
import { describe, expect, it } from 'vitest';
import { settleDeadLetters, type DeadLetterReceiver } from '../../../../adapters/bus/service-bus-dead-letters.js';
import { toRedrivenMessage, toServiceBusMessage } from '../../../../adapters/bus/service-bus-message.js';
import { audioStoredEvent } from '../../../support/events.js';

/**
 * A `$deadletterqueue` in peek-lock mode as the SDK's ServiceBusReceiver behaves: a received message
 * is locked (not handed out again) until completed (gone) or abandoned (back in the queue).
 */
class FakeDeadLetterQueue implements DeadLetterReceiver {
  readonly locked = new Set<ServiceBusReceivedMessage>();
  completed: string[] = [];
  abandoned: string[] = [];
  constructor(public queue: ServiceBusReceivedMessage[]) {}
  receiveMessages: ServiceBusReceiver['receiveMessages'] = async (max) => {
    const free = this.queue.filter((m) => !this.locked.has(m)).slice(0, Math.min(max, 2));
    for (const m of free) this.locked.add(m);
    return free;
  };
  completeMessage: ServiceBusReceiver['completeMessage'] = async (message) => {
    this.locked.delete(message);
    this.queue = this.queue.filter((m) => m !== message);
    this.completed.push(String(message.messageId));
  };
  abandonMessage: ServiceBusReceiver['abandonMessage'] = async (message) => {
    this.locked.delete(message);
    this.abandoned.push(String(message.messageId));
  };
}

function deadLetter(id: string, enqueuedTimeUtc = new Date(0)): ServiceBusReceivedMessage {
  const event = audioStoredEvent({ id });
  const sent = toServiceBusMessage(event);
  return {
    ...sent,
    body: event,
    enqueuedTimeUtc,
    deliveryCount: 9,
    deadLetterReason: 'ReplyFailed',
    deadLetterErrorDescription: 'forbidden',
    applicationProperties: { ...sent.applicationProperties, DeadLetterReason: 'ReplyFailed', DeadLetterErrorDescription: 'forbidden' },
    state: 'active',
    _rawAmqpMessage: { body: event },
  };
}

describe('settleDeadLetters', () => {
  it('acts on and completes every dead letter when no id is given', async () => {
    const queue = new FakeDeadLetterQueue([deadLetter('a'), deadLetter('b'), deadLetter('c')]);
    const acted: string[] = [];
    const outcome = await settleDeadLetters(queue, { act: async (m) => void acted.push(String(m.messageId)), maxWaitMs: 1 });
    expect(outcome.settled).toBe(3);
    expect(acted).toEqual(['a', 'b', 'c']);
    expect(queue.queue).toEqual([]);
  });

  it('settles only the selected message and gives the others back untouched, each seen once', async () => {
    const queue = new FakeDeadLetterQueue([deadLetter('a'), deadLetter('b'), deadLetter('c'), deadLetter('d')]);
    const outcome = await settleDeadLetters(queue, { messageId: 'c', act: async () => undefined, maxWaitMs: 1 });
    expect(outcome.settled).toBe(1);
    expect(queue.completed).toEqual(['c']);
    expect(queue.abandoned.sort()).toEqual(['a', 'b', 'd']);
    expect(queue.queue.map((m) => m.messageId)).toEqual(['a', 'b', 'd']);
    expect(queue.locked.size).toBe(0);
  });

  it('leaves a message in the queue when acting on it fails, and reports the failure', async () => {
    const queue = new FakeDeadLetterQueue([deadLetter('a')]);
    await expect(settleDeadLetters(queue, { act: async () => Promise.reject(new Error('send failed')), maxWaitMs: 1 })).rejects.toThrow('send failed');
    expect(queue.completed).toEqual([]);
    expect(queue.queue).toHaveLength(1);
  });

  it('holds back messages that are not eligible (too young to resend)', async () => {
    const queue = new FakeDeadLetterQueue([deadLetter('old', new Date(0)), deadLetter('young', new Date())]);
    const outcome = await settleDeadLetters(queue, {
      act: async () => undefined,
      eligible: (m) => m.enqueuedTimeUtc!.getTime() === 0,
      maxWaitMs: 1,
    });
    expect(outcome.settled).toBe(1);
    expect(outcome.held.map((m) => m.messageId)).toEqual(['young']);
    expect(queue.abandoned).toEqual(['young']);
  });
});

describe('toRedrivenMessage', () => {
  it('keeps the original id, subject, correlation, content type, body and routing properties, and drops the dead-letter ones', () => {
    const message = deadLetter('event-1');
    const redriven = toRedrivenMessage(message);
    expect(redriven).toMatchObject({
      messageId: 'event-1',
      subject: 'audio.stored',
      correlationId: message.correlationId,
      contentType: 'application/json',
      body: message.body,
    });
    expect(redriven.applicationProperties).toEqual(toServiceBusMessage(message.body as never).applicationProperties);
    expect(Object.keys(redriven.applicationProperties ?? {})).not.toContain('DeadLetterReason');
  });
});
