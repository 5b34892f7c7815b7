import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { pausePoints, SynthesisPause } from '../../../../../adapters/speech/espeak/synthesis-pause.js';

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
    const pause = new SynthesisPause(1_000);
    expect(pause.paused).toBe(false);
    pause.set(true);
    expect(Atomics.load(pause.shared.flag, 0)).toBe(1);
    expect(pause.flag.buffer).toBeInstanceOf(SharedArrayBuffer);
    pause.set(false);
    expect(pause.paused).toBe(false);
    expect(() => new SynthesisPause(-1)).toThrow(RangeError);
  });

  it('a pause point returns at once when nothing is paused, or when no pause was given', () => {
    const pause = new SynthesisPause(60_000);
    pausePoints(pause.shared)(); // would block for a minute if it waited
    pausePoints(undefined)();
  });

  it('a pause point blocks its thread while paused, until another thread lifts the pause', async () => {
    const pause = new SynthesisPause(60_000);
    pause.set(true);
    const lifted = liftFromAnotherThread(pause, 200);
    pausePoints(pause.shared)();
    // Returned: the pause was lifted (the budget of a minute is far away).
    expect(pause.paused).toBe(false);
    await lifted;
  });

  it('waits the budget at most over all of a render\'s pause points, then runs on paused', () => {
    const pause = new SynthesisPause(100);
    pause.set(true);
    const point = pausePoints(pause.shared);
    const started = performance.now();
    point();
    expect(performance.now() - started).toBeGreaterThanOrEqual(99);
    point(); // the budget is spent: no more waiting for this render
    point();
    expect(pause.paused).toBe(true);
    // A new render has a budget of its own.
    const next = performance.now();
    pausePoints(pause.shared)();
    expect(performance.now() - next).toBeGreaterThanOrEqual(99);
  });
});
