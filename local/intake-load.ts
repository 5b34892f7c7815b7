import { performance } from 'node:perf_hooks';

/** The intake counts as busy from this share of its event loop's time in use, over BUSY_SAMPLES samples in a row */
const BUSY_FROM = 0.3;
/** (a flood, not a burst: a burst's messages are better handled at once by both), */
const BUSY_SAMPLES = 3;
/** and as no longer busy once the share stays below this one for CALM_SAMPLES samples in a row. */
const CALM_BELOW = 0.15;
const CALM_SAMPLES = 2;
/**
 * Short samples, so that a flood is noticed within ~0.3 s: until then synthesis shares the cores with
 * it, and measured at 200 msg/s the acknowledgements of that first moment were most of the slow ones.
 */
const SAMPLE_MS = 100;

/**
 * Watches how busy this process's event loop is (the intake's: it answers the chat endpoint) and
 * reports each change between busy and calm; the pipeline worker yields the cores while it is busy
 * (see PipelineYield). Stop it with the returned function.
 */
export function watchIntakeLoad(onChange: (busy: boolean) => void): () => void {
  let busy = false;
  let busySamples = 0;
  let calmSamples = 0;
  let last = performance.eventLoopUtilization();
  const timer = setInterval(() => {
    const now = performance.eventLoopUtilization();
    const { utilization } = performance.eventLoopUtilization(now, last);
    last = now;
    busySamples = utilization >= BUSY_FROM ? busySamples + 1 : 0;
    calmSamples = utilization < CALM_BELOW ? calmSamples + 1 : 0;
    const next = busy ? calmSamples < CALM_SAMPLES : busySamples >= BUSY_SAMPLES;
    if (next !== busy) {
      busy = next;
      onChange(busy);
    }
  }, SAMPLE_MS);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * The pipeline worker's side: while the intake says it is busy, no pump takes new messages (what runs
 * finishes; the timers go on), so that acknowledging customers never competes for the cores with the
 * pipeline: synthesis, and the import, record, mail and reply of every accepted message (under a flood
 * those took a third of a core, and the intake waited for the cores 1.2–2 s in 10: measured in stop 22,
 * README "Benchmarks"). The backlog is durable and waits. So that a long flood cannot starve the
 * pipeline, a yield lasts at most `maxYieldMs` (PIPELINE_YIELD_MS; 0: never yield), after which the
 * pumps run for `minRunMs` before they yield again.
 */
export class PipelineYield {
  private busySince: number | undefined;

  constructor(
    private readonly maxYieldMs = 10_000,
    private readonly minRunMs = 2_000,
    private readonly now: () => number = Date.now,
  ) {}

  intakeBusy(busy: boolean): void {
    if (!busy) this.busySince = undefined;
    else this.busySince ??= this.now();
  }

  /** Whether the pumps should hold off taking messages now. */
  yielding(): boolean {
    if (this.busySince === undefined || this.maxYieldMs <= 0) return false;
    const cycle = this.maxYieldMs + this.minRunMs;
    return (this.now() - this.busySince) % cycle < this.maxYieldMs;
  }
}
