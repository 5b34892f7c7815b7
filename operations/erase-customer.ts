import type { CustomerSelector } from '../core/record-query.js';
import type { OperationPorts } from './operation-ports.js';

export interface ErasureReport {
  selector: CustomerSelector;
  /** Interaction records deleted, with their ids. */
  records: number;
  recordIds: string[];
  /** Audio blobs deleted. */
  blobs: number;
  blobNames: string[];
  /** Kept copies of staff emails deleted (the outbox's .eml files); null when the mailer keeps none. */
  emails: number | null;
  /** Queued and dead-lettered bus messages deleted; null when the bus cannot delete selectively (Service Bus). */
  messages: number | null;
}

/**
 * Deletes one customer's data everywhere: first the bus messages (so the pipeline stops working on
 * them), then the records, then what the records point to (audio blobs, email copies). A message a
 * worker holds at that moment may still write again: run erase again after the pipeline is idle.
 */
export async function eraseCustomer(ports: OperationPorts, selector: CustomerSelector): Promise<ErasureReport> {
  const store = await ports.store();
  const bus = await ports.bus();
  const customer = 'conversationId' in selector ? undefined : selector;
  // The conversations known from records, so follow-up events (which carry only the conversation) go too.
  const known = 'conversationId' in selector ? [selector.conversationId] : await conversationsOf(ports, selector);
  const messagesBefore = bus.eraseMessages ? await bus.eraseMessages({ conversationIds: known, ...(customer ? { customer } : {}) }) : null;
  const records = await store.erase(selector);
  const audio = await ports.audio();
  const blobNames: string[] = [];
  for (const record of records) {
    // The record's blob, and the name speech gives it, in case the record never learnt of it.
    const names = new Set([record.audio?.blobName ?? `audio/${record.id}.mp3`, `audio/${record.id}.mp3`]);
    for (const name of names) if (await audio.delete(name)) blobNames.push(name);
  }
  const mailer = await ports.mailer();
  let emails: number | null = null;
  if (mailer.eraseSent) {
    emails = 0;
    for (const record of records) if (await mailer.eraseSent(record.id)) emails++;
  }
  const messagesAfter = bus.eraseMessages ? await bus.eraseMessages({ conversationIds: records.map((r) => r.conversationId) }) : null;
  return {
    selector,
    records: records.length,
    recordIds: records.map((r) => r.id),
    blobs: blobNames.length,
    blobNames,
    emails,
    messages: messagesBefore === null ? null : messagesBefore + (messagesAfter ?? 0),
  };
}

async function conversationsOf(ports: OperationPorts, selector: { channelId: string; customerId: string }): Promise<string[]> {
  const store = await ports.store();
  const conversations = new Set<string>();
  let cursor: string | undefined;
  do {
    const page = await store.search({ channelId: selector.channelId, text: selector.customerId, limit: 200, ...(cursor ? { cursor } : {}) });
    for (const record of page.records) if (record.customer?.id === selector.customerId) conversations.add(record.conversationId);
    cursor = page.next;
  } while (cursor);
  return [...conversations];
}
