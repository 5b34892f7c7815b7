import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { synthesisTurn, SynthesisPause } from '../../../../adapters/speech/synthesis-pause.js';

/**
 * Another thread that, after `afterMs` (this one is blocked meanwhile), does to the shared cells what
 * `change` says: lift the limit, as the owner does, or give a place up, as a synthesis that ends does.
 * Resolves when it exits.
 */
function fromAnotherThread(pause: SynthesisPause, afterMs: number, change: 'lift' | 'give up a place'): Promise<number> {
  const code = `
    const { workerData: { cells, afterMs, change } } = require('node:worker_threads');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, afterMs);
    if (change === 'lift') Atomics.store(cells, 0, 0x7fffffff);
    else Atomics.sub(cells, 1, 1);
    Atomics.add(cells, 2, 1);
    Atomics.notify(cells, 2);`;
  const worker = new Worker(code, { eval: true, workerData: { cells: pause.cells, afterMs, change } });
  return new Promise((resolve, reject) => worker.once('exit', resolve).once('error', reject));
}

describe('SynthesisPause', () => {
  it('is shared memory: the limit one side holds, the other reads', () => {
    const pause = new SynthesisPause({ budgetMs: 1_000 });
    expect(pause.limit).toBeUndefined();
    expect(pause.paused).toBe(false);
    pause.set(true);
    expect(pause.limit).toBe(0);
    expect(pause.paused).toBe(true);
    expect(Atomics.load(pause.shared.cells, 0)).toBe(0);
    expect(pause.cells.buffer).toBeInstanceOf(SharedArrayBuffer);
    pause.hold(1);
    expect(pause.limit).toBe(1);
    expect(pause.paused).toBe(false);
    pause.set(false);
    expect(pause.limit).toBeUndefined();
    expect(() => pause.hold(-1)).toThrow(expect.objectContaining({ code: 'ConfigInvalid' }));
    expect(() => pause.hold(1.5)).toThrow(expect.objectContaining({ code: 'ConfigInvalid' }));
    expect(() => new SynthesisPause({ budgetMs: -1 })).toThrow(expect.objectContaining({ code: 'ConfigInvalid' }));
  });

  it('a pause point returns at once without a limit, or without a pause or a deadline', () => {
    const pause = new SynthesisPause({ budgetMs: 10_000 });
    const turn = synthesisTurn(pause.shared, pause.deadlineFromNow());
    turn.point(); // would block for 10 s if it waited
    expect(pause.running).toBe(1);
    turn.release();
    turn.release(); // once only
    expect(pause.running).toBe(0);
    pause.set(true);
    synthesisTurn(undefined, pause.deadlineFromNow()).point();
    synthesisTurn(pause.shared, undefined).point();
    expect(pause.running).toBe(0);
  });

  it('a pause point blocks its thread while paused, until another thread lifts the pause', async () => {
    const pause = new SynthesisPause({ budgetMs: 10_000 });
    pause.set(true);
    const lifted = fromAnotherThread(pause, 200, 'lift');
    const started = Date.now();
    synthesisTurn(pause.shared, pause.deadlineFromNow()).point();
    // Returned before its deadline: the pause was lifted.
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(pause.paused).toBe(false);
    expect(pause.running).toBe(1);
    await lifted;
  });

  it('lets `limit` syntheses run: another waits until one of them gives its place up', async () => {
    const pause = new SynthesisPause({ budgetMs: 10_000 });
    pause.hold(1);
    synthesisTurn(pause.shared, pause.deadlineFromNow()).point(); // takes the one place
    const givenUp = fromAnotherThread(pause, 300, 'give up a place');
    const started = Date.now();
    const second = synthesisTurn(pause.shared, pause.deadlineFromNow());
    second.point();
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(250);
    expect(waited).toBeLessThan(5_000);
    expect(pause.running).toBe(1);
    await givenUp;
  });

  it('a synthesis over a lowered limit gives its place up at its next pause point and waits for one', async () => {
    const pause = new SynthesisPause({ budgetMs: 10_000 });
    const first = synthesisTurn(pause.shared, pause.deadlineFromNow());
    const second = synthesisTurn(pause.shared, pause.deadlineFromNow());
    first.point();
    second.point();
    expect(pause.running).toBe(2);
    pause.hold(1);
    // `second` ends on another thread in 300 ms: until then `first`, over the limit, waits.
    const ended = fromAnotherThread(pause, 300, 'give up a place');
    const started = Date.now();
    first.point();
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(pause.running).toBe(1);
    first.point(); // within the limit now: at once
    await ended;
  });

  it("waits until the synthesis's deadline at most, over all of its pause points, then runs on over the limit", () => {
    const pause = new SynthesisPause({ budgetMs: 1_000 });
    pause.set(true);
    const started = Date.now();
    const turn = synthesisTurn(pause.shared, pause.deadlineFromNow());
    turn.point();
    turn.point(); // past the deadline: these return at once (a budget per point would wait 3 s in all)
    turn.point();
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(1_000);
    expect(waited).toBeLessThan(2_500);
    expect(pause.paused).toBe(true);
    expect(pause.running).toBe(1);
    turn.release();
    expect(pause.running).toBe(0);
  });

  it('counts no place for a thread that died holding one, once no synthesis is in flight', async () => {
    const pause = new SynthesisPause({ budgetMs: 1_000 });
    let inside = -1;
    // A synthesis whose thread took a place and died (its release never ran), beside one that ends well.
    const died = pause.track(async () => {
      synthesisTurn(pause.shared, pause.deadlineFromNow()).point();
      await new Promise((resolve) => setTimeout(resolve, 50));
      throw new Error('the thread stopped');
    });
    const ended = pause.track(async () => {
      const turn = synthesisTurn(pause.shared, pause.deadlineFromNow());
      turn.point();
      await new Promise((resolve) => setTimeout(resolve, 100));
      inside = pause.running;
      turn.release();
      return 'spoken';
    });
    await expect(died).rejects.toThrow('the thread stopped');
    expect(pause.running).toBe(2); // one in flight still: the count is left alone
    await expect(ended).resolves.toBe('spoken');
    expect(inside).toBe(2);
    expect(pause.running).toBe(0);
  });
});
