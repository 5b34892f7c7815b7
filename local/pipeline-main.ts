/**
 * The pipeline worker process (started and supervised by the local host, local/pipeline-process.ts):
 * the pumps, the timers, the audio store (Azurite, if chosen) and the speech engine, at a lower CPU priority than the chat
 * endpoint. It stops gracefully on "stop" from the host, SIGINT or SIGTERM, and exits at once
 * when the host itself is gone.
 */
import { onStopSignals } from './stop-signals.js';

// Before anything is loaded (loading takes seconds): a host that dies, or asks to stop, meanwhile is
// not missed. The host gone (a crash or kill -9): what was acknowledged is durable, so stop at once too.
const parent = process.ppid;
process.on('disconnect', () => process.exit(1));
setInterval(() => process.ppid !== parent && process.exit(1), 1_000).unref();
let stopAsked = false;
let onStop: () => void = () => {
  stopAsked = true;
};
let hostUrlKnown: (url: string) => void = () => undefined;
// The intake's last word on being busy: kept from the first moment (the host sends it at once to a
// restarted worker), and given to the pumps' yield once it exists.
let intakeBusyNow = false;
let intakeBusy: (busy: boolean) => void = (busy) => void (intakeBusyNow = busy);
const hostUrl = new Promise<string>((resolve) => (hostUrlKnown = resolve));
process.on('message', (message: unknown) => {
  if (message === 'stop') onStop();
  // The host's URL, once it listens: the folder audio store's links point there.
  const url = (message as { hostUrl?: unknown } | null)?.hostUrl;
  if (typeof url === 'string') hostUrlKnown(url);
  // The intake is flooded (or no longer): the pumps yield the cores to it (local/intake-load.ts).
  const busy = (message as { intakeBusy?: unknown } | null)?.intakeBusy;
  if (typeof busy === 'boolean') intakeBusy(busy);
});
// Ctrl-C reaches both processes (and the host sends "stop" too): caught from the first moment, so a
// Ctrl-C during start-up is a clean stop (nothing is started), never Node's default exit; a second Ctrl-C
// (after npm's relayed copy) forces, as in the host.
onStopSignals({ stop: () => onStop(), force: () => process.exit(130) });

const { readdirSync } = await import('node:fs');
const { default: path } = await import('node:path');
const { setPriority } = await import('node:os');
const { createPorts } = await import('../adapters/index.js');
const { loadConfig } = await import('../core/config.js');
const { createLogger } = await import('../core/logger.js');
const { subscriptions } = await import('../functions/all.js');
const { localClaimOwner } = await import('./claim-owner-liveness.js');
const { lineDestination } = await import('./log-lines.js');
const { startPipeline } = await import('./pipeline.js');
const { PipelineYield } = await import('./intake-load.js');
if (typeof process.send === 'function' && !process.connected) process.exit(1);

/** Lowers the priority of every thread already running (on Linux a nice value is per thread); later ones inherit it. */
function lowerPriority(nice: number): void {
  let threads: number[] = [0];
  try {
    threads = readdirSync('/proc/self/task').map(Number);
  } catch {
    // not Linux: the process's priority is the one to set
  }
  for (const tid of threads) {
    try {
      setPriority(tid, nice);
    } catch {
      // a thread that ended meanwhile, or not permitted: the pipeline still runs
    }
  }
}

const config = loadConfig();
lowerPriority(config.PIPELINE_NICE);
const lines = config.LOG_FORMAT === 'lines' || (config.LOG_FORMAT === 'auto' && process.stdout.isTTY);
const logger = createLogger(config.LOG_LEVEL, lines ? lineDestination() : undefined);
const dataDir = path.resolve(config.TALKBACK_DATA_DIR);
const ports = createPorts(config, { subscriptions, logger, hostUrl: () => hostUrl });
// This process owns the claims it takes: should it die, the restarted worker takes them over at once.
const claimOwner = localClaimOwner(`local:${dataDir}`);
const app: import('../functions/context.js').FunctionContext = {
  ports,
  config,
  logger,
  now: () => new Date(),
  settlement: 'pump',
  workerId: claimOwner.workerId,
  claimOwnerGone: claimOwner.ownerGone,
};
// As the host: a handler in the middle of a channel call is given the call's whole timeout.
const graceMs = Math.max(config.SHUTDOWN_GRACE_MS, config.CHANNEL_TIMEOUT_MS + 2_000);

let stopping: Promise<void> | undefined;
// Asked to stop while loading: nothing was taken yet, so nothing to finish — no pump is started.
if (stopAsked) {
  await ports.close();
  process.exit(0);
}
const yieldToIntake = new PipelineYield(config.PIPELINE_YIELD_MS);
yieldToIntake.intakeBusy(intakeBusyNow);
intakeBusy = (busy) => yieldToIntake.intakeBusy(busy);
const pipeline = await startPipeline(app, { yielding: () => yieldToIntake.yielding() }).catch(async (error: unknown) => {
  logger.error({ err: (error as Error).message }, 'the pipeline could not start');
  await ports.close();
  process.exit(1);
});

const stop = () => {
  stopping ??= pipeline
    .stop(graceMs)
    .then(() => ports.close())
    .then(
      () => process.exit(0),
      (error: unknown) => {
        logger.error({ err: (error as Error).message }, 'pipeline shutdown failed');
        process.exit(1);
      },
    );
};
// The intake reaches the embedded audio store through this process's Azurite (local/worker-audio-store.ts).
const audio = (await ports.audio()) as { connectionString?: string };
if (typeof audio.connectionString === 'string') process.send?.({ azurite: audio.connectionString });
onStop = stop;
if (stopAsked) stop();
