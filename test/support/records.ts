import type { InteractionStore } from '../../adapters/ports.js';
import { messageEventId } from '../../core/ids.js';
import { isComplete, type InteractionRecord } from '../../core/record.js';
import { waitFor } from './fake-channel.js';

export interface SentMessage {
  conversationId: string;
  activityId: string;
  channelId?: string;
}

/** The id of the interaction a test message started (the message.received event id). */
export function eventIdOf(m: SentMessage): string {
  return messageEventId(m.channelId ?? 'emulator', m.conversationId, m.activityId);
}

/** Waits until the interaction's record has every stage, and returns it. */
export function waitForCompleteRecord(store: InteractionStore, m: SentMessage, timeoutMs = 60_000): Promise<InteractionRecord> {
  return waitFor(
    async () => {
      const record = await store.get({ conversationId: m.conversationId, id: eventIdOf(m) });
      return record && isComplete(record) ? record : undefined;
    },
    timeoutMs,
    `the record of ${m.conversationId} to complete`,
  );
}
