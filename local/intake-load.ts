import { performance } from 'node:perf_hooks';

/**
 * How loaded the intake's event loop is: `busy` (a flood: synthesis waits) or `saturated` (it cannot
 * keep up: every pump waits).
 */
export type IntakeLoad = 'calm' | 'busy' | 'saturated';

/** A level counts from this share of the event loop's time in use, over `samples` samples in a row, */
interface Level {
  from: number;
  samples: number;
  /** and ends once the share stays below this one for `calmSamples` samples in a row. */
  below: number;
  calmSamples: number;
}

/**
 * Busy: a flood, not a burst (a burst's messages are better handled at once by both). At 200 msg/s on
 * 2 cores the intake's event loop was 40–50% in use, at 50 msg/s 10–20%, at saturation ~100%.
 */
const BUSY: Level = { from: 0.3, samples: 3, below: 0.15, calmSamples: 2 };
/** Saturated: the acknowledgements wait for the cores; at 200 msg/s the loop was at most ~60% in use. */
const SATURATED: Level = { from: 0.85, samples: 3, below: 0.65, calmSamples: 2 };
/**
 * Short samples, so that a flood is noticed within ~0.3 s: until then synthesis shares the cores with
 * it, and measured at 200 msg/s the acknowledgements of that first moment were most of the slow ones.
 */
const SAMPLE_MS = 100;

/** One level's state: whether it holds, and how many samples in a row spoke for a change. */
class Hysteresis {
  on = false;
  private above = 0;
  private under = 0;

  constructor(private readonly level: Level) {}

  sample(utilization: number): void {
    this.above = utilization >= this.level.from ? this.above + 1 : 0;
    this.under = utilization < this.level.below ? this.under + 1 : 0;
    this.on = this.on ? this.under < this.level.calmSamples : this.above >= this.level.samples;
  }
}

/**
 * Watches how loaded this process's event loop is (the intake's: it answers the chat endpoint) and
 * reports each change of level; the pipeline worker yields the cores accordingly (see PipelineYield).
 * Stop it with the returned function.
 */
export function watchIntakeLoad(onChange: (load: IntakeLoad) => void): () => void {
  const busy = new Hysteresis(BUSY);
  const saturated = new Hysteresis(SATURATED);
  let load: IntakeLoad = 'calm';
  let last = performance.eventLoopUtilization();
  const timer = setInterval(() => {
    const now = performance.eventLoopUtilization();
    const { utilization } = performance.eventLoopUtilization(now, last);
    last = now;
    busy.sample(utilization);
    saturated.sample(utilization);
    const next: IntakeLoad = saturated.on ? 'saturated' : busy.on ? 'busy' : 'calm';
    if (next !== load) {
      load = next;
      onChange(load);
    }
  }, SAMPLE_MS);
  timer.unref();
  return () => clearInterval(timer);
}

/** What a pump does: synthesis yields to a busy intake, the other pumps only to a saturated one. */
export type PumpWork = 'synthesis' | 'delivery';

/**
 * The pipeline worker's side. While the intake is busy, the speech pump takes no new messages: synthesis
 * is what competes with acknowledging customers for the cores. While it is saturated, no pump does:
 * the bus's import, records, mails and replies of every accepted message took a third of a core at
 * saturation, and the intake waited for the cores 1.2–2 s in 10 (README, "Benchmarks"). What runs
 * finishes; the timers go on; the backlog is durable and waits. So that a long flood cannot starve the
 * pipeline, a yield lasts at most `maxYieldMs` (PIPELINE_YIELD_MS; 0: never yield), after which the
 * pumps run for `minRunMs` before they yield again.
 */
export class PipelineYield {
  private busySince: number | undefined;
  private saturatedSince: number | undefined;

  constructor(
    private readonly maxYieldMs = 10_000,
    private readonly minRunMs = 2_000,
    private readonly now: () => number = Date.now,
  ) {}

  intakeLoad(load: IntakeLoad): void {
    if (load === 'calm') this.busySince = undefined;
    else this.busySince ??= this.now();
    if (load !== 'saturated') this.saturatedSince = undefined;
    else this.saturatedSince ??= this.now();
  }

  /** Whether a pump doing this kind of work should hold off taking messages now. */
  yielding(work: PumpWork): boolean {
    const since = work === 'synthesis' ? this.busySince : this.saturatedSince;
    if (since === undefined || this.maxYieldMs <= 0) return false;
    const cycle = this.maxYieldMs + this.minRunMs;
    return (this.now() - since) % cycle < this.maxYieldMs;
  }
}
