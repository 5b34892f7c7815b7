import type { ServiceBusReceivedMessage, ServiceBusReceiver } from '@azure/service-bus';
import { TalkbackError } from '../../core/errors.js';

/** What settling dead letters needs from a receiver on a `$deadletterqueue` (peek-lock). */
export type DeadLetterReceiver = Pick<ServiceBusReceiver, 'receiveMessages' | 'completeMessage' | 'abandonMessage'>;

export interface DeadLetterSelection {
  /** Only this message; absent = every dead letter. */
  messageId?: string;
  /** Called before a message is completed (removed from the dead-letter queue); a throw leaves it there. */
  act(message: ServiceBusReceivedMessage): Promise<void>;
  /** Messages this returns false for are left in the queue (e.g. too young to resend). */
  eligible?(message: ServiceBusReceivedMessage): boolean;
  batchSize?: number;
  maxWaitMs?: number;
}

export interface DeadLetterOutcome {
  settled: number;
  /** Matching messages left in the queue because `eligible` said no. */
  held: ServiceBusReceivedMessage[];
}

/**
 * Receives a dead-letter queue to its end under peek-lock, settles the selected messages (act, then
 * complete) and keeps the others locked until the end, so the scan never sees one twice; then gives
 * them back (abandon) untouched.
 */
export async function settleDeadLetters(receiver: DeadLetterReceiver, selection: DeadLetterSelection): Promise<DeadLetterOutcome> {
  const kept: ServiceBusReceivedMessage[] = [];
  const held: ServiceBusReceivedMessage[] = [];
  let settled = 0;
  try {
    for (;;) {
      const batch = await receiver.receiveMessages(selection.batchSize ?? 50, { maxWaitTimeInMs: selection.maxWaitMs ?? 2_000 });
      if (batch.length === 0) break;
      for (const message of batch) {
        if (selection.messageId !== undefined && idText(message.messageId) !== selection.messageId) {
          kept.push(message);
        } else if (selection.eligible && !selection.eligible(message)) {
          kept.push(message);
          held.push(message);
        } else {
          await selection.act(message);
          await receiver.completeMessage(message);
          settled++;
        }
      }
      if (selection.messageId !== undefined && settled + held.length > 0) break;
    }
  } finally {
    for (const message of kept) await receiver.abandonMessage(message).catch(() => undefined);
  }
  return { settled, held };
}

export function idText(id: string | number | Buffer | undefined): string {
  if (id === undefined) return '';
  return Buffer.isBuffer(id) ? id.toString('utf8') : String(id);
}

/** A redrive that Service Bus's duplicate detection would drop silently is refused instead. */
export function tooYoungError(count: number, until: Date): TalkbackError {
  return new TalkbackError(
    'TooEarly',
    `${count} dead letter(s) are still inside the topic's duplicate detection window: resent with their original id they would be dropped; redrive after ${until.toISOString()}`,
    { retryAfterMs: Math.max(0, until.getTime() - Date.now()) },
  );
}
