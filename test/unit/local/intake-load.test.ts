import { afterEach, describe, expect, it, vi } from 'vitest';
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

  describe('onSynthesisYield', () => {
    afterEach(() => vi.useRealTimers());

    it('tells when synthesis starts and stops yielding: on a change of load, and when a stretch ends by the clock', () => {
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
      const y = new PipelineYield(10_000, 2_000);
      const told: boolean[] = [];
      y.onSynthesisYield((yielding) => told.push(yielding));
      expect(told).toEqual([]); // calm: nothing to say
      y.intakeLoad('busy');
      expect(told).toEqual([true]);
      y.intakeLoad('saturated'); // still yielding: not said again
      expect(told).toEqual([true]);
      vi.advanceTimersByTime(9_999);
      expect(told).toEqual([true]);
      vi.advanceTimersByTime(1); // the stretch of 10 s is over: synthesis runs for 2 s
      expect(told).toEqual([true, false]);
      vi.advanceTimersByTime(2_000);
      expect(told).toEqual([true, false, true]);
      y.intakeLoad('calm');
      expect(told).toEqual([true, false, true, false]);
      vi.advanceTimersByTime(60_000); // calm: no clock runs
      expect(told).toEqual([true, false, true, false]);
      y.intakeLoad('busy');
      y.close();
      vi.advanceTimersByTime(60_000);
      y.intakeLoad('calm'); // closed: nothing more is said
      expect(told).toEqual([true, false, true, false, true]);
    });

    it('says yielding at once to a listener that comes while the intake is busy, and nothing with PIPELINE_YIELD_MS=0', () => {
      const busy = new PipelineYield(10_000, 2_000);
      busy.intakeLoad('busy');
      const told: boolean[] = [];
      busy.onSynthesisYield((yielding) => told.push(yielding));
      busy.close();
      expect(told).toEqual([true]);
      const never = new PipelineYield(0);
      never.onSynthesisYield((yielding) => told.push(yielding));
      never.intakeLoad('saturated');
      expect(told).toEqual([true]);
    });
  });

  it('never yields with PIPELINE_YIELD_MS=0', () => {
    const y = new PipelineYield(0);
    y.intakeLoad('saturated');
    expect(y.yielding('synthesis')).toBe(false);
    expect(y.yielding('delivery')).toBe(false);
  });
});

/** Keeps the event loop working for `ms`: bursts of `burstMs` of synchronous work, each followed by `rest`. */
const workFor = async (ms: number, burstMs: number, rest: () => Promise<unknown>) => {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    const burst = Date.now() + burstMs;
    while (Date.now() < burst);
    await rest();
  }
};
/** Short synchronous bursts with barely a pause between them. */
const busyFor = (ms: number) => workFor(ms, 20, () => new Promise((r) => setImmediate(r)));
/** 10 ms of work, then 10 ms of rest: the event loop ~50% in use. */
const halfBusyFor = (ms: number) => workFor(ms, 10, () => new Promise((r) => setTimeout(r, 10)));

/** Runs `during` while watchIntakeLoad records each change of level into the array it is given. */
async function watching(during: (changes: IntakeLoad[]) => Promise<void>): Promise<void> {
  const changes: IntakeLoad[] = [];
  const stop = watchIntakeLoad((load) => changes.push(load));
  try {
    await during(changes);
  } finally {
    stop();
  }
}

describe('watchIntakeLoad', () => {
  it('does not count one short burst (within one sample) as busy', () =>
    watching(async (changes) => {
      await new Promise((r) => setTimeout(r, 250));
      await busyFor(20);
      await new Promise((r) => setTimeout(r, 600));
      expect(changes).toEqual([]);
    }));

  it('reports saturated while the event loop is kept busy, and calm once it is idle again', () =>
    watching(async (changes) => {
      await busyFor(1_200);
      // Busy is noticed a sample before saturated (two samples against three).
      expect(changes).toEqual(['busy', 'saturated']);
      await new Promise((r) => setTimeout(r, 1_000));
      // Saturated ends after four samples under 65%, busy after four under 15%: when a sample that spans
      // the end of the work, or a busy moment of the machine, reads 15% or more, busy shows between.
      expect(['busy saturated calm', 'busy saturated busy calm']).toContain(changes.join(' '));
    }));

  it('reports busy, not saturated, while about half of the event loop is in use', () =>
    watching(async (changes) => {
      await halfBusyFor(1_500);
      expect(changes).toEqual(['busy']);
      await new Promise((r) => setTimeout(r, 1_000));
      expect(changes).toEqual(['busy', 'calm']);
    }));
});
