import { ServiceBusError, type ServiceBusReceivedMessage, type ServiceBusReceiver } from '@azure/service-bus';
import { describe, expect, it } from 'vitest';
import { AzureServiceBusReceiver, type ReceiverContext } from '../../../../adapters/bus/azure-service-bus-receiver.js';
import { translateServiceBusError } from '../../../../adapters/bus/translate-service-bus-error.js';

/**
 * No namespace is reachable from here, so the receiver runs on a stand-in for the SDK's receiver
 * that keeps one message's lock the way the broker does (the lock lapses, renewals extend it) and
 * records what the adapter asked of it.
 */
function fakeSdk(lockMs: number, options: { loseLockOnRenewal?: boolean } = {}) {
  const calls: string[] = [];
  const message = {
    messageId: 'm-1',
    subject: 'message.received',
    body: {},
    deliveryCount: 0,
    enqueuedTimeUtc: new Date(),
    lockedUntilUtc: new Date(Date.now() + lockMs),
    lockToken: 'token-1',
  } as ServiceBusReceivedMessage;
  const sdk = {
    receiveMessages: async () => [message],
    renewMessageLock: async (m: ServiceBusReceivedMessage) => {
      calls.push('renew');
      if (options.loseLockOnRenewal) throw new ServiceBusError('lock lost', 'MessageLockLost');
      m.lockedUntilUtc = new Date(Date.now() + lockMs);
      return m.lockedUntilUtc;
    },
    abandonMessage: async (m: ServiceBusReceivedMessage) => {
      calls.push('abandon');
      if ((m.lockedUntilUtc?.getTime() ?? 0) <= Date.now()) throw new ServiceBusError('lock lost', 'MessageLockLost');
    },
    close: async () => undefined,
  } as unknown as ServiceBusReceiver;
  const context: ReceiverContext = {
    openReceiver: () => sdk,
    closeReceiver: async () => undefined,
    locks: new Map(),
    translate: (error, action) => translateServiceBusError(error, action),
  };
  return { calls, receiver: new AzureServiceBusReceiver('speech', context) };
}

describe('AzureServiceBusReceiver.abandon', () => {
  it('keeps the message locked for delayMs, renewing a lock shorter than the delay, then abandons it', async () => {
    const { calls, receiver } = fakeSdk(200);
    const [message] = await receiver.receive(1, 0);
    const started = Date.now();
    await receiver.abandon(message!, { delayMs: 500 });
    expect(Date.now() - started).toBeGreaterThanOrEqual(450); // 500, less what timer rounding may take off
    expect(calls.at(-1)).toBe('abandon');
    expect(calls.filter((c) => c === 'renew').length).toBeGreaterThanOrEqual(2);
    expect(message!.lockedUntil.getTime()).toBeGreaterThan(started + 200);
  });

  it('abandons at once without a delay', async () => {
    const { calls, receiver } = fakeSdk(30_000);
    const [message] = await receiver.receive(1, 0);
    await receiver.abandon(message!);
    expect(calls).toEqual(['abandon']);
  });

  it('returns without abandoning when the lock is lost during the delay', async () => {
    const { calls, receiver } = fakeSdk(200, { loseLockOnRenewal: true });
    const [message] = await receiver.receive(1, 0);
    await expect(receiver.abandon(message!, { delayMs: 1_000 })).resolves.toBeUndefined();
    expect(calls).toEqual(['renew']);
    // The lost lock is forgotten: the message can no longer be settled through this adapter.
    await expect(receiver.complete(message!)).rejects.toMatchObject({ code: 'LockLost' });
  });
});
