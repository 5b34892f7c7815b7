import { describe, expect, it } from 'vitest';
import { PipelineYield, watchIntakeLoad, type IntakeLoad } from '../../../local/intake-load.js';

describe('PipelineYield', () => {
  it('yields synthesis while the intake is busy, at most maxYieldMs at a stretch, then runs minRunMs before yielding again', () => {
    let now = 0;
    const y = new PipelineYield(10_000, 2_000, () => now);
    expect(y.yielding('synthesis')).toBe(false);
    y.intakeLoad('busy');
    expect(y.yielding('synthesis')).toBe(true);
    expect(y.yielding('delivery')).toBe(false); // records, mails and replies go on while the intake keeps up
    now = 9_999;
    expect(y.yielding('synthesis')).toBe(true);
    now = 10_000;
    expect(y.yielding('synthesis')).toBe(false); // a long flood cannot starve the pipeline
    now = 12_000;
    expect(y.yielding('synthesis')).toBe(true);
    y.intakeLoad('busy'); // still busy: the stretch is not restarted
    now = 22_500;
    expect(y.yielding('synthesis')).toBe(false);
    y.intakeLoad('calm');
    expect(y.yielding('synthesis')).toBe(false);
  });

  it('yields every pump while the intake is saturated, each stretch counted from when its level began', () => {
    let now = 0;
    const y = new PipelineYield(10_000, 2_000, () => now);
    y.intakeLoad('busy');
    now = 4_000;
    y.intakeLoad('saturated');
    expect(y.yielding('delivery')).toBe(true);
    expect(y.yielding('synthesis')).toBe(true);
    now = 10_500; // synthesis has yielded 10 s, delivery 6.5 s
    expect(y.yielding('synthesis')).toBe(false);
    expect(y.yielding('delivery')).toBe(true);
    now = 14_000;
    expect(y.yielding('delivery')).toBe(false);
    expect(y.yielding('synthesis')).toBe(true);
    now = 16_000;
    expect(y.yielding('delivery')).toBe(true);
    y.intakeLoad('busy'); // keeping up again: delivery goes on, synthesis still waits
    expect(y.yielding('delivery')).toBe(false);
    expect(y.yielding('synthesis')).toBe(true);
    y.intakeLoad('saturated'); // a new stretch for delivery
    now = 25_999;
    expect(y.yielding('delivery')).toBe(true);
    y.intakeLoad('calm');
    expect(y.yielding('delivery')).toBe(false);
    expect(y.yielding('synthesis')).toBe(false);
  });

  it('never yields with PIPELINE_YIELD_MS=0', () => {
    const y = new PipelineYield(0);
    y.intakeLoad('saturated');
    expect(y.yielding('synthesis')).toBe(false);
    expect(y.yielding('delivery')).toBe(false);
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

/** 10 ms of work, then 10 ms of rest: the event loop ~50% in use. */
const halfBusyFor = async (ms: number) => {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const burst = Date.now() + 10;
    while (Date.now() < burst);
    await new Promise((r) => setTimeout(r, 10));
  }
};

describe('watchIntakeLoad', () => {
  it('does not count a short burst (under three samples) as busy', async () => {
    const changes: IntakeLoad[] = [];
    const stop = watchIntakeLoad((load) => changes.push(load));
    try {
      await new Promise((r) => setTimeout(r, 250));
      await busyFor(100);
      await new Promise((r) => setTimeout(r, 600));
      expect(changes).toEqual([]);
    } finally {
      stop();
    }
  });

  it('reports saturated while the event loop is kept busy, and calm once it is idle again', async () => {
    const changes: IntakeLoad[] = [];
    const stop = watchIntakeLoad((load) => changes.push(load));
    try {
      await busyFor(1_200);
      expect(changes).toEqual(['saturated']);
      await new Promise((r) => setTimeout(r, 1_000));
      expect(changes).toEqual(['saturated', 'calm']);
    } finally {
      stop();
    }
  });

  it('reports busy, not saturated, while about half of the event loop is in use', async () => {
    const changes: IntakeLoad[] = [];
    const stop = watchIntakeLoad((load) => changes.push(load));
    try {
      await halfBusyFor(1_500);
      expect(changes).toEqual(['busy']);
      await new Promise((r) => setTimeout(r, 1_000));
      expect(changes).toEqual(['busy', 'calm']);
    } finally {
      stop();
    }
  });
});
