import type { ServiceBusReceivedMessage } from '@azure/service-bus';
import { describe, expect, it } from 'vitest';
import { toDeadLetteredMessage, toLockedMessage, toServiceBusMessage } from '../../../../adapters/bus/service-bus-message.js';
import { busEventSchema, type BusEvent } from '../../../../core/events.js';
import { audioStoredEvent, mailSentEvent, messageReceivedEvent, replySentEvent } from '../../../support/events.js';

const TEXT = '안녕하세요 <b>"주문"</b> & it\'s urgent: card XYZZY-4111';
const NAME = 'Kim Minji';

const EVENTS: Array<[string, BusEvent]> = [
  ['message.received', messageReceivedEvent({ data: { text: TEXT, language: 'ko' } })],
  ['audio.stored', audioStoredEvent({ data: { text: TEXT } })],
  ['mail.sent', mailSentEvent()],
  ['reply.sent', replySentEvent()],
];

describe('toServiceBusMessage', () => {
  it.each(EVENTS)('%s: message id, subject, correlation id and content type come from the event', (_, event) => {
    const message = toServiceBusMessage(event);
    expect(message.messageId).toBe(event.id);
    expect(message.subject).toBe(event.subject);
    expect(message.correlationId).toBe(event.correlationId);
    expect(message.contentType).toBe('application/json');
    // Service Bus refuses message ids longer than 128 characters.
    expect(String(message.messageId).length).toBeLessThanOrEqual(128);
  });

  it.each(EVENTS)('%s: the body survives the JSON encoding the SDK applies and parses back to the event', (_, event) => {
    const message = toServiceBusMessage(event);
    // What the SDK does with a non-Buffer body: JSON.stringify into a data section, JSON.parse on receive.
    const received: unknown = JSON.parse(Buffer.from(JSON.stringify(message.body), 'utf8').toString('utf8'));
    expect(received).toEqual(event);
    expect(busEventSchema.parse(received)).toEqual(event);
  });

  it.each(EVENTS)('%s: application properties are camelCase strings with routing facts and no text', (_, event) => {
    const properties = toServiceBusMessage(event).applicationProperties ?? {};
    const keys = Object.keys(properties);
    expect(keys.length).toBeGreaterThan(0);
    for (const key of keys) expect(key).toMatch(/^[a-z][a-zA-Z0-9]*$/);
    for (const value of Object.values(properties)) expect(typeof value).toBe('string');
    expect(properties).toMatchObject({ eventType: event.subject, conversationId: event.data.conversationId });

    const serialized = JSON.stringify(properties);
    expect(serialized).not.toContain(NAME);
    expect(serialized).not.toContain('주문');
    expect(serialized).not.toContain('XYZZY'); // not hex: cannot appear in a random id by chance
    if ('text' in event.data) expect(serialized).not.toContain(event.data.text);
  });

  it('carries the channel and language of interaction events', () => {
    const event = messageReceivedEvent({ data: { language: 'ko', channelId: 'msteams' } });
    expect(toServiceBusMessage(event).applicationProperties).toEqual({
      eventType: 'message.received',
      conversationId: event.data.conversationId,
      occurredAt: event.occurredAt,
      channelId: 'msteams',
      language: 'ko',
    });
  });
});

/** A received message as the SDK hands it over (its own interface; the SDK adds more fields). */
function received(overrides: Partial<ServiceBusReceivedMessage>): ServiceBusReceivedMessage {
  return {
    body: { hello: 'world' },
    messageId: 'm-1',
    subject: 'message.received',
    deliveryCount: 0,
    enqueuedTimeUtc: new Date('2025-01-02T03:04:05.000Z'),
    lockedUntilUtc: new Date('2025-01-02T03:04:35.000Z'),
    lockToken: '8c1f6f3e-1a2b-4c3d-9e8f-0a1b2c3d4e5f',
    state: 'active',
    _rawAmqpMessage: { body: { hello: 'world' }, bodyType: 'data' },
    ...overrides,
  };
}

describe('toLockedMessage', () => {
  it('counts the first delivery as 1 (the JS SDK reports the AMQP count of prior deliveries, 0)', () => {
    expect(toLockedMessage(received({ deliveryCount: 0 })).deliveryCount).toBe(1);
    expect(toLockedMessage(received({ deliveryCount: 1 })).deliveryCount).toBe(2);
  });

  it('keeps id, subject, body, times and lock token', () => {
    const message = received({ messageId: 'abc', body: { id: 'abc', n: 1 } });
    expect(toLockedMessage(message)).toEqual({
      messageId: 'abc',
      subject: 'message.received',
      body: { id: 'abc', n: 1 },
      deliveryCount: 1,
      enqueuedAt: new Date('2025-01-02T03:04:05.000Z'),
      lockedUntil: new Date('2025-01-02T03:04:35.000Z'),
      lockToken: '8c1f6f3e-1a2b-4c3d-9e8f-0a1b2c3d4e5f',
    });
  });

  it('turns numeric and binary message ids into text', () => {
    expect(toLockedMessage(received({ messageId: 42 })).messageId).toBe('42');
    expect(toLockedMessage(received({ messageId: Buffer.from('bin-id') })).messageId).toBe('bin-id');
  });
});

describe('toDeadLetteredMessage', () => {
  it('reads the reason and description Service Bus stores with the dead-lettered copy', () => {
    const message = received({
      deadLetterReason: 'EventInvalid',
      deadLetterErrorDescription: 'data.text: too short',
      state: 'active',
    });
    expect(toDeadLetteredMessage(message)).toMatchObject({
      messageId: 'm-1',
      subject: 'message.received',
      deliveryCount: 1,
      reason: 'EventInvalid',
      description: 'data.text: too short',
      deadLetteredAt: new Date('2025-01-02T03:04:05.000Z'),
    });
  });

  it('reports a missing reason as empty text rather than undefined', () => {
    expect(toDeadLetteredMessage(received({}))).toMatchObject({ reason: '', description: '' });
  });
});
