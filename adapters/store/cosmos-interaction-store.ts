import { setTimeout as sleep } from 'node:timers/promises';
import { CosmosClient, type ConnectionPolicy, type Container, type SqlParameter } from '@azure/cosmos';
import { TalkbackError, toTalkbackError } from '../../core/errors.js';
import { CONVERSATION_MARKER_ID, interactionRecordSchema, type InteractionRecord, type RecordKey } from '../../core/record.js';
import type { InteractionStore, RecordChange } from '../ports.js';
import {
  decodeCursor,
  encodeCursor,
  isAfterCursor,
  matchesCustomer,
  matchesQuery,
  newestFirst,
  type CustomerSelector,
  type RecordPage,
  type RecordQuery,
} from '../../core/record-query.js';
import { cosmosStatus, translateCosmosError } from './cosmos-errors.js';

export type CosmosInteractionStoreOptions = ({ endpoint: string; key: string } | { connectionString: string }) & {
  /** Default 'talkback'. */
  databaseId?: string;
  /** Default 'interactions'; created with partition key /conversationId. */
  containerId?: string;
  /** The container's default time-to-live (RECORD_TTL_DAYS * 86400); absent = records never expire. */
  defaultTtlSeconds?: number;
  requestTimeoutMs?: number;
  /** Read-change-write rounds before giving up under contention. Default 20. */
  maxUpdateAttempts?: number;
  /** SDK connection settings, e.g. `{ enableEndpointDiscovery: false }` for a plain-HTTP test server. */
  connectionPolicy?: ConnectionPolicy;
};

const PARTITION_KEY_PATH = '/conversationId';
/** Documents fetched per search query, and how many one page may scan before it returns a cursor. */
const SEARCH_BATCH = 100;
const SEARCH_SCAN_MAX = 2_000;

/**
 * Interaction records in Cosmos DB, one document per interaction, partitioned by conversation.
 * update() is optimistic: read with its ETag, apply the pure change, replace If-Match the ETag (or
 * create when there was none); a lost race (412 / 409 / 404) re-reads and re-applies, so concurrent
 * updates never lose one and a claim is taken by exactly one writer.
 */
export class CosmosInteractionStore implements InteractionStore {
  private readonly client: CosmosClient;
  private readonly secrets: string[];
  private readonly databaseId: string;
  private readonly containerId: string;
  private readonly defaultTtlSeconds: number | undefined;
  private readonly maxUpdateAttempts: number;
  private containerPromise: Promise<Container> | undefined;
  private closed = false;

  constructor(options: CosmosInteractionStoreOptions) {
    const { endpoint, key } = credentials(options);
    this.secrets = 'connectionString' in options ? [options.connectionString, key] : [key];
    this.databaseId = options.databaseId ?? 'talkback';
    this.containerId = options.containerId ?? 'interactions';
    this.defaultTtlSeconds = options.defaultTtlSeconds;
    this.maxUpdateAttempts = Math.max(1, options.maxUpdateAttempts ?? 20);
    const connectionPolicy: ConnectionPolicy = { ...options.connectionPolicy };
    if (options.requestTimeoutMs !== undefined) connectionPolicy.requestTimeout = options.requestTimeoutMs;
    this.client = new CosmosClient({ endpoint, key, connectionPolicy, userAgentSuffix: 'talkback' });
  }

  async get(key: RecordKey): Promise<InteractionRecord | undefined> {
    const container = await this.container();
    return (await this.read(container, key)).record;
  }

  async update(key: RecordKey, change: RecordChange): Promise<InteractionRecord | undefined> {
    const container = await this.container();
    for (let attempt = 1; attempt <= this.maxUpdateAttempts; attempt++) {
      const { record: current, etag } = await this.read(container, key);
      const next = applyChange(change, current, key);
      if (next === undefined) return current;
      try {
        const response =
          etag === undefined
            ? await container.items.create(next)
            : await container.item(key.id, key.conversationId).replace(next, { accessCondition: { type: 'IfMatch', condition: etag } });
        return response.resource === undefined ? next : this.toRecord(response.resource);
      } catch (error) {
        // Lost a race: on create 409 (another writer created it first); on replace 412 (replaced since
        // our read) or 404 (expired by TTL since our read). Anything else is a real failure.
        const status = cosmosStatus(error);
        const lostRace = etag === undefined ? status === 409 : status === 412 || status === 404;
        if (!lostRace) throw translateCosmosError(error, 'write', this.secrets);
      }
      await sleep(Math.random() * Math.min(100, 2 ** attempt));
    }
    throw new TalkbackError('Busy', `Cosmos DB update of ${key.id} lost the race ${this.maxUpdateAttempts} times`, {
      details: { attempts: this.maxUpdateAttempts },
    });
  }

  async listUpdated(from: Date, to: Date, max: number): Promise<InteractionRecord[]> {
    const top = Math.floor(max);
    if (!(top > 0)) return [];
    const container = await this.container();
    try {
      const { resources } = await container.items
        .query<Record<string, unknown>>({
          query: 'SELECT TOP @max * FROM c WHERE c.updatedAt >= @from AND c.updatedAt < @to AND c.id != @marker ORDER BY c.updatedAt DESC',
          parameters: [
            { name: '@max', value: top },
            { name: '@from', value: from.toISOString() },
            { name: '@to', value: to.toISOString() },
            { name: '@marker', value: CONVERSATION_MARKER_ID },
          ],
        })
        .fetchAll();
      return resources.slice(0, top).map((doc) => this.toRecord(doc));
    } catch (error) {
      throw translateCosmosError(error, 'query', this.secrets);
    }
  }

  /**
   * Cross-partition query, newest created first, after the cursor; the date range and channel are
   * filtered by Cosmos, the rest (text, stage, failure code) here with matchesQuery. A page stops after
   * SEARCH_SCAN_MAX scanned records and returns a cursor to continue.
   */
  async search(query: RecordQuery): Promise<RecordPage> {
    const limit = Math.max(1, Math.floor(query.limit));
    const container = await this.container();
    let position = query.cursor === undefined ? undefined : decodeCursor(query.cursor);
    const found: InteractionRecord[] = [];
    let scanned = 0;
    try {
      for (;;) {
        const conditions = ['IS_DEFINED(c.createdAt)'];
        const parameters: SqlParameter[] = [{ name: '@batch', value: SEARCH_BATCH }];
        const add = (condition: string, name: string, value: string) => {
          conditions.push(condition);
          parameters.push({ name, value });
        };
        if (query.from) add('c.createdAt >= @from', '@from', query.from.toISOString());
        if (query.to) add('c.createdAt < @to', '@to', query.to.toISOString());
        if (query.channelId !== undefined) add('c.channelId = @channel', '@channel', query.channelId);
        if (query.id !== undefined) add('(c.id = @id OR ARRAY_CONTAINS(c.appliedEvents, @id))', '@id', query.id);
        // Ties on createdAt are resolved here by id (ORDER BY on two properties needs a composite index).
        if (position) add('c.createdAt <= @at', '@at', position.createdAt);
        const { resources } = await container.items
          .query<Record<string, unknown>>({
            query: `SELECT TOP @batch * FROM c WHERE ${conditions.join(' AND ')} ORDER BY c.createdAt DESC`,
            parameters,
          })
          .fetchAll();
        const batch = resources.map((doc) => this.toRecord(doc)).sort(newestFirst);
        const fresh = position ? batch.filter((record) => isAfterCursor(record, position!)) : batch;
        for (const record of fresh) {
          position = { createdAt: record.createdAt, id: record.id };
          scanned++;
          if (matchesQuery(record, query)) {
            found.push(record);
            if (found.length === limit) return { records: found, next: encodeCursor(record) };
          }
        }
        if (resources.length < SEARCH_BATCH || fresh.length === 0) return { records: found };
        if (scanned >= SEARCH_SCAN_MAX) {
          const last = fresh.at(-1)!;
          return { records: found, next: encodeCursor(last) };
        }
      }
    } catch (error) {
      if ((error as { code?: string }).code === 'BadRequest') throw error;
      throw translateCosmosError(error, 'search', this.secrets);
    }
  }

  /** One conversation: a query in its partition; one customer on a channel: a cross-partition query. Then a delete per document. */
  async erase(selector: CustomerSelector): Promise<InteractionRecord[]> {
    const container = await this.container();
    try {
      const spec =
        'conversationId' in selector
          ? { query: 'SELECT * FROM c WHERE c.conversationId = @c', parameters: [{ name: '@c', value: selector.conversationId }] }
          : {
              query: 'SELECT * FROM c WHERE c.channelId = @ch AND c.customer.id = @u',
              parameters: [
                { name: '@ch', value: selector.channelId },
                { name: '@u', value: selector.customerId },
              ],
            };
      const { resources } = await container.items.query<Record<string, unknown>>(spec).fetchAll();
      const records = resources.map((doc) => this.toRecord(doc)).filter((record) => matchesCustomer(record, selector));
      const deleted: InteractionRecord[] = [];
      for (const record of records) {
        try {
          await container.item(record.id, record.conversationId).delete();
          deleted.push(record);
        } catch (error) {
          if (cosmosStatus(error) !== 404) throw error;
        }
      }
      // A conversation's marker (its state, not an interaction) goes with its last interaction.
      for (const conversationId of new Set(deleted.map((r) => r.conversationId))) {
        if (deleted.some((r) => r.conversationId === conversationId && r.id === CONVERSATION_MARKER_ID)) continue;
        const { resources: left } = await container.items
          .query<number>(
            { query: 'SELECT VALUE COUNT(1) FROM c WHERE c.conversationId = @c AND c.id != @marker', parameters: [{ name: '@c', value: conversationId }, { name: '@marker', value: CONVERSATION_MARKER_ID }] },
            { partitionKey: conversationId },
          )
          .fetchAll();
        if ((left[0] ?? 0) > 0) continue;
        try {
          await container.item(CONVERSATION_MARKER_ID, conversationId).delete();
        } catch (error) {
          if (cosmosStatus(error) !== 404) throw error;
        }
      }
      return deleted.filter((record) => record.id !== CONVERSATION_MARKER_ID);
    } catch (error) {
      throw translateCosmosError(error, 'erase', this.secrets);
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.client.dispose();
  }

  private async read(container: Container, key: RecordKey): Promise<{ record?: InteractionRecord; etag?: string }> {
    try {
      const { resource } = await container.item(key.id, key.conversationId).read<Record<string, unknown>>();
      if (resource === undefined) return {};
      return { record: this.toRecord(resource), etag: typeof resource._etag === 'string' ? resource._etag : undefined };
    } catch (error) {
      if (cosmosStatus(error) === 404) return {};
      throw translateCosmosError(error, 'read', this.secrets);
    }
  }

  /** Database and container are created once, on first use; a failed attempt is retried by the next call. */
  private container(): Promise<Container> {
    if (this.closed) return Promise.reject(new TalkbackError('StorageRejected', 'the interaction store is closed'));
    this.containerPromise ??= this.createContainer().catch((error: unknown) => {
      this.containerPromise = undefined;
      throw translateCosmosError(error, 'container set-up', this.secrets);
    });
    return this.containerPromise;
  }

  private async createContainer(): Promise<Container> {
    const { database } = await createRacing(() => this.client.databases.createIfNotExists({ id: this.databaseId }));
    const { container } = await createRacing(() =>
      database.containers.createIfNotExists({
        id: this.containerId,
        partitionKey: { paths: [PARTITION_KEY_PATH] },
        ...(this.defaultTtlSeconds === undefined ? {} : { defaultTtl: this.defaultTtlSeconds }),
      }),
    );
    return container;
  }

  /** Drops Cosmos system properties (_etag, _rid, _self, _ts, _attachments, _lsn) and validates the rest. */
  private toRecord(doc: object): InteractionRecord {
    const plain = Object.fromEntries(Object.entries(doc).filter(([name]) => !name.startsWith('_')));
    const parsed = interactionRecordSchema.safeParse(plain);
    if (!parsed.success) {
      throw new TalkbackError('StorageRejected', `stored interaction record ${String(plain.id)} is invalid: ${parsed.error.message}`);
    }
    return parsed.data;
  }
}

function credentials(options: CosmosInteractionStoreOptions): { endpoint: string; key: string } {
  const { endpoint, key } = 'connectionString' in options ? parseConnectionString(options.connectionString) : options;
  if (!endpoint || !key || !URL.canParse(endpoint)) {
    // Never echo the key or the connection string that holds it.
    throw new TalkbackError('ConfigInvalid', 'Cosmos DB needs an endpoint URL and a key (AccountEndpoint=<url>;AccountKey=<key>)');
  }
  return { endpoint, key };
}

/** AccountEndpoint=https://x.documents.azure.com:443/;AccountKey=base64==; (the key itself contains '='). */
function parseConnectionString(connectionString: string): { endpoint?: string; key?: string } {
  const parts = new Map(
    connectionString.split(';').map((part) => {
      const at = part.indexOf('=');
      return at < 0 ? (['', ''] as const) : ([part.slice(0, at).trim().toLowerCase(), part.slice(at + 1).trim()] as const);
    }),
  );
  return { endpoint: parts.get('accountendpoint'), key: parts.get('accountkey') };
}

/**
 * createIfNotExists is a read then a create: when several workers start at once, the losers' create
 * answers 409. The resource exists then, so asking again reads it.
 */
async function createRacing<T>(create: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await create();
    } catch (error) {
      if (cosmosStatus(error) !== 409 || attempt >= 3) throw error;
    }
  }
}

/** Runs the caller's pure change. A record that is invalid or under another key is a bug: retrying cannot help. */
function applyChange(change: RecordChange, current: InteractionRecord | undefined, key: RecordKey): InteractionRecord | undefined {
  let next: InteractionRecord | undefined;
  try {
    next = change(current);
  } catch (error) {
    throw toTalkbackError(error);
  }
  if (next === undefined) return undefined;
  if (next.id !== key.id || next.conversationId !== key.conversationId) {
    throw new TalkbackError('StorageRejected', `a change to ${key.id} returned a record under another key`);
  }
  const parsed = interactionRecordSchema.safeParse(next);
  if (!parsed.success) {
    throw new TalkbackError('StorageRejected', `a change to ${key.id} returned an invalid record: ${parsed.error.message}`);
  }
  return parsed.data;
}
