import { Worker } from 'node:worker_threads';
import type { Logger } from '../core/logger.js';
import type { Pipeline } from './pipeline.js';
import { threadEntry } from '../adapters/thread-entry.js';
import type { IntakeLoad } from './intake-load.js';

export interface PipelineThreadOptions {
  logger: Logger;
  /** The host's URL once it listens: sent to each worker (its audio links point at the host). */
  hostUrl?: () => Promise<string>;
  /** First wait before restarting a worker that died; doubles per quick death up to 30 s. */
  restartDelayMs?: number;
  /** The host prints log lines for a person (LOG_FORMAT): the worker does the same. */
  logLines?: boolean;
}

/**
 * The young generation of the worker's V8 heap, at most. Left to V8 it grows to ~32 MB beside a live
 * heap of ~50 MB under a backlog (~95 MB committed); at 4 MB the heap stays near 60 MB for ~3 ms more
 * CPU per message (measured with a 2,000-message backlog; 8 MB saved less, as more survived to the old
 * generation).
 */
const YOUNG_GENERATION_MB = 4;

/** A worker that ran this long before it died is restarted after the first delay again. */
const HEALTHY_MS = 60_000;

/** What the host tells the worker (local/pipeline-main.ts). */
export type HostMessage = 'stop' | { hostUrl: string } | { intakeLoad: IntakeLoad };
/** What the worker tells the host. */
export type WorkerMessage = { azurite: string };
/** What the worker is given when it starts. */
export interface PipelineWorkerData {
  logLines: boolean;
}

/**
 * Runs the pipeline (local/pipeline-main.ts) on a worker thread of this process, with its own event
 * loop and V8 heap, at a lower CPU priority (PIPELINE_NICE, set on its own thread); restarts it when
 * it dies, and stops it on stop(): the worker finishes its in-flight work within the grace period,
 * or its locks lapse. A thread rather than a process: the two share one Node binary and runtime in
 * memory (~70 MB less resident than two processes), and a kill of the host ends both at once.
 */
export interface PipelineThread extends Pipeline {
  running(): boolean;
  describe(): string;
  /** Tells the worker how loaded the intake is (it yields the cores meanwhile, see local/intake-load.ts). */
  intakeLoad(load: IntakeLoad): void;
  /** The connection string of the worker's Azurite, once it is up (the embedded audio store only). */
  azuriteConnectionString(): Promise<string>;
}

export function startPipelineThread(options: PipelineThreadOptions): PipelineThread {
  const { logger } = options;
  const firstDelayMs = options.restartDelayMs ?? 1_000;
  let worker: Worker | undefined;
  let stopping = false;
  let delayMs = firstDelayMs;
  let restart: NodeJS.Timeout | undefined;
  let azurite: string | undefined;
  let load: IntakeLoad = 'calm';
  const azuriteWaiters = new Set<(connectionString: string) => void>();
  const tell = (message: HostMessage) => worker?.postMessage(message);

  const restartLater = (startedAt: number, what: Record<string, unknown>) => {
    delayMs = Date.now() - startedAt > HEALTHY_MS ? firstDelayMs : delayMs;
    logger.error({ ...what, restartInMs: delayMs }, 'the pipeline worker stopped; restarting it');
    restart = setTimeout(start, delayMs);
    delayMs = Math.min(delayMs * 2, 30_000);
  };

  const start = () => {
    restart = undefined;
    const startedAt = Date.now();
    const workerData: PipelineWorkerData = { logLines: options.logLines ?? false };
    let thread: Worker;
    try {
      thread = new Worker(threadEntry(new URL('./pipeline-main', import.meta.url)), {
        workerData,
        resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
      });
    } catch (error) {
      // No thread could be made (memory, a thread limit): tried again later, as after a death.
      restartLater(startedAt, { err: error });
      return;
    }
    worker = thread;
    void options.hostUrl?.().then((url) => worker === thread && tell({ hostUrl: url }));
    // A restarted worker learns the intake's state too.
    if (load !== 'calm') tell({ intakeLoad: load });
    thread.on('message', (message: WorkerMessage) => {
      if (typeof message?.azurite !== 'string') return;
      azurite = message.azurite;
      for (const resolve of azuriteWaiters) resolve(message.azurite);
      azuriteWaiters.clear();
    });
    // An uncaught error ends the thread (its exit follows): said here with its stack (Node prints none for a
    // thread; pino's `err` serializer writes an Error's type, message and stack).
    thread.on('error', (error: unknown) => logger.error({ err: error }, 'the pipeline worker failed'));
    thread.once('exit', (code) => {
      worker = undefined;
      if (!stopping) restartLater(startedAt, { code });
    });
  };
  start();

  return {
    intakeLoad(next) {
      load = next;
      tell({ intakeLoad: next });
    },
    azuriteConnectionString: () =>
      azurite !== undefined ? Promise.resolve(azurite) : new Promise<string>((resolve) => azuriteWaiters.add(resolve)),
    running: () => worker !== undefined,
    describe: () => (worker === undefined ? 'restarting' : `thread ${worker.threadId}`),
    async stop(graceMs) {
      stopping = true;
      clearTimeout(restart);
      const thread = worker;
      if (!thread) return;
      const exited = new Promise<void>((resolve) => thread.once('exit', () => resolve()));
      tell('stop');
      // The worker's own grace period, plus time to close its stores and Azurite.
      const force = setTimeout(() => void thread.terminate(), graceMs + 15_000);
      await exited;
      clearTimeout(force);
    },
  };
}
