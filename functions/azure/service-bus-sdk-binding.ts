import { toTalkbackError } from '../../core/errors.js';
import { settle, settlementFor, type MessageActions, type Settlement, type SettlementPolicy } from './service-bus-settlement.js';

/** What talkback reads of a ServiceBusReceivedMessage (@azure/service-bus) handed over by the SDK-type binding. */
export interface ReceivedMessage {
  body: unknown;
  messageId?: string | number | Buffer | undefined;
  /** The AMQP delivery-count: prior deliveries, 0 on the first one. */
  deliveryCount?: number | undefined;
  lockToken?: string | undefined;
}

/** What the Service Bus trigger passes with `sdkBinding: true`: the message(s) and the settlement client. */
export interface MessageContext<M extends ReceivedMessage> {
  messages: M | M[];
  actions: MessageActions<M>;
}

/**
 * Registers the binding's converter (a side effect of importing the package) before any invocation:
 * the worker turns the host's model binding data into a MessageContext before our handler runs.
 * Imported only when SERVICEBUS_SDK_BINDING is on, so the default mode never loads it.
 */
export async function loadServiceBusSdkBinding(): Promise<void> {
  await import('@azure/functions-extensions-servicebus');
}

export interface SettledRun {
  messageId: string;
  deliveryCount: number;
  settlement: Settlement;
}

/**
 * Runs a subscriber on a message delivered through the SDK-type binding and settles it itself:
 * complete, dead-letter at once (permanent failure, code as reason), or abandon after the retry
 * delay. Resolves once settled; throws only when settling failed (the lock then lapses and Service
 * Bus redelivers).
 */
export async function runAndSettle<M extends ReceivedMessage>(
  context: MessageContext<M>,
  run: (body: unknown, delivery: { messageId: string; deliveryCount: number }) => Promise<void>,
  policy: SettlementPolicy,
  wait?: (ms: number) => Promise<unknown>,
): Promise<SettledRun> {
  const message = Array.isArray(context.messages) ? context.messages[0] : context.messages;
  if (message === undefined) throw new Error('the Service Bus trigger delivered no message');
  const delivery = { messageId: idText(message.messageId), deliveryCount: (message.deliveryCount ?? 0) + 1 };
  let settlement: Settlement;
  try {
    await run(bodyOf(message.body), delivery);
    settlement = settlementFor(undefined, delivery.deliveryCount, policy);
  } catch (caught) {
    settlement = settlementFor(toTalkbackError(caught), delivery.deliveryCount, policy);
  }
  await settle(message, context.actions, settlement, wait);
  return { ...delivery, settlement };
}

/** Published as JSON with contentType application/json the binding parses it; anything else arrives as text or bytes. */
function bodyOf(body: unknown): unknown {
  const text = Buffer.isBuffer(body) ? body.toString('utf8') : body;
  if (typeof text !== 'string') return text;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return text;
  }
}

function idText(id: ReceivedMessage['messageId']): string {
  if (id === undefined) return '';
  return Buffer.isBuffer(id) ? id.toString('utf8') : String(id);
}
