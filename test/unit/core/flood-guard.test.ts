import { describe, expect, it } from 'vitest';
import { FloodGuard } from '../../../core/flood-guard.js';
import { IntakeLimit } from '../../../core/intake-limit.js';
import { MemoryRefusalLog } from '../../../core/refusals.js';

describe('FloodGuard', () => {
  const guard = () => new FloodGuard({ burst: 10, perMinute: 30, notifyWindowMs: 60_000 });

  it('admits a burst, then refuses with the time until the next token', () => {
    const g = guard();
    const t0 = 1_000_000;
    const decisions = Array.from({ length: 15 }, () => g.take('c1', t0));
    expect(decisions.filter((d) => d.allowed)).toHaveLength(10);
    const refused = decisions[10];
    expect(refused).toEqual({ allowed: false, retryAfterMs: 2000, notify: true, refusedInWindow: 1 });
    // One polite reply per window: later refusals in the window do not notify.
    expect(decisions.slice(11).map((d) => !d.allowed && d.notify)).toEqual([false, false, false, false]);
    // Another conversation has its own bucket.
    expect(g.take('c2', t0).allowed).toBe(true);
  });

  it('refills at the configured rate and notifies again in the next window', () => {
    const g = guard();
    const t0 = 0;
    for (let i = 0; i < 10; i += 1) g.take('c', t0);
    expect(g.take('c', t0 + 1_000).allowed).toBe(false);
    expect(g.take('c', t0 + 2_000).allowed).toBe(true); // 30/min = one token per 2 s
    expect(g.take('c', t0 + 2_001).allowed).toBe(false);
    const later = g.take('c', t0 + 61_000 + 1); // a new window, tokens refilled meanwhile
    expect(later.allowed).toBe(true);
    for (let i = 0; i < 9; i += 1) g.take('c', t0 + 61_001);
    const refused = g.take('c', t0 + 61_001);
    expect(!refused.allowed && refused.notify).toBe(true);
  });

  it('keeps memory bounded', () => {
    const g = new FloodGuard({ burst: 2, perMinute: 60, notifyWindowMs: 1000, maxConversations: 100 });
    for (let i = 0; i < 1000; i += 1) g.take(`c${i}`, i);
    expect(g.size).toBeLessThanOrEqual(100);
  });
});

describe('IntakeLimit', () => {
  it('admits up to its limit, then refuses until one is released', () => {
    const limit = new IntakeLimit(2);
    const a = limit.enter();
    const b = limit.enter();
    expect(limit.enter()).toBeUndefined();
    a?.();
    a?.(); // releasing twice frees one slot only
    expect(limit.current).toBe(1);
    expect(limit.enter()).toBeDefined();
    b?.();
  });
});

describe('MemoryRefusalLog', () => {
  it('counts refusals by status and keeps the latest, newest first', () => {
    const log = new MemoryRefusalLog(2, () => new Date('2026-01-01T00:00:00Z'));
    log.record({ status: 415, reason: 'content type', route: 'messages' });
    log.record({ status: 429, reason: 'flood', route: 'messages', channelId: 'emulator', conversationId: 'c1' });
    log.record({ status: 429, reason: 'flood', route: 'messages', channelId: 'emulator', conversationId: 'c2' });
    expect(log.counts()).toEqual({ total: 3, byStatus: { '415': 1, '429': 2 } });
    expect(log.latest().map((r) => r.conversationId)).toEqual(['c2', 'c1']);
    expect(log.latest(1)[0]?.at).toBe('2026-01-01T00:00:00.000Z');
  });
});
