import { fork, type ChildProcess } from 'node:child_process';
import type { Logger } from '../core/logger.js';
import type { Pipeline } from './pipeline.js';

export interface PipelineProcessOptions {
  logger: Logger;
  /** The host's URL once it listens: sent to each worker (its audio links point at the host). */
  hostUrl?: () => Promise<string>;
  /** First wait before restarting a worker that died; doubles per quick death up to 30 s. */
  restartDelayMs?: number;
}

/** A worker that ran this long before it died is restarted after the first delay again. */
const HEALTHY_MS = 60_000;

/**
 * The worker's environment: this process's, plus settings for glibc's allocator unless it has its
 * own (Linux; other C libraries ignore them): 2 arenas instead of up to 8 per core, and blocks of 128 KB or more mapped on their
 * own, so that freeing one gives it back (glibc otherwise raises that threshold as such blocks are
 * freed and then keeps them). The synthesis threads allocate many short-lived buffers; measured with
 * test/bench/speech-memory.ts: ~15 MB less per thread, ~40 MB less kept once the threads have ended.
 */
export function workerEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072', ...env };
}

/** The worker's entry, next to this file: TypeScript under tsx, JavaScript from the build. */
const entry = new URL(`./pipeline-main.${import.meta.url.endsWith('.ts') ? 'ts' : 'js'}`, import.meta.url);

/**
 * Runs the pipeline (local/pipeline-main.ts) in a worker process with this process's settings and
 * Node flags, restarts it when it dies, and stops it on stop(): the worker finishes its in-flight
 * work within the grace period, or its locks lapse. Should this process die, the worker exits too
 * (it watches the IPC channel), as the one-process host did.
 */
export interface PipelineProcess extends Pipeline {
  running(): boolean;
  describe(): string;
  /** Tells the worker whether the intake is busy (it yields the cores meanwhile, see local/intake-load.ts). */
  intakeBusy(busy: boolean): void;
  /** The connection string of the worker's Azurite, once it is up (the embedded audio store only). */
  azuriteConnectionString(): Promise<string>;
}

export function startPipelineProcess(options: PipelineProcessOptions): PipelineProcess {
  const { logger } = options;
  const firstDelayMs = options.restartDelayMs ?? 1_000;
  let child: ChildProcess | undefined;
  let stopping = false;
  let delayMs = firstDelayMs;
  let restart: NodeJS.Timeout | undefined;
  let azurite: string | undefined;
  let busy = false;
  const azuriteWaiters = new Set<(connectionString: string) => void>();

  const start = () => {
    restart = undefined;
    const startedAt = Date.now();
    const worker = fork(entry, [], {
      execArgv: process.execArgv,
      env: workerEnvironment(process.env),
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    child = worker;
    // A message to a worker whose channel just closed (it is exiting: a Ctrl-C reached it too) fails
    // asynchronously; its exit is what counts, so the failure is only noted.
    worker.on('error', (error) => logger.debug({ err: error.message }, 'pipeline worker channel error'));
    void options.hostUrl?.().then((url) => worker.connected && worker.send({ hostUrl: url }, () => undefined));
    // A restarted worker learns the intake's state too.
    if (busy) worker.send({ intakeBusy: true }, () => undefined);
    worker.on('message', (message: { azurite?: unknown }) => {
      if (typeof message?.azurite !== 'string') return;
      azurite = message.azurite;
      for (const resolve of azuriteWaiters) resolve(message.azurite);
      azuriteWaiters.clear();
    });
    worker.once('exit', (code, signal) => {
      child = undefined;
      if (stopping) return;
      delayMs = Date.now() - startedAt > HEALTHY_MS ? firstDelayMs : delayMs;
      logger.error({ code, signal, restartInMs: delayMs }, 'the pipeline worker stopped; restarting it');
      restart = setTimeout(start, delayMs);
      delayMs = Math.min(delayMs * 2, 30_000);
    });
  };
  start();

  return {
    intakeBusy(next) {
      busy = next;
      if (child?.connected) child.send({ intakeBusy: next }, () => undefined);
    },
    azuriteConnectionString: () =>
      azurite !== undefined ? Promise.resolve(azurite) : new Promise<string>((resolve) => azuriteWaiters.add(resolve)),
    running: () => child !== undefined && child.exitCode === null && child.signalCode === null,
    describe: () => (child?.pid === undefined ? 'restarting' : `pid ${child.pid}`),
    async stop(graceMs) {
      stopping = true;
      clearTimeout(restart);
      const worker = child;
      if (!worker || worker.exitCode !== null || worker.signalCode !== null) return;
      const exited = new Promise<void>((resolve) => worker.once('exit', () => resolve()));
      // Not delivered means the worker is already exiting (its channel closed): wait for its exit.
      if (worker.connected) worker.send('stop', () => undefined);
      else worker.kill('SIGTERM');
      // The worker's own grace period, plus time to close its stores and Azurite.
      const force = setTimeout(() => worker.kill('SIGKILL'), graceMs + 15_000);
      await exited;
      clearTimeout(force);
    },
  };
}
