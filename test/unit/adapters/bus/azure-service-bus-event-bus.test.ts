import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AzureServiceBusEventBus } from '../../../../adapters/bus/azure-service-bus-event-bus.js';
import { isTalkbackError } from '../../../../core/errors.js';
import { messageReceivedEvent } from '../../../support/events.js';

/**
 * No Service Bus namespace is reachable from here, so these tests pin down what the adapter does
 * with the real SDK when the namespace cannot be reached: a local TCP server on a free port accepts
 * each connection and hangs up at once.
 */
const KEY = 'dGhpcy1pcy1hLXRlc3Qta2V5LW5vdC1hLXNlY3JldA==';
let server: net.Server;
let port = 0;
let connections = 0;

beforeAll(async () => {
  server = net.createServer((socket) => {
    connections += 1;
    socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as net.AddressInfo).port;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function connectionString(): string {
  return `Endpoint=sb://127.0.0.1:${port}/;SharedAccessKeyName=RootManageSharedAccessKey;SharedAccessKey=${KEY}`;
}

async function failure(work: Promise<unknown>): Promise<unknown> {
  return work.then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe('AzureServiceBusEventBus against an unreachable namespace', () => {
  it('fails publish, receive and dead-letter peeks with retryable TalkbackErrors that never carry the key', async () => {
    const bus = new AzureServiceBusEventBus({ connectionString: connectionString(), topicName: 'chat-events', maxRetries: 0 });
    const before = connections;
    try {
      const event = messageReceivedEvent();
      const errors = [
        await failure(bus.publish(event)),
        await failure(bus.receiver('speech').receive(1, 1_000)),
        await failure(bus.deadLetters('speech')),
      ];
      for (const error of errors) {
        expect(isTalkbackError(error)).toBe(true);
        expect(error).toMatchObject({ retryable: true });
        expect((error as Error).message).not.toContain(KEY);
      }
      expect((errors[0] as Error).message).toContain(`publish message.received ${event.id}`);
      expect(connections).toBeGreaterThan(before);
    } finally {
      await bus.close();
    }
  });

  it('throws LockLost when settling a message it never handed out', async () => {
    const bus = new AzureServiceBusEventBus({ connectionString: connectionString(), topicName: 'chat-events' });
    try {
      const stranger = {
        messageId: 'm-1',
        subject: 'message.received',
        body: {},
        deliveryCount: 1,
        enqueuedAt: new Date(),
        lockedUntil: new Date(Date.now() + 30_000),
        lockToken: '8c1f6f3e-1a2b-4c3d-9e8f-0a1b2c3d4e5f',
      };
      const receiver = bus.receiver('speech');
      await expect(receiver.complete(stranger)).rejects.toMatchObject({ name: 'TalkbackError', code: 'LockLost' });
      await expect(receiver.abandon(stranger)).rejects.toMatchObject({ code: 'LockLost' });
      await expect(receiver.deadLetter(stranger, 'EventInvalid', 'x')).rejects.toMatchObject({ code: 'LockLost' });
      await expect(receiver.renewLock(stranger)).rejects.toMatchObject({ code: 'LockLost' });
    } finally {
      await bus.close();
    }
  });

  it('refuses a malformed connection string as ConfigInvalid without echoing it', () => {
    const attempt = () => new AzureServiceBusEventBus({ connectionString: `Endpoint=sb://x/;SharedAccessKey${KEY}`, topicName: 't' });
    expect(attempt).toThrow(expect.objectContaining({ name: 'TalkbackError', code: 'ConfigInvalid', retryable: false }));
    try {
      attempt();
    } catch (error) {
      expect((error as Error).message).not.toContain(KEY);
    }
  });

  it('refuses work once closed, and closes twice without error', async () => {
    const bus = new AzureServiceBusEventBus({ connectionString: connectionString(), topicName: 'chat-events' });
    await bus.close();
    await bus.close();
    await expect(bus.publish(messageReceivedEvent())).rejects.toMatchObject({ code: 'BusRejected', retryable: false });
    expect(() => bus.receiver('speech')).toThrow(expect.objectContaining({ code: 'BusRejected' }));
  });
});
