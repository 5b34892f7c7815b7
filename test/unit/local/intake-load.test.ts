import { describe, expect, it } from 'vitest';
import { PipelineYield, watchIntakeLoad } from '../../../local/intake-load.js';

describe('PipelineYield', () => {
  it('yields while the intake is busy, at most maxYieldMs at a stretch, then runs minRunMs before yielding again', () => {
    let now = 0;
    const y = new PipelineYield(10_000, 2_000, () => now);
    expect(y.yielding()).toBe(false);
    y.intakeBusy(true);
    expect(y.yielding()).toBe(true);
    now = 9_999;
    expect(y.yielding()).toBe(true);
    now = 10_000;
    expect(y.yielding()).toBe(false); // a long flood cannot starve the pipeline
    now = 12_000;
    expect(y.yielding()).toBe(true);
    y.intakeBusy(true); // still busy: the stretch is not restarted
    now = 22_500;
    expect(y.yielding()).toBe(false);
    y.intakeBusy(false);
    expect(y.yielding()).toBe(false);
  });

  it('never yields with PIPELINE_YIELD_MS=0', () => {
    const y = new PipelineYield(0);
    y.intakeBusy(true);
    expect(y.yielding()).toBe(false);
  });
});

const busyFor = async (ms: number) => {
  const until = Date.now() + ms;
  // Short synchronous bursts with barely a pause between them.
  while (Date.now() < until) {
    const burst = Date.now() + 20;
    while (Date.now() < burst);
    await new Promise((r) => setImmediate(r));
  }
};

describe('watchIntakeLoad', () => {
  it('does not count a short burst (under three samples) as busy', async () => {
    const changes: boolean[] = [];
    const stop = watchIntakeLoad((busy) => changes.push(busy));
    try {
      await new Promise((r) => setTimeout(r, 250));
      await busyFor(100);
      await new Promise((r) => setTimeout(r, 600));
      expect(changes).toEqual([]);
    } finally {
      stop();
    }
  });

  it('reports busy while the event loop is kept busy, and calm once it is idle again', async () => {
    const changes: boolean[] = [];
    const stop = watchIntakeLoad((busy) => changes.push(busy));
    try {
      await busyFor(1_200);
      expect(changes).toEqual([true]);
      await new Promise((r) => setTimeout(r, 1_000));
      expect(changes).toEqual([true, false]);
    } finally {
      stop();
    }
  });
});
