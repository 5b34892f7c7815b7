import { availableParallelism } from 'node:os';
import { performance } from 'node:perf_hooks';

/**
 * How loaded the intake's event loop is: `busy` (a flood: synthesis leaves it a core) or `saturated`
 * (it cannot keep up: every pump waits).
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
 * Busy: a flood, noticed within 0.1 s (two samples), and over once 0.2 s stayed quiet. At 200 msg/s on
 * 2 cores the intake's event loop was 40–50% in use, at 50 msg/s 10–20%, at saturation ~100%.
 */
const BUSY: Level = { from: 0.3, samples: 2, below: 0.15, calmSamples: 4 };
/** Saturated: the acknowledgements wait for the cores; at 200 msg/s the loop was at most ~60% in use. */
const SATURATED: Level = { from: 0.85, samples: 3, below: 0.65, calmSamples: 4 };
/**
 * Short samples, so that a flood is noticed at once (100–150 ms): until then synthesis shares the cores
 * with it, and measured at 200 msg/s the acknowledgements of a flood's first second were most of the
 * slow ones (README, "Benchmarks": stop 26).
 */
const SAMPLE_MS = 50;

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

/** What a pump does: synthesis yields to a busy intake (on a single core), the other pumps only to a saturated one. */
export type PumpWork = 'synthesis' | 'delivery';

/**
 * The pipeline worker's side. While the intake is busy, synthesis leaves it a core: at most the cores
 * but one synthesize at once (onSynthesisLimit; SynthesisPause holds the syntheses over it), and on a
 * single core the speech pump takes no new messages and every synthesis pauses. While it is saturated,
 * no pump takes new messages and every synthesis pauses: the bus's import, records, mails and replies
 * of every accepted message took a third of a core at saturation, and the intake waited for the cores
 * 1.2–2 s in 10 (README, "Benchmarks"). What runs finishes; the timers go on; the backlog is durable
 * and waits. So that a long flood cannot starve the pipeline, a yield lasts at most `maxYieldMs`
 * (PIPELINE_YIELD_MS; 0: never yield), after which the pumps run for `minRunMs` before they yield again.
 *
 * Why a core and not every core while busy: a drain's first half-second, while its messages arrived,
 * had synthesis paused and half the machine idle (6% of a 120-message drain); with one synthesis thread
 * of two running the acknowledgements still have a core of their own.
 */
export class PipelineYield {
  private busySince: number | undefined;
  private saturatedSince: number | undefined;
  private synthesisListener: ((limit: number | undefined) => void) | undefined;
  /** The limit last told to onSynthesisLimit's listener. */
  private toldLimit: number | undefined;
  /** When synthesis's limit next changes by the clock (maxYieldMs, minRunMs) rather than by a change of load. */
  private synthesisTurn: NodeJS.Timeout | undefined;

  constructor(
    private readonly maxYieldMs = 10_000,
    private readonly minRunMs = 2_000,
    private readonly now: () => number = Date.now,
    /** How many syntheses may run while the intake is busy: the cores but one. */
    private readonly busySynthesisLimit = Math.max(0, availableParallelism() - 1),
  ) {}

  intakeLoad(load: IntakeLoad): void {
    if (load === 'calm') this.busySince = undefined;
    else this.busySince ??= this.now();
    if (load !== 'saturated') this.saturatedSince = undefined;
    else this.saturatedSince ??= this.now();
    this.tellSynthesis();
  }

  /**
   * Tells `listener` how many syntheses may run (undefined: no limit) each time that changes, on a
   * change of load and when a stretch ends by the clock, so that what is under way can pause (SynthesisPause).
   */
  onSynthesisLimit(listener: (limit: number | undefined) => void): void {
    this.synthesisListener = listener;
    this.tellSynthesis();
  }

  /** Stops telling onSynthesisLimit's listener anything. */
  close(): void {
    this.synthesisListener = undefined;
    this.stopClock();
  }

  /** Whether a pump doing this kind of work should hold off taking messages now. */
  yielding(work: PumpWork): boolean {
    if (work === 'synthesis') return this.synthesisNow().limit === 0;
    return this.stretch(this.saturatedSince).yielding;
  }

  /**
   * How many syntheses may run now (undefined: no limit). The speech pump keeps no more messages under
   * way than that: what it took beyond the limit would only queue, and pass its pause budget queued.
   */
  synthesisLimit(): number | undefined {
    return this.synthesisNow().limit;
  }

  /**
   * How many syntheses may run now (undefined: no limit), and in how many ms that changes by the clock.
   * Synthesis keeps to the busy level's clock (a saturated intake is busy too, from earlier or as
   * early): while that yields, the cores but one, or none while the saturated level yields as well;
   * while it runs, every core. So synthesis runs `minRunMs` in every `maxYieldMs + minRunMs` however
   * the two levels' stretches fall.
   */
  private synthesisNow(): { limit: number | undefined; turnsInMs?: number } {
    const saturated = this.stretch(this.saturatedSince);
    const busy = this.stretch(this.busySince);
    const limit = busy.yielding ? (saturated.yielding ? 0 : this.busySynthesisLimit) : undefined;
    const turns = [saturated.turnsInMs, busy.turnsInMs].filter((ms): ms is number => ms !== undefined);
    return turns.length > 0 ? { limit, turnsInMs: Math.min(...turns) } : { limit };
  }

  /** A level that began at `since`: whether it yields now, and in how many ms that turns (by one reading of the clock). */
  private stretch(since: number | undefined): { yielding: boolean; turnsInMs?: number } {
    if (since === undefined || this.maxYieldMs <= 0) return { yielding: false };
    const cycle = this.maxYieldMs + this.minRunMs;
    const into = (this.now() - since) % cycle;
    return into < this.maxYieldMs ? { yielding: true, turnsInMs: this.maxYieldMs - into } : { yielding: false, turnsInMs: cycle - into };
  }

  private tellSynthesis(): void {
    if (!this.synthesisListener) return;
    this.stopClock();
    const { limit, turnsInMs } = this.synthesisNow();
    if (limit !== this.toldLimit) {
      this.toldLimit = limit;
      this.synthesisListener(limit);
    }
    if (turnsInMs === undefined) return;
    this.synthesisTurn = setTimeout(() => this.tellSynthesis(), turnsInMs);
    this.synthesisTurn.unref();
  }

  private stopClock(): void {
    clearTimeout(this.synthesisTurn);
    this.synthesisTurn = undefined;
  }
}
