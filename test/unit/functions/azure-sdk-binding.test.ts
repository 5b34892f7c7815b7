import { createRequire } from 'node:module';
import type { ServiceBusMessageContext } from '@azure/functions-extensions-servicebus';
import type { ServiceBusReceivedMessage } from '@azure/service-bus';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadServiceBusSdkBinding, runAndSettle } from '../../../functions/azure/service-bus-sdk-binding.js';
import { TalkbackError } from '../../../core/errors.js';
import { serviceBusModelBindingContent, startSettlementServer } from '../../support/settlement-server.js';

const require = createRequire(import.meta.url);

/**
 * The SDK-type binding as the Functions worker runs it: the host hands the worker the message as
 * model binding data (lock token + the raw AMQP message); @azure/functions asks the resolver of its
 * copy of @azure/functions-extensions-base to turn it into { messages, actions }; the actions settle
 * over gRPC with the host's Settlement service — here a stand-in speaking that proto on 127.0.0.1.
 */
let server: Awaited<ReturnType<typeof startSettlementServer>>;

beforeAll(async () => {
  server = await startSettlementServer();
  // The worker is started with these arguments; the binding's gRPC client reads them.
  process.argv.push('--host', '127.0.0.1', '--port', String(server.port), '--functions-grpc-max-message-length', '2147483647');
  await loadServiceBusSdkBinding();
});
afterAll(async () => server.stop());

function delivered(body: unknown, deliveryCount: number): ServiceBusMessageContext & { lockToken: string } {
  const content = serviceBusModelBindingContent(body, deliveryCount);
  // The resolver @azure/functions itself uses (a second copy of the base package would not see the registration).
  const base = createRequire(require.resolve('@azure/functions'))('@azure/functions-extensions-base') as {
    ResourceFactoryResolver: { getInstance(): { createClient(source: string, data: unknown): unknown } };
  };
  const context = base.ResourceFactoryResolver.getInstance().createClient('AzureServiceBusReceivedMessage', {
    content,
    source: 'AzureServiceBusReceivedMessage',
    contentType: 'application/octet-stream',
    version: '1.0',
  }) as ServiceBusMessageContext;
  const message = context.messages as ServiceBusReceivedMessage;
  return { ...context, lockToken: message.lockToken ?? '' };
}

const policy = { maxDeliveryCount: 10, retryBaseDelayMs: 1_000, retryMaxDelayMs: 60_000, maxHoldMs: 60_000 };
const callsFor = (lockToken: string) => server.calls.filter((c) => c.locktoken === lockToken);

describe('Service Bus settlement through the SDK-type binding', () => {
  it('hands the handler the parsed body and the 1-based delivery count, and completes a message that was handled', async () => {
    const context = delivered({ hello: '세계' }, 0);
    const seen: unknown[] = [];
    const result = await runAndSettle(context, async (body, delivery) => void seen.push(body, delivery), policy);
    expect(seen).toEqual([{ hello: '세계' }, { messageId: 'event-1', deliveryCount: 1 }]);
    expect(result.settlement).toEqual({ action: 'complete' });
    expect(callsFor(context.lockToken)).toEqual([{ method: 'complete', locktoken: context.lockToken }]);
  });

  it('dead-letters a permanent failure at once, with the code as reason and the message as description', async () => {
    const context = delivered({}, 0);
    await runAndSettle(
      context,
      async () => {
        throw new TalkbackError('SpeechRejected', 'nothing to speak');
      },
      policy,
    );
    expect(callsFor(context.lockToken)).toEqual([
      { method: 'deadletter', locktoken: context.lockToken, deadletterReason: 'SpeechRejected', deadletterErrorDescription: 'nothing to speak' },
    ]);
  });

  it('abandons a retryable failure after its delay (Retry-After here), never at once', async () => {
    const context = delivered({}, 2);
    const waits: number[] = [];
    const wait = async (ms: number) => {
      waits.push(ms);
      // Nothing is settled while the message is held.
      expect(callsFor(context.lockToken)).toEqual([]);
    };
    const result = await runAndSettle(
      context,
      async () => {
        throw new TalkbackError('Throttled', 'slow down', { retryAfterMs: 7_000 });
      },
      policy,
      wait,
    );
    expect(result).toMatchObject({ deliveryCount: 3, settlement: { action: 'abandon', delayMs: 7_000 } });
    expect(waits).toEqual([7_000]);
    expect(callsFor(context.lockToken)).toEqual([{ method: 'abandon', locktoken: context.lockToken }]);
  });

  it('dead-letters a retryable failure on its last allowed delivery, saying it gave up', async () => {
    const context = delivered({}, 9);
    await runAndSettle(
      context,
      async () => {
        throw new TalkbackError('ServiceUnavailable', 'channel down');
      },
      policy,
      async () => expect.unreachable('no hold before a dead-letter'),
    );
    expect(callsFor(context.lockToken)).toEqual([
      {
        method: 'deadletter',
        locktoken: context.lockToken,
        deadletterReason: 'ServiceUnavailable',
        deadletterErrorDescription: 'gave up after 10 deliveries: channel down',
      },
    ]);
  });
});
