import { afterEach, describe, expect, it, vi } from 'vitest';
import { PipelineYield, watchIntakeLoad, type IntakeLoad } from '../../../local/intake-load.js';

describe('PipelineYield', () => {
  afterEach(() => vi.useRealTimers());

  it('leaves a busy intake a core: the cores but one synthesize, at most maxYieldMs at a stretch, then all for minRunMs', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    // Two cores: one synthesizes while the intake is busy.
    const y = new PipelineYield(10_000, 2_000, Date.now, 1);
    const told: Array<number | undefined> = [];
    y.onSynthesisLimit((limit) => told.push(limit));
    expect(told).toEqual([]); // calm: nothing to say
    y.intakeLoad('busy');
    expect(told).toEqual([1]);
    expect(y.yielding('synthesis')).toBe(false); // the speech pump goes on taking messages for the core left
    expect(y.yielding('delivery')).toBe(false); // records, mails and replies go on while the intake keeps up
    vi.advanceTimersByTime(10_000); // a long flood cannot starve the pipeline
    expect(told).toEqual([1, undefined]);
    vi.advanceTimersByTime(2_000);
    expect(told).toEqual([1, undefined, 1]);
    y.intakeLoad('busy'); // still busy: the stretch is not restarted, nothing said again
    expect(told).toEqual([1, undefined, 1]);
    y.intakeLoad('calm');
    expect(told).toEqual([1, undefined, 1, undefined]);
    vi.advanceTimersByTime(60_000); // calm: no clock runs
    expect(told).toEqual([1, undefined, 1, undefined]);
    y.close();
  });

  it('on a single core, a busy intake pauses synthesis and the speech pump, at most maxYieldMs at a stretch', () => {
    let now = 0;
    const y = new PipelineYield(10_000, 2_000, () => now, 0);
    expect(y.yielding('synthesis')).toBe(false);
    y.intakeLoad('busy');
    expect(y.yielding('synthesis')).toBe(true);
    expect(y.yielding('delivery')).toBe(false);
    now = 9_999;
    expect(y.yielding('synthesis')).toBe(true);
    now = 10_000;
    expect(y.yielding('synthesis')).toBe(false);
    now = 12_000;
    expect(y.yielding('synthesis')).toBe(true);
    y.intakeLoad('calm');
    expect(y.yielding('synthesis')).toBe(false);
  });

  it('pauses every synthesis and yields every pump while the intake is saturated, each stretch counted from when its level began', () => {
    let now = 0;
    const y = new PipelineYield(10_000, 2_000, () => now, 1);
    const told: Array<number | undefined> = [];
    y.onSynthesisLimit((limit) => told.push(limit));
    y.intakeLoad('busy');
    now = 4_000;
    y.intakeLoad('saturated');
    expect(told).toEqual([1, 0]);
    expect(y.yielding('delivery')).toBe(true);
    expect(y.yielding('synthesis')).toBe(true);
    now = 10_500; // the busy stretch has yielded 10 s: synthesis runs its 2 s, delivery still yields
    expect(y.synthesisLimit()).toBeUndefined();
    expect(y.yielding('synthesis')).toBe(false);
    expect(y.yielding('delivery')).toBe(true);
    now = 12_500; // the busy stretch yields again, and the saturated one still does
    expect(y.synthesisLimit()).toBe(0);
    now = 14_000; // the saturated stretch is over, the busy one yields: synthesis leaves a core
    expect(y.yielding('delivery')).toBe(false);
    expect(y.synthesisLimit()).toBe(1);
    expect(y.yielding('synthesis')).toBe(false);
    now = 16_000;
    expect(y.yielding('delivery')).toBe(true);
    y.intakeLoad('busy'); // keeping up again: delivery and the speech pump go on, synthesis leaves a core
    expect(told.at(-1)).toBe(1);
    expect(y.yielding('delivery')).toBe(false);
    expect(y.yielding('synthesis')).toBe(false);
    y.intakeLoad('saturated'); // a new stretch for delivery
    now = 25_999;
    expect(y.yielding('delivery')).toBe(true);
    y.intakeLoad('calm');
    expect(told.at(-1)).toBeUndefined();
    expect(y.yielding('delivery')).toBe(false);
    expect(y.yielding('synthesis')).toBe(false);
    y.close();
  });

  it('keeps synthesis to the busy clock: it runs minRunMs in every cycle however the saturated stretches fall (single core)', () => {
    let now = 0;
    const y = new PipelineYield(10_000, 2_000, () => now, 0);
    y.intakeLoad('busy');
    now = 4_000;
    y.intakeLoad('saturated');
    expect(y.synthesisLimit()).toBe(0);
    now = 10_000; // the busy stretch runs, while the saturated one still yields: synthesis runs
    expect(y.synthesisLimit()).toBeUndefined();
    expect(y.yielding('synthesis')).toBe(false);
    expect(y.yielding('delivery')).toBe(true);
    now = 12_000;
    expect(y.synthesisLimit()).toBe(0);
    now = 14_000; // the saturated stretch runs, the busy one yields: no synthesis (the other pumps run)
    expect(y.yielding('synthesis')).toBe(true);
    expect(y.yielding('delivery')).toBe(false);
    now = 22_000;
    expect(y.synthesisLimit()).toBeUndefined();
  });

  it('says nothing more once closed', () => {
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout', 'Date'] });
    const y = new PipelineYield(10_000, 2_000, Date.now, 1);
    const told: Array<number | undefined> = [];
    y.onSynthesisLimit((limit) => told.push(limit));
    y.intakeLoad('busy');
    y.close();
    vi.advanceTimersByTime(60_000);
    y.intakeLoad('saturated');
    y.intakeLoad('calm');
    expect(told).toEqual([1]);
  });

  it('tells a listener that comes while the intake is busy at once, and nothing with PIPELINE_YIELD_MS=0', () => {
    const busy = new PipelineYield(10_000, 2_000, Date.now, 3);
    busy.intakeLoad('busy');
    const told: Array<number | undefined> = [];
    busy.onSynthesisLimit((limit) => told.push(limit));
    busy.close();
    expect(told).toEqual([3]);
    const never = new PipelineYield(0);
    never.onSynthesisLimit((limit) => told.push(limit));
    never.intakeLoad('saturated');
    expect(told).toEqual([3]);
  });

  it('never yields with PIPELINE_YIELD_MS=0', () => {
    const y = new PipelineYield(0, 2_000, Date.now, 0);
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
