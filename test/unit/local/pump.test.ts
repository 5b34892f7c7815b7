import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { SqliteEventBus, type SqliteEventBusOptions } from '../../../adapters/bus/sqlite-event-bus.js';
import type { LockedMessage } from '../../../adapters/ports.js';
import { TalkbackError } from '../../../core/errors.js';
import { createLogger } from '../../../core/logger.js';
import { startPump, type Pump, type PumpOptions, type SettledInfo } from '../../../local/pump.js';
import { messageReceivedEvent } from '../../support/events.js';

let dir: string;
let bus: SqliteEventBus;
let pumps: Pump[];
let settled: SettledInfo[];
let logs: Array<Record<string, unknown>>;

function openBus(options: Partial<SqliteEventBusOptions> = {}): SqliteEventBus {
  return new SqliteEventBus({ path: join(dir, 'bus.db'), subscriptions: [{ name: 'speech', subjects: ['message.received'] }], ...options });
}

function pump(options: Partial<PumpOptions> & Pick<PumpOptions, 'handle'>): Pump {
  const logger = createLogger('info', { write: (line: string) => void logs.push(JSON.parse(line) as Record<string, unknown>) });
  const started = startPump({
    receiver: bus.receiver('speech'),
    logger,
    name: 'speech',
    receiveWaitMs: 100,
    retryBaseDelayMs: 20,
    onSettled: (info) => settled.push(info),
    ...options,
  });
  pumps.push(started);
  return started;
}

async function publish(count: number): Promise<string[]> {
  const ids: string[] = [];
  for (let i = 0; i < count; i += 1) {
    const event = messageReceivedEvent();
    await bus.publish(event);
    ids.push(event.id);
  }
  return ids;
}

/**
 * Nothing left on the subscription, as a second bus on the same file sees it through the public API
 * with its clock past every lock and abandon delay: nothing to deliver, nothing dead-lettered.
 */
async function expectNothingLeft(): Promise<void> {
  const later = openBus({ now: () => Date.UTC(9999, 0, 1) });
  try {
    expect(await later.receiver('speech').receive(10, 0)).toEqual([]);
    expect(await later.deadLetters('speech')).toEqual([]);
  } finally {
    await later.close();
  }
}

const until = (check: () => void | Promise<void>) => vi.waitFor(check, { timeout: 20_000, interval: 10 });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'talkback-pump-'));
  bus = openBus();
  pumps = [];
  settled = [];
  logs = [];
});

afterEach(async () => {
  for (const p of pumps) await p.stop(0);
  await bus.close();
  await rm(dir, { recursive: true, force: true });
});

describe('startPump', () => {
  it('completes a message when the handler resolves, and logs one status line for it', async () => {
    const ids = await publish(3);
    const handled: string[] = [];
    pump({ handle: async (m) => void handled.push(m.messageId) });

    await until(() => expect(settled).toHaveLength(3));
    expect(handled.sort()).toEqual([...ids].sort());
    expect(settled.map((s) => s.outcome)).toEqual(['complete', 'complete', 'complete']);
    await expectNothingLeft();
    const line = logs.find((l) => l.eventId === ids[0]);
    expect(line).toMatchObject({ level: 30, function: 'speech', outcome: 'complete', deliveryCount: 1 });
    expect(typeof line?.ms).toBe('number');
  });

  it('abandons a retryable failure with exponential backoff until the handler succeeds', async () => {
    const [id] = await publish(1);
    const attempts: number[] = [];
    pump({
      random: () => 0.5, // no jitter: the delays are exactly base * 2^(n-1)
      handle: async (m) => {
        attempts.push(m.deliveryCount);
        if (attempts.length < 3) throw new TalkbackError('Throttled', 'slow down');
      },
    });

    await until(() => expect(settled.at(-1)?.outcome).toBe('complete'));
    expect(attempts).toEqual([1, 2, 3]);
    expect(settled.map((s) => [s.messageId, s.outcome, s.deliveryCount, s.delayMs])).toEqual([
      [id, 'abandon', 1, 20],
      [id, 'abandon', 2, 40],
      [id, 'complete', 3, undefined],
    ]);
    expect(settled[0]?.error?.code).toBe('Throttled');
  });

  it('dead-letters a permanent failure with its code as the reason, after one attempt', async () => {
    const [id] = await publish(1);
    let attempts = 0;
    pump({
      handle: async () => {
        attempts += 1;
        throw new TalkbackError('EventInvalid', 'data.text: required');
      },
    });

    await until(() => expect(settled).toHaveLength(1));
    expect(attempts).toBe(1);
    expect(settled[0]?.outcome).toBe('deadletter');
    const [dead] = await bus.deadLetters('speech');
    expect(dead).toMatchObject({ messageId: id, reason: 'EventInvalid', description: 'data.text: required', deliveryCount: 1 });
  });

  it('leaves the bus to dead-letter a message that keeps failing past the max delivery count', async () => {
    await bus.close();
    bus = openBus({ maxDeliveryCount: 3 });
    const [id] = await publish(1);
    let attempts = 0;
    pump({
      retryBaseDelayMs: 1,
      handle: async () => {
        attempts += 1;
        throw new Error('speech service down');
      },
    });

    await until(() => expect(settled).toHaveLength(3));
    expect(attempts).toBe(3);
    const [dead] = await bus.deadLetters('speech');
    expect(dead).toMatchObject({ messageId: id, reason: 'MaxDeliveryCountExceeded', deliveryCount: 3 });
  });

  it('never runs more than maxConcurrentCalls handlers at once', async () => {
    await publish(10);
    let running = 0;
    let peak = 0;
    pump({
      maxConcurrentCalls: 3,
      handle: async () => {
        running += 1;
        peak = Math.max(peak, running);
        await sleep(5 + Math.floor(Math.random() * 20));
        running -= 1;
      },
    });

    await until(() => expect(settled).toHaveLength(10));
    expect(settled.every((s) => s.outcome === 'complete')).toBe(true);
    expect(peak).toBe(3);
  });

  it("renews on the message's own lock, which may be shorter than the configured duration", async () => {
    await bus.close();
    bus = openBus({ lockDurationMs: 1_000, now: Date.now }); // the subscription grants 1 s
    const [id] = await publish(1);
    const seen: number[] = [];
    pump({
      lockDurationMs: 30_000, // what the config says
      handle: async (m: LockedMessage) => {
        seen.push(m.lockedUntil.getTime());
        // Outlive the first lock twice over: only renewals at ~half of the real lock keep it.
        await vi.waitFor(
          () => {
            if (m.lockedUntil.getTime() !== seen.at(-1)) seen.push(m.lockedUntil.getTime());
            expect(seen.length).toBeGreaterThanOrEqual(3);
          },
          { timeout: 5_000, interval: 10 },
        );
      },
    });

    await until(() => expect(settled).toHaveLength(1));
    expect(settled[0]).toMatchObject({ messageId: id, outcome: 'complete', deliveryCount: 1 });
    await expectNothingLeft();
  });

  it('stops renewing after maxLockRenewalMs and warns once, leaving the handler to run while the lock lapses', async () => {
    await bus.close();
    bus = openBus({ lockDurationMs: 600, now: Date.now });
    const other = bus.receiver('speech');
    const [id] = await publish(1);
    let taken: LockedMessage | undefined;
    pump({
      maxConcurrentCalls: 1, // so the pump itself cannot take the message again
      lockDurationMs: 600,
      maxLockRenewalMs: 500,
      handle: async () => {
        // Another receiver gets the message once the unrenewed lock has lapsed.
        await until(async () => {
          [taken] = await other.receive(1, 0);
          expect(taken).toBeDefined();
        });
      },
    });

    await until(() => expect(settled).toHaveLength(1));
    expect(settled[0]).toMatchObject({ messageId: id, outcome: 'lockLost' });
    expect(taken).toMatchObject({ messageId: id, deliveryCount: 2 });
    const warnings = logs.filter((l) => String(l.msg).startsWith('lock renewal stopped'));
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatchObject({ level: 40, function: 'speech', eventId: id, maxLockRenewalMs: 500 });
    await other.complete(taken!);
  });

  it('does not settle a message whose lock was lost while the handler ran', async () => {
    await bus.close();
    let clock = Date.now();
    bus = openBus({ lockDurationMs: 30_000, now: () => clock });
    const [id] = await publish(1);
    let taken: LockedMessage | undefined;
    pump({
      maxConcurrentCalls: 1,
      handle: async () => {
        clock += 30_000; // the lock expires and someone else gets the message
        [taken] = await bus.receiver('speech').receive(1, 0);
      },
    });

    await until(() => expect(settled).toHaveLength(1));
    expect(settled[0]).toMatchObject({ messageId: id, outcome: 'lockLost' });
    expect(taken?.deliveryCount).toBe(2);
    await bus.receiver('speech').complete(taken!);
    expect(await bus.deadLetters('speech')).toEqual([]);
  });

  it('on stop, lets the locks of handlers still running after the grace period lapse: no one else gets their messages before', async () => {
    await bus.close();
    let clock = Date.now();
    bus = openBus({ lockDurationMs: 30_000, now: () => clock });
    await publish(3);
    let started = 0;
    let finished = 0;
    let finish!: () => void;
    const gate = new Promise<void>((resolve) => (finish = resolve));
    const stopping = pump({
      maxConcurrentCalls: 2,
      handle: async () => {
        const mine = (started += 1);
        try {
          await gate;
          if (mine === 1) throw new TalkbackError('Timeout', 'late failure');
        } finally {
          finished += 1;
        }
      },
    });
    await until(() => expect(started).toBe(2));

    await stopping.stop(20);
    expect(stopping.inFlight).toBe(0);
    expect(settled).toEqual([]);
    expect(logs.filter((l) => l.left !== undefined)).toEqual([expect.objectContaining({ level: 40, function: 'speech', left: 2 })]);
    const other = bus.receiver('speech');
    // Right after stop only the message no handler took is deliverable.
    const now = await other.receive(10, 0);
    expect(now.map((m) => m.deliveryCount)).toEqual([1]);
    await other.complete(now[0]!);
    clock += 30_000; // the lapsed locks make the other two deliverable, as a second delivery
    const later = await other.receive(10, 0);
    expect(later.map((m) => m.deliveryCount)).toEqual([2, 2]);

    finish(); // the late handlers, one failing, settle nothing and throw nothing
    await until(() => expect(finished).toBe(2));
    await sleep(20);
    expect(settled).toEqual([]);
    expect(logs.filter((l) => (l.level as number) >= 50)).toEqual([]);
    for (const message of later) await other.complete(message);
    await expectNothingLeft();
  });

  it('keeps renewing locks during the grace period and stops when it ends', async () => {
    await bus.close();
    bus = openBus({ lockDurationMs: 1_000, now: Date.now });
    const [id] = await publish(1);
    let started = false;
    let finish!: () => void;
    const gate = new Promise<void>((resolve) => (finish = resolve));
    const stopping = pump({
      handle: async () => {
        started = true;
        await gate;
      },
    });
    await until(() => expect(started).toBe(true));

    await stopping.stop(1_600); // longer than the lock: only renewal keeps it
    const other = bus.receiver('speech');
    expect(await other.receive(1, 0)).toEqual([]);
    let taken: LockedMessage | undefined;
    await until(async () => {
      [taken] = await other.receive(1, 0);
      expect(taken).toMatchObject({ messageId: id, deliveryCount: 2 });
    });
    finish();
    await other.complete(taken!);
    expect(settled).toEqual([]);
  });

  it('waits for running handlers within the grace period and settles them', async () => {
    await publish(1);
    let started = false;
    const stopping = pump({
      handle: async () => {
        started = true;
        await sleep(50);
      },
    });
    await until(() => expect(started).toBe(true));
    await stopping.stop(30_000);
    expect(settled.map((s) => s.outcome)).toEqual(['complete']);
    await expectNothingLeft();
  });

  it('logs a failing receive and keeps trying until stopped', async () => {
    const p = pump({ receiveErrorDelayMs: 10, handle: async () => {} });
    await bus.close();
    await until(() => expect(logs.filter((l) => l.msg === 'receive failed; retrying').length).toBeGreaterThanOrEqual(2));
    expect(logs.find((l) => l.msg === 'receive failed; retrying')).toMatchObject({ level: 50, code: 'BusRejected' });
    await p.stop(0);
  });

  it('takes no new message while it yields (the intake is busy), and takes them again after', async () => {
    await publish(2);
    let yielding = true;
    const handled: string[] = [];
    const p = pump({ yielding: () => yielding, handle: async (m) => void handled.push(m.messageId) });
    await sleep(300);
    expect(handled).toEqual([]);
    yielding = false;
    await until(() => expect(settled).toHaveLength(2));
    // A yielding pump still stops at once.
    yielding = true;
    const stopping = Date.now();
    await p.stop(0);
    expect(Date.now() - stopping).toBeLessThan(1_000);
  });
  it('keeps no more handlers running than maxConcurrentNow allows, and takes more once it allows more', async () => {
    await publish(6);
    let allowed: number | undefined = 1;
    let running = 0;
    let most = 0;
    const releases: Array<() => void> = [];
    const p = pump({
      maxConcurrentCalls: 4,
      maxConcurrentNow: () => allowed,
      handle: async () => {
        running += 1;
        most = Math.max(most, running);
        await new Promise<void>((resolve) => releases.push(resolve));
        running -= 1;
      },
    });
    await until(() => expect(running).toBe(1));
    await sleep(200); // held at one: the limit, not a slot freed, holds the others back
    expect(running).toBe(1);
    releases.shift()!();
    await until(() => expect(settled).toHaveLength(1));
    await until(() => expect(running).toBe(1));
    allowed = undefined; // the limit lifted while one runs: up to maxConcurrentCalls, without a slot freeing
    await until(() => expect(running).toBe(4));
    expect(most).toBe(4);
    while (settled.length < 6) {
      releases.splice(0).forEach((release) => release());
      await sleep(20);
    }
    await p.stop(0);
  });
});
