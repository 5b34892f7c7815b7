import type { DeadLetteredMessage } from '../adapters/ports.js';
import { TalkbackError } from '../core/errors.js';
import type { OperationPorts } from './operation-ports.js';

export interface SubscriptionDeadLetter extends DeadLetteredMessage {
  subscription: string;
}

/** Dead letters of one subscription, or of all of them, oldest first within each. */
export async function listDeadLetters(ports: OperationPorts, subscription?: string, max = 200): Promise<SubscriptionDeadLetter[]> {
  const bus = await ports.bus();
  const names = subscription === undefined ? ports.subscriptions : [checkSubscription(ports, subscription)];
  const lists = await Promise.all(
    names.map(async (name) => (await bus.deadLetters(name, max)).map((m) => ({ ...m, subscription: name }))),
  );
  return lists.flat();
}

/** Every dead letter with this message id (one per subscription it died in). */
export async function findDeadLetters(ports: OperationPorts, messageId: string, subscription?: string): Promise<SubscriptionDeadLetter[]> {
  const found = (await listDeadLetters(ports, subscription)).filter((m) => m.messageId === messageId);
  if (found.length === 0) throw new TalkbackError('NotFound', `no dead letter with message id ${messageId}`);
  return found;
}

export interface DeadLetterAction {
  subscription: string;
  count: number;
}

/** Redrives (or purges) one message in the subscriptions it died in, or every dead letter of a subscription (or of all). */
export async function settle(
  ports: OperationPorts,
  action: 'redrive' | 'purge',
  target: { messageId: string; subscription?: string } | { all: true; subscription?: string },
): Promise<DeadLetterAction[]> {
  const bus = await ports.bus();
  const run = (subscription: string, messageId?: string) =>
    action === 'redrive' ? bus.redrive(subscription, messageId) : bus.purge(subscription, messageId);
  if ('messageId' in target) {
    const subscriptions = [...new Set((await findDeadLetters(ports, target.messageId, target.subscription)).map((m) => m.subscription))];
    const results: DeadLetterAction[] = [];
    for (const subscription of subscriptions) results.push({ subscription, count: await run(subscription, target.messageId) });
    return results;
  }
  const names = target.subscription === undefined ? ports.subscriptions : [checkSubscription(ports, target.subscription)];
  const results: DeadLetterAction[] = [];
  for (const subscription of names) results.push({ subscription, count: await run(subscription) });
  return results;
}

export function checkSubscription(ports: OperationPorts, subscription: string): string {
  if (!ports.subscriptions.includes(subscription)) {
    throw new TalkbackError('BadRequest', `no subscription "${subscription}" (one of ${ports.subscriptions.join(', ')})`);
  }
  return subscription;
}
