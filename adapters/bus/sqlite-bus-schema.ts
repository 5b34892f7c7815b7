import type { MessageErasure } from '../ports.js';

/**
 * The embedded bus's tables. `messages` holds one row per (subscription, message): a row is
 * deliverable when active, visible (past an abandon delay) and not locked; dead letters stay in it
 * with state 'dead'. `published` remembers message ids for duplicate detection. `inbox_cursor` is the
 * last row of the intake's inbox (sqlite-bus-inbox.ts) imported into `messages`.
 */
export const SCHEMA = `
CREATE TABLE IF NOT EXISTS messages (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  subscription TEXT NOT NULL,
  message_id TEXT NOT NULL,
  subject TEXT NOT NULL,
  body TEXT NOT NULL,
  enqueued_at INTEGER NOT NULL,
  visible_at INTEGER NOT NULL,
  delivery_count INTEGER NOT NULL DEFAULT 0,
  lock_token TEXT,
  locked_until INTEGER,
  state TEXT NOT NULL DEFAULT 'active' CHECK (state IN ('active', 'dead')),
  dl_reason TEXT,
  dl_description TEXT,
  dead_lettered_at INTEGER
);
CREATE INDEX IF NOT EXISTS messages_by_subscription ON messages (subscription, state, seq);
CREATE INDEX IF NOT EXISTS messages_by_lock ON messages (lock_token) WHERE lock_token IS NOT NULL;
CREATE TABLE IF NOT EXISTS published (message_id TEXT PRIMARY KEY, published_at INTEGER NOT NULL);
CREATE INDEX IF NOT EXISTS published_by_time ON published (published_at);
CREATE TABLE IF NOT EXISTS inbox_cursor (id INTEGER PRIMARY KEY CHECK (id = 1), seq INTEGER NOT NULL);
`;

/**
 * The rows (of `messages`, or of the intake's inbox) whose event belongs to one of the conversations or
 * to the customer on a channel: a WHERE condition over `body`, with the parameters `erasureParameters` gives.
 */
export const ERASURE_CONDITION = `(json_extract(body, '$.data.conversationId') IN (SELECT value FROM json_each(@conversations))
  OR (json_extract(body, '$.data.channelId') = @channel AND json_extract(body, '$.data.customer.id') = @customer))`;

export function erasureParameters(match: MessageErasure): { conversations: string; channel: string | null; customer: string | null } {
  return {
    conversations: JSON.stringify(match.conversationIds),
    channel: match.customer?.channelId ?? null,
    customer: match.customer?.customerId ?? null,
  };
}

export interface MessageRow {
  seq: number;
  message_id: string;
  subject: string;
  body: string;
  enqueued_at: number;
  delivery_count: number;
}

export interface DeadRow extends MessageRow {
  dl_reason: string;
  dl_description: string;
  dead_lettered_at: number;
}
