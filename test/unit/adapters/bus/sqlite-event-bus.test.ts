import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import Database from 'better-sqlite3';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteEventBus, type SqliteEventBusOptions } from '../../../../adapters/bus/sqlite-event-bus.js';
import type { LockedMessage, SubscriptionSpec } from '../../../../adapters/ports.js';
import { audioStoredEvent, messageReceivedEvent } from '../../../support/events.js';

const ROOT = fileURLToPath(new URL('../../../../', import.meta.url));
const SUBSCRIPTIONS: SubscriptionSpec[] = [
  { name: 'speech', subjects: ['message.received'] },
  { name: 'log', subjects: '*' },
];
const LOCK_MS = 30_000;

let dir: string;
let path: string;
let clock: number;
const opened: SqliteEventBus[] = [];

function openBus(options: Partial<SqliteEventBusOptions> = {}): SqliteEventBus {
  const bus = new SqliteEventBus({ path, subscriptions: SUBSCRIPTIONS, lockDurationMs: LOCK_MS, now: () => clock, ...options });
  opened.push(bus);
  return bus;
}

async function receiveOne(bus: SqliteEventBus, subscription = 'speech'): Promise<LockedMessage | undefined> {
  const [message] = await bus.receiver(subscription).receive(1, 0);
  return message;
}

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'talkback-sqlite-bus-'));
  path = join(dir, 'data', 'bus.db');
  clock = Date.parse('2025-03-01T09:00:00Z');
});

afterEach(async () => {
  for (const bus of opened.splice(0)) await bus.close();
  await rm(dir, { recursive: true, force: true });
});

describe('SqliteEventBus locks and delivery counts', () => {
  it('redelivers a message whose lock expired, with delivery count 2, and not before', async () => {
    const bus = openBus();
    const event = messageReceivedEvent();
    await bus.publish(event);
    const first = await receiveOne(bus);
    expect(first?.deliveryCount).toBe(1);
    expect(first?.lockedUntil.getTime()).toBe(clock + LOCK_MS);

    clock += LOCK_MS - 1;
    expect(await receiveOne(bus)).toBeUndefined();
    clock += 1;
    const second = await receiveOne(bus);
    expect(second?.messageId).toBe(event.id);
    expect(second?.deliveryCount).toBe(2);
  });

  it('keeps an abandoned message invisible until its delay has passed', async () => {
    const bus = openBus();
    await bus.publish(messageReceivedEvent());
    const receiver = bus.receiver('speech');
    const first = await receiveOne(bus);
    await receiver.abandon(first!, { delayMs: 5_000 });

    clock += 4_999;
    expect(await receiveOne(bus)).toBeUndefined();
    expect(await bus.deadLetters('speech')).toEqual([]);
    clock += 1;
    expect((await receiveOne(bus))?.deliveryCount).toBe(2);
  });

  it('dead-letters with MaxDeliveryCountExceeded when the 10th delivery is abandoned', async () => {
    const bus = openBus();
    const event = messageReceivedEvent();
    await bus.publish(event);
    const receiver = bus.receiver('speech');
    const counts: number[] = [];
    for (;;) {
      const message = await receiveOne(bus);
      if (message === undefined) break;
      counts.push(message.deliveryCount);
      await receiver.abandon(message);
    }
    expect(counts).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const dead = await bus.deadLetters('speech');
    expect(dead).toHaveLength(1);
    expect(dead[0]).toMatchObject({ messageId: event.id, deliveryCount: 10, reason: 'MaxDeliveryCountExceeded' });
    expect(await bus.deadLetters('log')).toEqual([]);
  });

  it('dead-letters with MaxDeliveryCountExceeded when the 10th lock expires', async () => {
    const bus = openBus({ maxDeliveryCount: 10 });
    const event = messageReceivedEvent();
    await bus.publish(event);
    let deliveries = 0;
    while ((await receiveOne(bus)) !== undefined) {
      deliveries += 1;
      clock += LOCK_MS;
    }
    expect(deliveries).toBe(10);
    const [dead] = await bus.deadLetters('speech');
    expect(dead).toMatchObject({ messageId: event.id, deliveryCount: 10, reason: 'MaxDeliveryCountExceeded' });
    expect(dead?.deadLetteredAt.getTime()).toBe(clock);
  });

  it('skips a message it dead-letters and still fills the batch with the next ones', async () => {
    const bus = openBus({ maxDeliveryCount: 1 });
    const [a, b] = [messageReceivedEvent(), messageReceivedEvent()];
    await bus.publish(a);
    await receiveOne(bus);
    clock += LOCK_MS;
    await bus.publish(b);
    const batch = await bus.receiver('speech').receive(5, 0);
    expect(batch.map((m) => m.messageId)).toEqual([b.id]);
    expect((await bus.deadLetters('speech')).map((d) => d.messageId)).toEqual([a.id]);
  });

  it('refuses to renew or settle with a lock that expired, even when no one took the message', async () => {
    const bus = openBus();
    await bus.publish(messageReceivedEvent());
    const receiver = bus.receiver('speech');
    const message = await receiveOne(bus);
    const renewed = await receiver.renewLock(message!);
    clock += 10_000;
    expect((await receiver.renewLock(message!)).getTime()).toBe(clock + LOCK_MS);
    expect(message!.lockedUntil.getTime()).toBe(clock + LOCK_MS);
    expect(renewed.getTime()).toBeLessThan(clock + LOCK_MS);

    clock += LOCK_MS;
    await expect(receiver.renewLock(message!)).rejects.toMatchObject({ code: 'LockLost', retryable: true });
    await expect(receiver.complete(message!)).rejects.toMatchObject({ code: 'LockLost' });
  });

  it('refuses a stale lock token once another receiver holds the message', async () => {
    const bus = openBus();
    await bus.publish(messageReceivedEvent());
    const stale = await receiveOne(bus);
    clock += LOCK_MS;
    const fresh = await receiveOne(bus);
    expect(fresh?.deliveryCount).toBe(2);
    const receiver = bus.receiver('speech');
    await expect(receiver.complete(stale!)).rejects.toMatchObject({ code: 'LockLost' });
    await expect(receiver.deadLetter(stale!, 'X', 'y')).rejects.toMatchObject({ code: 'LockLost' });
    await receiver.complete(fresh!);
    clock += LOCK_MS;
    expect(await receiveOne(bus)).toBeUndefined();
    expect(await bus.deadLetters('speech')).toEqual([]);
  });
});

describe('SqliteEventBus duplicate detection', () => {
  it('drops a message id seen within the window and accepts it again after the window', async () => {
    const bus = openBus({ duplicateDetectionWindowMs: 60_000 });
    const event = messageReceivedEvent();
    await bus.publish(event);
    const receiver = bus.receiver('speech');
    await receiver.complete((await receiveOne(bus))!);

    clock += 59_999;
    await bus.publish(event);
    expect(await receiveOne(bus)).toBeUndefined();

    clock += 2;
    await bus.publish(event);
    expect((await receiveOne(bus))?.messageId).toBe(event.id);
  });
});

describe('SqliteEventBus topology', () => {
  it('keeps each subscription its own messages: waiting, locked and dead-lettered apart', async () => {
    const bus = openBus();
    for (let i = 0; i < 3; i += 1) await bus.publish(messageReceivedEvent());
    await bus.publish(audioStoredEvent());
    const receiver = bus.receiver('speech');
    const [one, two] = await receiver.receive(2, 0);
    await receiver.deadLetter(one!, 'EventInvalid', 'bad');
    expect(two).toBeDefined();
    expect((await bus.deadLetters('speech')).map((m) => [m.messageId, m.reason])).toEqual([[one!.messageId, 'EventInvalid']]);
    // One waiting; the locked one only once its lock has run out; the dead letter never.
    const waiting = await receiver.receive(10, 0);
    expect(waiting.map((m) => m.deliveryCount)).toEqual([1]);
    clock += LOCK_MS;
    expect((await receiver.receive(10, 0)).map((m) => m.messageId).sort()).toEqual([two!.messageId, waiting[0]!.messageId].sort());
    // Every subject on the catch-all subscription, untouched by the other's settlements.
    expect(await bus.receiver('log').receive(10, 0)).toHaveLength(4);
    expect(await bus.deadLetters('log')).toEqual([]);
  });

  it('refuses a receiver for a subscription that is not in the topology', () => {
    const bus = openBus();
    expect(() => bus.receiver('nope')).toThrow(expect.objectContaining({ code: 'NotFound' }));
  });

  it('wakes a waiting receive on close, and refuses work afterwards', async () => {
    const bus = openBus();
    const waiting = bus.receiver('speech').receive(1, 60_000);
    await bus.close();
    expect(await waiting).toEqual([]);
    await expect(bus.publish(messageReceivedEvent())).rejects.toMatchObject({ code: 'BusRejected', retryable: false });
    await expect(bus.receiver('speech').receive(1, 0)).rejects.toMatchObject({ code: 'BusRejected', retryable: false });
  });

  it('finds a message published by another connection to the same file while waiting', async () => {
    const consumer = openBus({ now: Date.now, pollIntervalMs: 50 });
    const producer = openBus({ now: Date.now });
    const waiting = consumer.receiver('speech').receive(1, 30_000);
    const event = messageReceivedEvent();
    await producer.publish(event);
    expect((await waiting)[0]?.messageId).toBe(event.id);
  });
});

describe('SqliteEventBus errors', () => {
  it('reports a write lock held past busyTimeoutMs as a retryable BusFailed, then recovers', async () => {
    const bus = openBus({ busyTimeoutMs: 50 });
    const other = new Database(path);
    other.exec('BEGIN IMMEDIATE');
    await expect(bus.publish(messageReceivedEvent())).rejects.toMatchObject({
      name: 'TalkbackError',
      code: 'BusFailed',
      retryable: true,
      details: { sqliteCode: 'SQLITE_BUSY' },
    });
    other.exec('ROLLBACK');
    other.close();
    const event = messageReceivedEvent();
    await bus.publish(event);
    expect((await receiveOne(bus))?.messageId).toBe(event.id);
  });

  it('fails permanently when the path cannot be opened as a database', () => {
    expect(() => openBus({ path: dir })).toThrow(
      expect.objectContaining({ code: 'BusRejected', retryable: false, details: { sqliteCode: 'SQLITE_CANTOPEN' } }),
    );
  });
});

describe('SqliteEventBus durability', () => {
  it('keeps published and locked-but-unsettled messages across close and reopen', async () => {
    const first = openBus();
    const [locked, waiting] = [messageReceivedEvent(), messageReceivedEvent()];
    await first.publish(locked);
    await first.publish(waiting);
    expect((await receiveOne(first))?.messageId).toBe(locked.id);
    await first.close();

    const second = openBus();
    // The lock outlives the process that took it, as on Service Bus.
    expect((await receiveOne(second))?.messageId).toBe(waiting.id);
    expect(await receiveOne(second)).toBeUndefined();
    clock += LOCK_MS;
    const redelivered = await receiveOne(second);
    expect(redelivered?.messageId).toBe(locked.id);
    expect(redelivered?.deliveryCount).toBe(2);
    expect(redelivered?.body).toEqual(locked);
    expect(await second.receiver('log').receive(10, 0)).toHaveLength(2);
  });

  it('has every message whose publish resolved after the publisher is killed with SIGKILL', async () => {
    const child = join(dir, 'publisher.mts');
    const busUrl = pathToFileURL(join(ROOT, 'adapters/bus/sqlite-event-bus.ts')).href;
    const eventsUrl = pathToFileURL(join(ROOT, 'test/support/events.ts')).href;
    await writeFile(
      child,
      `import { SqliteEventBus } from ${JSON.stringify(busUrl)};
       import { messageReceivedEvent } from ${JSON.stringify(eventsUrl)};
       const bus = new SqliteEventBus({ path: process.argv[2], subscriptions: [{ name: 'log', subjects: '*' }] });
       for (let i = 0; i < 1_000_000; i += 1) {
         const event = messageReceivedEvent();
         await bus.publish(event);
         process.stdout.write(event.id + '\\n');
       }`,
    );
    const publisher = spawn(process.execPath, ['--import', 'tsx', child, path], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stderr = '';
    publisher.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<NodeJS.Signals | null>((resolve) => publisher.on('exit', (_code, signal) => resolve(signal)));

    const acknowledged: string[] = [];
    for await (const line of createInterface({ input: publisher.stdout })) {
      if (line !== '') acknowledged.push(line);
      if (acknowledged.length === 200) publisher.kill('SIGKILL');
    }
    expect(await exited, stderr).toBe('SIGKILL');
    expect(acknowledged.length).toBeGreaterThanOrEqual(200);

    const bus = openBus({ subscriptions: [{ name: 'log', subjects: '*' }], now: Date.now });
    const stored = new Set<string>();
    const receiver = bus.receiver('log');
    for (;;) {
      const batch = await receiver.receive(500, 0);
      if (batch.length === 0) break;
      for (const message of batch) stored.add(message.messageId);
    }
    expect(acknowledged.filter((id) => !stored.has(id))).toEqual([]);
  });
});
