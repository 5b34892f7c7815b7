import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { pausePointFor, SynthesisPause } from '../../../../adapters/speech/synthesis-pause.js';

/** Another thread that lifts the pause after `afterMs` (this one is blocked meanwhile); resolves when it exits. */
function liftFromAnotherThread(pause: SynthesisPause, afterMs: number): Promise<number> {
  const code = `
    const { workerData: { flag, afterMs } } = require('node:worker_threads');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, afterMs);
    Atomics.store(flag, 0, 0);
    Atomics.notify(flag, 0);`;
  const worker = new Worker(code, { eval: true, workerData: { flag: pause.flag, afterMs } });
  return new Promise((resolve, reject) => worker.once('exit', resolve).once('error', reject));
}

describe('SynthesisPause', () => {
  it('is shared memory: what one side sets, the other reads', () => {
    const pause = new SynthesisPause({ budgetMs: 1_000 });
    expect(pause.paused).toBe(false);
    pause.set(true);
    expect(Atomics.load(pause.shared.flag, 0)).toBe(1);
    expect(pause.flag.buffer).toBeInstanceOf(SharedArrayBuffer);
    pause.set(false);
    expect(pause.paused).toBe(false);
    expect(() => new SynthesisPause({ budgetMs: -1 })).toThrow(expect.objectContaining({ code: 'ConfigInvalid' }));
  });

  it('a pause point returns at once when nothing is paused, or without a pause or a deadline', () => {
    const pause = new SynthesisPause({ budgetMs: 10_000 });
    pausePointFor(pause.shared, pause.deadlineFromNow())(); // would block for 10 s if it waited
    pause.set(true);
    pausePointFor(undefined, pause.deadlineFromNow())();
    pausePointFor(pause.shared, undefined)();
  });

  it('a pause point blocks its thread while paused, until another thread lifts the pause', async () => {
    const pause = new SynthesisPause({ budgetMs: 10_000 });
    pause.set(true);
    const lifted = liftFromAnotherThread(pause, 200);
    pausePointFor(pause.shared, pause.deadlineFromNow())();
    // Returned before its deadline: the pause was lifted.
    expect(pause.paused).toBe(false);
    await lifted;
  });

  it("waits until the synthesis's deadline at most, over all of its pause points, then runs on paused", () => {
    const pause = new SynthesisPause({ budgetMs: 1_000 });
    pause.set(true);
    const started = Date.now();
    const point = pausePointFor(pause.shared, pause.deadlineFromNow());
    point();
    point(); // past the deadline: these return at once (a budget per point would wait 3 s in all)
    point();
    const waited = Date.now() - started;
    expect(waited).toBeGreaterThanOrEqual(1_000);
    expect(waited).toBeLessThan(2_500);
    expect(pause.paused).toBe(true);
  });
});
