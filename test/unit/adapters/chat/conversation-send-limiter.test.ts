import { describe, expect, it } from 'vitest';
import { ConversationSendLimiter, TEAMS_CONVERSATION_WINDOWS } from '../../../../adapters/chat/conversation-send-limiter.js';
import { fakeClock, maxInAnyWindow } from '../../../support/fake-clock.js';

function setup() {
  const clock = fakeClock(1_000_000);
  const limiter = new ConversationSendLimiter({ now: clock.now, wait: clock.wait });
  const sentAt: Record<string, number[]> = {};
  const send = (conversation: string) =>
    limiter.run(conversation, async () => {
      (sentAt[conversation] ??= []).push(clock.now());
      return conversation;
    });
  return { clock, limiter, sentAt, send };
}

describe('ConversationSendLimiter (Teams windows)', () => {
  it('spreads 10 sends issued at once to one conversation to at most 7 in any second and 8 in any 2 s', async () => {
    const { sentAt, send } = setup();
    await Promise.all(Array.from({ length: 10 }, () => send('c1')));
    const times = sentAt['c1'] ?? [];
    expect(times).toHaveLength(10);
    expect(maxInAnyWindow(times, 1_000)).toBe(7);
    expect(maxInAnyWindow(times, 2_000)).toBeLessThanOrEqual(8);
    // The first seven go at once: the limiter adds no delay it does not need.
    expect(times.slice(0, 7).every((t) => t === times[0])).toBe(true);
  });

  it('keeps 60 in any 30 s over a long burst', async () => {
    const { sentAt, send } = setup();
    await Promise.all(Array.from({ length: 130 }, () => send('c1')));
    const times = sentAt['c1'] ?? [];
    expect(maxInAnyWindow(times, 30_000)).toBe(60);
    expect(maxInAnyWindow(times, 1_000)).toBeLessThanOrEqual(7);
    expect(maxInAnyWindow(times, 2_000)).toBeLessThanOrEqual(8);
  });

  it('sends to one conversation one at a time, in call order', async () => {
    const clock = fakeClock();
    const limiter = new ConversationSendLimiter({ now: clock.now, wait: clock.wait });
    const order: string[] = [];
    let inFlight = 0;
    let most = 0;
    const send = (label: string) =>
      limiter.run('c1', async () => {
        inFlight += 1;
        most = Math.max(most, inFlight);
        await new Promise((r) => setTimeout(r, 1));
        order.push(label);
        inFlight -= 1;
      });
    await Promise.all(['a', 'b', 'c', 'd'].map(send));
    expect(order).toEqual(['a', 'b', 'c', 'd']);
    expect(most).toBe(1);
  });

  it('never makes one conversation wait for another', async () => {
    const { sentAt, send, clock } = setup();
    await Promise.all(Array.from({ length: 7 }, () => send('busy')));
    const before = clock.now();
    await send('other');
    expect(sentAt['other']).toEqual([before]);
  });

  it('a failed send still counts and releases the conversation for the next one', async () => {
    const { limiter, send, sentAt } = setup();
    await expect(limiter.run('c1', async () => Promise.reject(new Error('429')))).rejects.toThrow('429');
    await send('c1');
    expect(sentAt['c1']).toHaveLength(1);
    await Promise.all(Array.from({ length: 6 }, () => send('c1')));
    // 1 failed + 7 sent: the 8th call had to wait a second.
    expect(limiter.pendingDelayMs('c1')).toBeGreaterThan(0);
  });

  it('declares the documented Teams limits', () => {
    expect(TEAMS_CONVERSATION_WINDOWS).toContainEqual({ limit: 7, windowMs: 1_000 });
    expect(TEAMS_CONVERSATION_WINDOWS).toContainEqual({ limit: 60, windowMs: 30_000 });
  });
});
