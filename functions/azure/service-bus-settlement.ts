import { setTimeout as sleep } from 'node:timers/promises';
import type { TalkbackError } from '../../core/errors.js';
import { backoffMs } from '../../core/failure-policy.js';

/** What to do with a Service Bus message once its subscriber ran. */
export type Settlement =
  | { action: 'complete' }
  | { action: 'deadLetter'; reason: string; description: string }
  | { action: 'abandon'; delayMs: number };

export interface SettlementPolicy {
  maxDeliveryCount: number;
  retryBaseDelayMs: number;
  retryMaxDelayMs: number;
  /** The longest an invocation holds a message before abandoning it (the host renews its lock meanwhile). */
  maxHoldMs: number;
}

/**
 * Done → complete. A permanent failure → dead-letter at once, with the error code as the reason and
 * its message as the description. A retryable one → abandon after its delay (backoff or the error's
 * Retry-After); on its last allowed delivery it is dead-lettered instead, saying so.
 */
export function settlementFor(error: TalkbackError | undefined, deliveryCount: number, policy: SettlementPolicy): Settlement {
  if (error === undefined) return { action: 'complete' };
  if (!error.retryable) return { action: 'deadLetter', reason: error.code, description: describe(error.message) };
  if (deliveryCount >= policy.maxDeliveryCount) {
    return { action: 'deadLetter', reason: error.code, description: describe(`gave up after ${deliveryCount} deliveries: ${error.message}`) };
  }
  const cap = Math.min(policy.retryMaxDelayMs, policy.maxHoldMs);
  return { action: 'abandon', delayMs: backoffMs(deliveryCount, error, { baseMs: policy.retryBaseDelayMs, maxMs: cap }) };
}

function stringValue(text: string): string {
  return { value: text } as unknown as string;
}

function describe(message: string): string {
  return message.length <= 1024 ? message : `${message.slice(0, 1023)}…`;
}

/** The settlement calls of the Functions SDK-type binding (ServiceBusMessageActions), as talkback uses them. */
export interface MessageActions<M> {
  complete(message: M): Promise<void>;
  abandon(message: M, propertiesToModify?: Uint8Array): Promise<void>;
  deadletter(message: M, propertiesToModify?: Uint8Array, deadletterReason?: string, deadletterErrorDescription?: string): Promise<void>;
}

/**
 * Carries a settlement out. The binding's abandon takes no delay (it can only modify properties), so
 * a retryable failure is held here for its delay first, as the throwing mode does, then abandoned.
 */
export async function settle<M>(
  message: M,
  actions: MessageActions<M>,
  settlement: Settlement,
  wait: (ms: number) => Promise<unknown> = sleep,
): Promise<void> {
  switch (settlement.action) {
    case 'complete':
      return actions.complete(message);
    case 'deadLetter':
      // The Settlement service's reason and description are google.protobuf.StringValue: the binding
      // (0.2.0-preview) passes our strings through unwrapped, and the gRPC call then fails with
      // "deadletterReason: object expected". Wrapped, they arrive (test/unit/functions/azure-sdk-binding.test.ts).
      return actions.deadletter(message, undefined, stringValue(settlement.reason), stringValue(settlement.description));
    case 'abandon':
      if (settlement.delayMs > 0) await wait(settlement.delayMs);
      return actions.abandon(message);
  }
}
