import { TalkbackError } from './errors.js';
import { CONVERSATION_MARKER_ID, STAGES, type InteractionRecord, type Stage } from './record.js';

/**
 * A search over interaction records, the same for every InteractionStore: newest first (by
 * createdAt, then id), paged with an opaque cursor. Each store may push parts of it down to its
 * database; `matchesQuery` is the definition every result must satisfy.
 */
export interface RecordQuery {
  /** The record with this id (its message.received event id), or the one an event with this id was applied to (log lines show both). */
  id?: string;
  /** Case-insensitive substring of the customer's name or id, the conversation id, the record (event) id, the text, the channel or a failure code. */
  text?: string;
  channelId?: string;
  /** Only records that reached this stage. */
  stage?: Stage;
  /** Only records that have not (yet) reached this stage. */
  missingStage?: Stage;
  failureCode?: string;
  /** createdAt in [from, to). */
  from?: Date;
  to?: Date;
  limit: number;
  /** From the previous page's `next`. */
  cursor?: string;
}

export interface RecordPage {
  records: InteractionRecord[];
  /** Present when there may be more: pass it as `cursor` for the next page. */
  next?: string;
}

/** One customer's data: a whole conversation, or everything of one user on one channel. */
export type CustomerSelector = { conversationId: string } | { channelId: string; customerId: string };

export function matchesCustomer(record: InteractionRecord, selector: CustomerSelector): boolean {
  if ('conversationId' in selector) return record.conversationId === selector.conversationId;
  return record.channelId === selector.channelId && record.customer?.id === selector.customerId;
}

export function matchesQuery(record: InteractionRecord, query: RecordQuery): boolean {
  // A conversation's marker record holds its state, not an interaction.
  if (record.id === CONVERSATION_MARKER_ID) return false;
  if (query.id !== undefined && record.id !== query.id && !record.appliedEvents.includes(query.id)) return false;
  if (query.channelId !== undefined && record.channelId !== query.channelId) return false;
  if (query.stage !== undefined && record.stages[query.stage] === undefined) return false;
  if (query.missingStage !== undefined && record.stages[query.missingStage] !== undefined) return false;
  if (query.failureCode !== undefined && !record.failures.some((f) => f.code === query.failureCode)) return false;
  const created = Date.parse(record.createdAt);
  if (query.from !== undefined && !(created >= query.from.getTime())) return false;
  if (query.to !== undefined && !(created < query.to.getTime())) return false;
  if (query.text !== undefined && query.text.trim() !== '') {
    const needle = query.text.trim().toLowerCase();
    const haystack = [
      record.customer?.name,
      record.customer?.id,
      record.conversationId,
      record.id,
      record.text,
      record.channelId,
      ...record.failures.map((f) => f.code),
    ];
    if (!haystack.some((value) => value !== undefined && value.toLowerCase().includes(needle))) return false;
  }
  return true;
}

/** Newest first: createdAt descending, then id descending (the order cursors continue). */
export function newestFirst(a: InteractionRecord, b: InteractionRecord): number {
  const byTime = Date.parse(b.createdAt) - Date.parse(a.createdAt);
  if (byTime !== 0) return byTime;
  return a.id < b.id ? 1 : a.id > b.id ? -1 : 0;
}

export interface CursorPosition {
  createdAt: string;
  id: string;
}

export function encodeCursor(record: InteractionRecord): string {
  return Buffer.from(JSON.stringify([record.createdAt, record.id])).toString('base64url');
}

export function decodeCursor(cursor: string): CursorPosition {
  try {
    const [createdAt, id] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as unknown[];
    if (typeof createdAt === 'string' && typeof id === 'string' && !Number.isNaN(Date.parse(createdAt))) return { createdAt, id };
  } catch {
    // falls through to the error below
  }
  throw new TalkbackError('BadRequest', 'the page cursor is not valid');
}

/** True when `record` comes after the cursor position in newest-first order. */
export function isAfterCursor(record: InteractionRecord, position: CursorPosition): boolean {
  const created = Date.parse(record.createdAt);
  const at = Date.parse(position.createdAt);
  return created < at || (created === at && record.id < position.id);
}

/**
 * The console's and CLI's search box: free text plus `channel:`, `stage:`, `missing:`, `code:`,
 * `date:YYYY-MM-DD` (a UTC day), `from:` and `to:` (ISO dates). A bare YYYY-MM-DD is a date.
 */
export function parseSearch(input: string): Omit<RecordQuery, 'limit' | 'cursor'> {
  const query: Omit<RecordQuery, 'limit' | 'cursor'> = {};
  const words: string[] = [];
  for (const token of input.trim().split(/\s+/).filter(Boolean)) {
    const match = /^(channel|stage|missing|code|date|from|to):(.+)$/i.exec(token);
    const day = /^\d{4}-\d{2}-\d{2}$/.test(token) ? token : undefined;
    if (!match && day === undefined) {
      words.push(token);
      continue;
    }
    const [name, value] = match ? [match[1]!.toLowerCase(), match[2]!] : ['date', day!];
    switch (name) {
      case 'channel':
        query.channelId = value;
        break;
      case 'stage':
      case 'missing': {
        const stage = STAGES.find((s) => s === value.toLowerCase());
        if (!stage) throw new TalkbackError('BadRequest', `unknown stage "${value}" (one of ${STAGES.join(', ')})`);
        if (name === 'stage') query.stage = stage;
        else query.missingStage = stage;
        break;
      }
      case 'code':
        query.failureCode = value;
        break;
      case 'date': {
        const from = dateOf(value);
        query.from = from;
        query.to = new Date(from.getTime() + 86_400_000);
        break;
      }
      case 'from':
        query.from = dateOf(value);
        break;
      case 'to':
        query.to = dateOf(value);
        break;
    }
  }
  if (words.length > 0) query.text = words.join(' ');
  return query;
}

function dateOf(value: string): Date {
  const date = new Date(/^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00Z` : value);
  if (Number.isNaN(date.getTime())) throw new TalkbackError('BadRequest', `"${value}" is not a date (YYYY-MM-DD)`);
  return date;
}
