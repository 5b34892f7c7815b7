import { createServer, request, type IncomingHttpHeaders, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { CosmosClient, ErrorResponse, TimeoutError, type Container } from '@azure/cosmos';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { translateCosmosError } from '../../../../adapters/store/cosmos-errors.js';
import { CosmosInteractionStore, type CosmosInteractionStoreOptions } from '../../../../adapters/store/cosmos-interaction-store.js';
import { randomId } from '../../../../core/ids.js';
import { applyEvent, takeClaim, type ClaimOutcome } from '../../../../core/record-changes.js';
import { emptyRecord, type InteractionRecord, type RecordKey } from '../../../../core/record.js';
import { COSMOS_TEST_CONNECTION_POLICY, startCosmosServer, type CosmosTestServer } from '../../../support/cosmos-server.js';
import { messageReceivedEvent } from '../../../support/events.js';

const NOW = '2025-03-01T09:00:00.000Z';

let server: CosmosTestServer;
let raw: CosmosClient;
const stores: CosmosInteractionStore[] = [];

beforeAll(async () => {
  server = await startCosmosServer();
  raw = new CosmosClient({ endpoint: server.endpoint, key: server.key, connectionPolicy: { ...COSMOS_TEST_CONNECTION_POLICY } });
});
afterAll(async () => {
  await Promise.all(stores.map((s) => s.close()));
  raw.dispose();
  await server.stop();
});

/** A store on its own database, so tests share the server but no data. */
function newStore(extra: Partial<CosmosInteractionStoreOptions> = {}, databaseId = `db-${randomId()}`) {
  const store = new CosmosInteractionStore({
    endpoint: server.endpoint,
    key: server.key,
    databaseId,
    connectionPolicy: { ...COSMOS_TEST_CONNECTION_POLICY },
    ...extra,
  });
  stores.push(store);
  return { store, container: raw.database(databaseId).container('interactions') };
}

async function rawDoc(container: Container, key: RecordKey): Promise<Record<string, unknown> | undefined> {
  return (await container.item(key.id, key.conversationId).read<Record<string, unknown>>()).resource;
}

interface SeenRequest {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
}
type Hook = (request: SeenRequest) => Promise<number | void> | number | void;
interface Interposer {
  endpoint: string;
  /** "METHOD /path" of every request, in arrival order. */
  seen: string[];
  /** Runs before a request is forwarded: it may write through `raw` first, or answer with a status instead. */
  hook: Hook | undefined;
  stop(): Promise<void>;
}

/** A pass-through proxy in front of the test server that lets a test act between two requests of the store. */
async function startInterposer(target: string): Promise<Interposer> {
  const interposer: Interposer = { endpoint: '', seen: [], hook: undefined, stop: async () => undefined };
  const proxy = createServer((req, res) => void relay(req, res));
  async function relay(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const seen = { method: req.method ?? 'GET', path: req.url ?? '/', headers: req.headers };
    interposer.seen.push(`${seen.method} ${seen.path}`);
    const answer = await interposer.hook?.(seen);
    if (typeof answer === 'number') {
      res.writeHead(answer, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code: 'Injected', message: `injected ${answer}` }));
      return;
    }
    const upstream = request(new URL(seen.path, target), { method: seen.method, headers: req.headers }, (reply) => {
      res.writeHead(reply.statusCode ?? 502, reply.headers);
      reply.pipe(res);
    });
    upstream.end(Buffer.concat(chunks));
  }
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  interposer.endpoint = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
  interposer.stop = () =>
    new Promise<void>((resolve) => {
      proxy.close(() => resolve());
      proxy.closeAllConnections();
    });
  return interposer;
}

const isReplace = (r: SeenRequest) => r.method === 'PUT' && r.path.includes('/docs/');
const isCreate = (r: SeenRequest) =>
  r.method === 'POST' && r.path.endsWith('/docs') && r.headers['x-ms-documentdb-isquery'] === undefined && r.headers['x-ms-documentdb-is-upsert'] === undefined;

function withoutSystemFields(doc: Record<string, unknown> | undefined) {
  return doc && Object.fromEntries(Object.entries(doc).filter(([name]) => !name.startsWith('_')));
}

describe('CosmosInteractionStore container set-up', () => {
  it('creates the container partitioned by /conversationId with the default TTL on first use', async () => {
    const { store, container } = newStore({ defaultTtlSeconds: 30 * 86_400 });
    expect(await store.get({ conversationId: 'c', id: 'r' })).toBeUndefined();
    const { resource } = await container.read();
    expect(resource?.partitionKey?.paths).toEqual(['/conversationId']);
    expect(resource?.defaultTtl).toBe(2_592_000);
  });

  it('copes with several workers setting up the same database and container at once', async () => {
    const databaseId = `db-${randomId()}`;
    const workers = Array.from({ length: 4 }, () => newStore({}, databaseId).store);
    const results = await Promise.all(workers.map((store) => store.get({ conversationId: 'c', id: 'r' })));
    expect(results).toEqual([undefined, undefined, undefined, undefined]);
    const { resources } = await raw.database(databaseId).containers.readAll().fetchAll();
    expect(resources.map((c) => c.id)).toEqual(['interactions']);
  });

  it('sets no TTL when none is configured, and uses the configured names', async () => {
    const databaseId = `db-${randomId()}`;
    const { store } = newStore({ containerId: 'records' }, databaseId);
    await store.get({ conversationId: 'c', id: 'r' });
    const { resource } = await raw.database(databaseId).container('records').read();
    expect(resource?.id).toBe('records');
    expect(resource?.partitionKey?.paths).toEqual(['/conversationId']);
    expect(resource?.defaultTtl).toBeUndefined();
  });

  it('accepts a connection string', async () => {
    const databaseId = `db-${randomId()}`;
    const store = new CosmosInteractionStore({
      connectionString: `AccountEndpoint=${server.endpoint}/;AccountKey=${server.key};`,
      databaseId,
      connectionPolicy: { ...COSMOS_TEST_CONNECTION_POLICY },
    });
    stores.push(store);
    const key = { conversationId: 'conv-cs', id: 'rec-cs' };
    await store.update(key, () => emptyRecord(key, NOW));
    expect(await rawDoc(raw.database(databaseId).container('interactions'), key)).toMatchObject({ id: 'rec-cs', conversationId: 'conv-cs' });
  });

  it('refuses an endpoint that is not a URL as ConfigInvalid', () => {
    expect(() => new CosmosInteractionStore({ endpoint: 'not a url', key: server.key })).toThrow(
      expect.objectContaining({ name: 'TalkbackError', code: 'ConfigInvalid', retryable: false }),
    );
  });

  it('refuses a malformed connection string without echoing the key', () => {
    const secret = 'c3VwZXItc2VjcmV0LWFjY291bnQta2V5';
    const make = () => new CosmosInteractionStore({ connectionString: `AccountEndpoint=not a url;AccountKey=${secret}` });
    expect(make).toThrow(expect.objectContaining({ name: 'TalkbackError', code: 'ConfigInvalid', retryable: false }));
    try {
      make();
    } catch (error) {
      expect(String((error as Error).message)).not.toContain(secret);
    }
  });
});

describe('CosmosInteractionStore documents', () => {
  it('stores the record as the document, and reads back exactly what update returned', async () => {
    const { store, container } = newStore();
    const event = messageReceivedEvent({ data: { conversationId: 'conv-doc', text: '주문 확인 "quoted" \\ 😀' } });
    const key = { conversationId: 'conv-doc', id: event.id };
    const expected = applyEvent(undefined, event, NOW);
    const returned = await store.update(key, (current) => applyEvent(current, event, NOW));
    expect(returned).toEqual(expected);
    expect(await store.get(key)).toEqual(expected);
    const doc = await rawDoc(container, key);
    expect(withoutSystemFields(doc)).toEqual(expected);
    expect(typeof doc?._etag).toBe('string');
    // The document is partitioned by the record's own conversationId field.
    expect((await container.item(key.id, 'another-conversation').read()).resource).toBeUndefined();
  });

  it('reports a stored document that fails the schema as a permanent StorageRejected', async () => {
    const { store, container } = newStore();
    const key = { conversationId: 'conv-bad', id: 'rec-bad' };
    await store.get(key);
    await container.items.create({ ...key, stages: 'not an object' });
    await expect(store.get(key)).rejects.toMatchObject({ name: 'TalkbackError', code: 'StorageRejected', retryable: false });
  });

  it('refuses a change that returns a record under another key, writing nothing', async () => {
    const { store, container } = newStore();
    const key = { conversationId: 'conv-key', id: 'rec-key' };
    const other = emptyRecord({ conversationId: 'conv-key', id: 'rec-other' }, NOW);
    await expect(store.update(key, () => other)).rejects.toMatchObject({ code: 'StorageRejected', retryable: false });
    expect(await rawDoc(container, key)).toBeUndefined();
    expect(await rawDoc(container, { conversationId: 'conv-key', id: 'rec-other' })).toBeUndefined();
  });

});

describe('CosmosInteractionStore when another writer gets in between read and write', () => {
  let proxy: Interposer;
  beforeAll(async () => {
    proxy = await startInterposer(server.endpoint);
  });
  afterAll(() => proxy.stop());
  afterEach(() => {
    proxy.hook = undefined;
  });

  function proxiedStore(extra: Partial<CosmosInteractionStoreOptions> = {}) {
    const databaseId = `db-${randomId()}`;
    const store = new CosmosInteractionStore({
      endpoint: proxy.endpoint,
      key: server.key,
      databaseId,
      connectionPolicy: { ...COSMOS_TEST_CONNECTION_POLICY },
      ...extra,
    });
    stores.push(store);
    return { store, databaseId, container: raw.database(databaseId).container('interactions') };
  }

  const failure = (eventId: string) => ({ function: 'mail', code: 'MailFailed', message: 'm', at: NOW, eventId });

  it('sets up database and container once for concurrent first calls', async () => {
    const { store, databaseId } = proxiedStore();
    const before = proxy.seen.length;
    await Promise.all(Array.from({ length: 5 }, (_, i) => store.get({ conversationId: 'c', id: `r${i}` })));
    await store.get({ conversationId: 'c', id: 'later' });
    const requests = proxy.seen.slice(before);
    expect(requests.filter((r) => r === `GET /dbs/${databaseId}`)).toHaveLength(1);
    expect(requests.filter((r) => r === `GET /dbs/${databaseId}/colls/interactions`)).toHaveLength(1);
    expect(requests.filter((r) => r.includes('/docs/'))).toHaveLength(6);
  });

  it('tries the set-up again on the next call after it failed', async () => {
    const { store, container } = proxiedStore();
    proxy.hook = () => 503;
    await expect(store.get({ conversationId: 'c', id: 'r' })).rejects.toMatchObject({ code: 'ServiceUnavailable', retryable: true });
    proxy.hook = undefined;
    expect(await store.get({ conversationId: 'c', id: 'r' })).toBeUndefined();
    expect((await container.read()).resource?.partitionKey?.paths).toEqual(['/conversationId']);
  });

  it('re-reads and re-applies the change when the replace finds a newer ETag (412)', async () => {
    const { store, container } = proxiedStore();
    const key = { conversationId: 'conv-412', id: 'rec-412' };
    await store.update(key, () => emptyRecord(key, NOW));
    proxy.hook = async (r) => {
      if (!isReplace(r)) return;
      proxy.hook = undefined;
      const theirs = await store.get(key);
      await container.items.upsert({ ...theirs, failures: [failure('theirs')] });
    };
    const seen: string[][] = [];
    const result = await store.update(key, (current) => {
      seen.push(current!.failures.map((f) => f.eventId));
      return { ...current!, failures: [...current!.failures, failure('mine')] };
    });
    expect(seen).toEqual([[], ['theirs']]);
    expect(result?.failures.map((f) => f.eventId)).toEqual(['theirs', 'mine']);
    expect(await store.get(key)).toEqual(result);
  });

  it('creates the record when it vanished (TTL) between the read and the replace (404)', async () => {
    const { store, container } = proxiedStore();
    const key = { conversationId: 'conv-404', id: 'rec-404' };
    await store.update(key, () => ({ ...emptyRecord(key, NOW), text: 'old' }));
    proxy.hook = async (r) => {
      if (!isReplace(r)) return;
      proxy.hook = undefined;
      await container.item(key.id, key.conversationId).delete();
    };
    const seen: (string | undefined)[] = [];
    const result = await store.update(key, (current) => {
      seen.push(current === undefined ? 'none' : current.text);
      return { ...(current ?? emptyRecord(key, NOW)), failures: [failure('mine')] };
    });
    expect(seen).toEqual(['old', 'none']);
    expect(result?.text).toBeUndefined();
    expect(await store.get(key)).toEqual(result);
  });

  it('re-reads and replaces when another writer created the record first (409)', async () => {
    const { store, container } = proxiedStore();
    const key = { conversationId: 'conv-409', id: 'rec-409' };
    await store.get(key);
    proxy.hook = async (r) => {
      if (!isCreate(r)) return;
      proxy.hook = undefined;
      await container.items.create({ ...emptyRecord(key, NOW), failures: [failure('theirs')] });
    };
    const seen: string[][] = [];
    const result = await store.update(key, (current) => {
      seen.push(current?.failures.map((f) => f.eventId) ?? ['none']);
      const base = current ?? emptyRecord(key, NOW);
      return { ...base, failures: [...base.failures, failure('mine')] };
    });
    expect(seen).toEqual([['none'], ['theirs']]);
    expect(result?.failures.map((f) => f.eventId)).toEqual(['theirs', 'mine']);
    expect(await store.get(key)).toEqual(result);
  });

  it('gives up after maxUpdateAttempts with a retryable Busy, leaving the other writes', async () => {
    const { store, container } = proxiedStore({ maxUpdateAttempts: 3 });
    const key = { conversationId: 'conv-lose', id: 'rec-lose' };
    await store.update(key, () => emptyRecord(key, NOW));
    let theirs = 0;
    proxy.hook = async (r) => {
      if (!isReplace(r)) return;
      theirs += 1;
      const doc = await rawDoc(container, key);
      await container.items.upsert({ ...doc, text: `theirs ${theirs}` });
    };
    let calls = 0;
    const attempt = store.update(key, (current) => ({ ...current!, text: `mine ${(calls += 1)}` }));
    await expect(attempt).rejects.toMatchObject({ name: 'TalkbackError', code: 'Busy', retryable: true });
    expect(calls).toBe(3);
    expect((await store.get(key))?.text).toBe('theirs 3');
  });
});

describe('CosmosInteractionStore claims', () => {
  it('gives each claim to exactly one of two workers on separate clients, existing record or not', async () => {
    const databaseId = `db-${randomId()}`;
    const workers = [newStore({}, databaseId).store, newStore({}, databaseId).store];
    await workers[0]!.get({ conversationId: 'warm', id: 'up' });
    const now = new Date(NOW);
    for (let round = 0; round < 15; round += 1) {
      const key = { conversationId: `conv-claim-${round % 3}`, id: `rec-claim-${round}` };
      // Usually the record exists (message.received came first): both replace If-Match the same ETag.
      // Otherwise both try to create it and the loser's 409 sends it back to read.
      if (round % 3 !== 0) await workers[0]!.update(key, () => emptyRecord(key, NOW));
      const outcomes = await Promise.all(
        workers.map(async (store, i) => {
          let outcome: ClaimOutcome | undefined;
          await store.update(key, (current) => {
            const result = takeClaim(current, key, { action: 'mail', owner: `worker-${i}`, leaseMs: 60_000, now });
            outcome = result.outcome;
            return result.next;
          });
          return outcome;
        }),
      );
      expect([...outcomes].sort()).toEqual(['claimed', 'held']);
      const stored = await workers[1]!.get(key);
      expect(stored?.claims.mail?.owner).toBe(`worker-${outcomes.indexOf('claimed')}`);
    }
  });

  it('loses no update among 3 clients x 5 concurrent writers', async () => {
    const databaseId = `db-${randomId()}`;
    const clients = [newStore({}, databaseId).store, newStore({}, databaseId).store, newStore({}, databaseId).store];
    const key = { conversationId: 'conv-many', id: 'rec-many' };
    await Promise.all(
      Array.from({ length: 15 }, (_, i) =>
        clients[i % 3]!.update(key, (current: InteractionRecord | undefined) => {
          const base = current ?? emptyRecord(key, NOW);
          return { ...base, appliedEvents: [...base.appliedEvents, `event-${i}`] };
        }),
      ),
    );
    const stored = await clients[0]!.get(key);
    expect(stored?.appliedEvents.slice().sort()).toEqual(Array.from({ length: 15 }, (_, i) => `event-${i}`).sort());
  });
});

describe('Cosmos error translation', () => {
  const KEY = 'c2VjcmV0LWtleS1mb3ItdGVzdHMtb25seQ==';

  async function caught(work: () => Promise<unknown>): Promise<unknown> {
    try {
      await work();
    } catch (error) {
      return error;
    }
    throw new Error('expected the SDK to throw');
  }

  it('maps the status of real ErrorResponse objects from the server', async () => {
    const { store, container } = newStore();
    const key = { conversationId: 'conv-err', id: 'rec-err' };
    await store.update(key, () => emptyRecord(key, NOW));

    const conflict = await caught(() => container.items.create(emptyRecord(key, NOW)));
    expect(conflict).toBeInstanceOf(ErrorResponse);
    expect(translateCosmosError(conflict, 'write')).toMatchObject({ code: 'Conflict', retryable: false, details: { status: 409 } });

    const stale = await caught(() =>
      container.item(key.id, key.conversationId).replace(emptyRecord(key, NOW), { accessCondition: { type: 'IfMatch', condition: 'stale' } }),
    );
    expect(translateCosmosError(stale, 'write')).toMatchObject({ code: 'PreconditionFailed', retryable: false });

    const missing = await caught(() => raw.database(`nope-${randomId()}`).read());
    expect(translateCosmosError(missing, 'read')).toMatchObject({ code: 'NotFound', retryable: false });
  });

  it('maps throttling, server errors, RetryWith and timeouts as retryable, carrying retryAfterInMs', () => {
    const response = (code: number, retryAfterInMs?: number) => Object.assign(new ErrorResponse('service says no'), { code, retryAfterInMs });
    expect(translateCosmosError(response(429, 250), 'write')).toMatchObject({ code: 'Throttled', retryable: true, retryAfterMs: 250 });
    expect(translateCosmosError(response(503), 'write')).toMatchObject({ code: 'ServiceUnavailable', retryable: true, retryAfterMs: undefined });
    expect(translateCosmosError(response(500), 'write')).toMatchObject({ code: 'ServiceUnavailable', retryable: true });
    expect(translateCosmosError(response(408), 'write')).toMatchObject({ code: 'Timeout', retryable: true });
    expect(translateCosmosError(response(449), 'write')).toMatchObject({ code: 'StorageFailed', retryable: true });
    expect(translateCosmosError(response(401), 'write')).toMatchObject({ code: 'Unauthorized', retryable: false });
    expect(translateCosmosError(response(403), 'write')).toMatchObject({ code: 'Unauthorized', retryable: false });
    expect(translateCosmosError(response(400, 100), 'write')).toMatchObject({ code: 'BadRequest', retryable: false, retryAfterMs: undefined });
    const leaky = translateCosmosError(Object.assign(new ErrorResponse(`bad key ${KEY}`), { code: 401 }), 'read', [KEY]);
    expect(leaky.message).not.toContain(KEY);
    expect(leaky.message).toContain('bad key [redacted]');
    expect(translateCosmosError(new TimeoutError('Timeout Error! Request took more than 5 ms'), 'read')).toMatchObject({
      code: 'Timeout',
      retryable: true,
    });
  });

  it('reports an unreachable account as retryable StorageFailed, without the key', async () => {
    const down = await startCosmosServer();
    await down.stop();
    const store = new CosmosInteractionStore({ endpoint: down.endpoint, key: KEY, connectionPolicy: { ...COSMOS_TEST_CONNECTION_POLICY } });
    stores.push(store);
    const error = await caught(() => store.get({ conversationId: 'c', id: 'r' }));
    expect(error).toMatchObject({ name: 'TalkbackError', code: 'StorageFailed', retryable: true });
    expect((error as Error).message).toMatch(/ECONNREFUSED/);
    expect((error as Error).message).not.toContain(KEY);
  });

  describe('through the adapter, against a server that answers every request with one status', () => {
    let stub: Server;
    let endpoint: string;
    let status = 429;

    beforeAll(async () => {
      stub = createServer((req, res) => {
        req.resume();
        res.writeHead(status, { 'content-type': 'application/json', 'x-ms-retry-after-ms': '1234' });
        res.end(JSON.stringify({ code: 'Stub', message: `stub answered ${status}` }));
      });
      await new Promise<void>((resolve) => stub.listen(0, '127.0.0.1', resolve));
      endpoint = `http://127.0.0.1:${(stub.address() as AddressInfo).port}`;
    });
    afterAll(async () => {
      stub.closeAllConnections();
      await new Promise((resolve) => stub.close(resolve));
    });

    function stubStore() {
      const store = new CosmosInteractionStore({
        connectionString: `AccountEndpoint=${endpoint}/;AccountKey=${KEY}`,
        // No SDK-level retries: the bus redelivers; we want the translated first failure.
        connectionPolicy: { ...COSMOS_TEST_CONNECTION_POLICY, retryOptions: { maxRetryAttemptCount: 0, fixedRetryIntervalInMilliseconds: 0, maxWaitTimeInSeconds: 0 } },
      });
      stores.push(store);
      return store;
    }

    it.each([
      [429, { code: 'Throttled', retryable: true, retryAfterMs: 1234 }],
      [503, { code: 'ServiceUnavailable', retryable: true, retryAfterMs: 1234 }],
      [401, { code: 'Unauthorized', retryable: false, retryAfterMs: undefined }],
      [403, { code: 'Unauthorized', retryable: false, retryAfterMs: undefined }],
    ] as const)('%i', async (answer, expected) => {
      status = answer;
      const store = stubStore();
      const error = await caught(() => store.update({ conversationId: 'c', id: 'r' }, () => undefined));
      expect(error).toMatchObject({ name: 'TalkbackError', ...expected });
      expect((error as Error).message).toContain(`stub answered ${answer}`);
      expect((error as Error).message).not.toContain(KEY);
    });
  });

  it('refuses calls after close as permanent StorageRejected', async () => {
    const { store } = newStore();
    await store.close();
    await expect(store.get({ conversationId: 'c', id: 'r' })).rejects.toMatchObject({ code: 'StorageRejected', retryable: false });
  });
});
