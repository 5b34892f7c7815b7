import type { InteractionRecord } from './record.js';

/** One conversation's messages of the period, for the digest: oldest message first. */
export interface ConversationDigest {
  conversationId: string;
  channelId: string | undefined;
  customer: { id: string; name: string } | undefined;
  messages: InteractionRecord[];
  /** Messages with at least one recorded failure. */
  failed: number;
  /** When its latest message arrived (ISO). */
  lastAt: string;
}

/** When a message arrived: its received stage, or when its record was created. */
export const arrivedAt = (record: InteractionRecord): string => record.stages.received ?? record.createdAt;

/** The period's records grouped by conversation, the most recently active conversation first. */
export function groupByConversation(records: readonly InteractionRecord[]): ConversationDigest[] {
  const groups = new Map<string, InteractionRecord[]>();
  for (const record of records) {
    const group = groups.get(record.conversationId);
    if (group) group.push(record);
    else groups.set(record.conversationId, [record]);
  }
  return [...groups.entries()]
    .map(([conversationId, messages]) => {
      const sorted = [...messages].sort((a, b) => arrivedAt(a).localeCompare(arrivedAt(b)) || a.id.localeCompare(b.id));
      // A record may lack the channel or customer (its message.received not applied yet): take any that has them.
      const known = sorted.findLast((m) => m.customer !== undefined);
      const last = sorted[sorted.length - 1];
      return {
        conversationId,
        channelId: sorted.findLast((m) => m.channelId !== undefined)?.channelId,
        customer: known?.customer,
        messages: sorted,
        failed: sorted.filter((m) => m.failures.length > 0).length,
        lastAt: last ? arrivedAt(last) : '',
      };
    })
    .sort((a, b) => b.lastAt.localeCompare(a.lastAt) || a.conversationId.localeCompare(b.conversationId));
}
