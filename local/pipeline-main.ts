/**
 * The pipeline worker (a thread of the local host, started and supervised by local/pipeline-thread.ts):
 * the pumps, the timers, the audio store (Azurite, if chosen) and the speech engine, on their own event
 * loop and at a lower CPU priority than the chat endpoint. It stops gracefully on "stop" from the host
 * (the host's Ctrl-C or SIGTERM); a kill of the host ends it with the host.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { IntakeLoad } from './intake-load.js';
import type { HostMessage, PipelineWorkerData, WorkerMessage } from './pipeline-thread.js';

// Before anything is loaded (loading takes seconds): a stop asked for meanwhile is not missed.
let stopAsked = false;
let onStop: () => void = () => {
  stopAsked = true;
};
let hostUrlKnown: (url: string) => void = () => undefined;
// The intake's last word on its load: kept from the first moment (the host sends it at once to a
// restarted worker), and given to the pumps' yield once it exists.
let intakeLoadNow: IntakeLoad = 'calm';
let intakeLoad: (load: IntakeLoad) => void = (load) => void (intakeLoadNow = load);
const hostUrl = new Promise<string>((resolve) => (hostUrlKnown = resolve));
if (!parentPort) throw new Error('local/pipeline-main runs as the local host\'s worker thread (local/pipeline-thread.ts)');
const host = parentPort;
host.on('message', (message: HostMessage) => {
  if (message === 'stop') onStop();
  // The host's URL, once it listens: the folder audio store's links point there.
  else if ('hostUrl' in message) hostUrlKnown(message.hostUrl);
  // The intake is flooded or saturated (or no longer): the pumps yield the cores to it (local/intake-load.ts).
  else if ('intakeLoad' in message) intakeLoad(message.intakeLoad);
});
const tellHost = (message: WorkerMessage) => host.postMessage(message);

const { default: path } = await import('node:path');
const { setThreadNice } = await import('../adapters/thread-priority.js');
const { createPorts } = await import('../adapters/index.js');
const { loadConfig } = await import('../core/config.js');
const { createLogger } = await import('../core/logger.js');
const { default: pino } = await import('pino');
const { subscriptions } = await import('../functions/all.js');
const { localClaimOwner } = await import('./claim-owner-liveness.js');
const { lineDestination } = await import('./log-lines.js');
const { startPipeline } = await import('./pipeline.js');
const { PipelineYield } = await import('./intake-load.js');
const { compileMjmlWith } = await import('../core/mjml-template.js');
const { compileMjmlOnThread } = await import('./mjml-compile-thread.js');
const { collectGarbageWhenGrown } = await import('./compact-heap.js');
const { SynthesisPause } = await import('../adapters/speech/synthesis-pause.js');

/**
 * The worker's heap grows by this much at most before a full collection (~every 8 s under a backlog).
 * 8 rather than 16: the worker's V8 heap peaked at 50 MB instead of 55 in a 2,000-message flood (two
 * pairs; 4 MB held it no lower).
 */
const HEAP_GROWTH_MB = 8;

const config = loadConfig();
// This thread's CPU priority (PIPELINE_NICE), inherited by the threads it starts (the synthesis pool's
// lower theirs further: adapters/speech/espeak/espeak-worker.ts). Their garbage collection runs at that
// priority only because `npm start` passes --single-threaded-gc: V8's helper threads, shared by every
// thread of the process, keep the priority they started with.
setThreadNice(config.PIPELINE_NICE);
// As the host prints its log: a thread's stdout is no terminal of its own.
const lines = (workerData as PipelineWorkerData).logLines;
// Written at once (a thread's exit would drop what pino still buffers; it flushes only the main thread's).
const logger = createLogger(config.LOG_LEVEL, lines ? lineDestination() : pino.destination({ dest: 1, sync: true }));
const dataDir = path.resolve(config.TALKBACK_DATA_DIR);
// Email templates are compiled on a passing thread: mjml never stays in this one's heap.
compileMjmlWith(compileMjmlOnThread);
// While the intake is busy, at most the cores but one synthesize (none while it is saturated): the
// syntheses over that limit pause too, each until a third of its call timeout (or one yield, if
// shorter) after its call began, so that a paused one is not timed out and synthesized again from the start.
const synthesisPause = new SynthesisPause({ budgetMs: Math.min(config.PIPELINE_YIELD_MS, Math.floor(config.OUTBOUND_TIMEOUT_MS / 3)) });
// This thread answers no request: its folder audio store and outbox make their file calls on it (adapters/file-calls.ts).
const ports = createPorts(config, { subscriptions, logger, hostUrl: () => hostUrl, synthesisPause, blockingFileCalls: true });
// This thread owns the claims it takes (this pid, its own nonce): should it die, the restarted worker takes them over at once.
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
// While the intake is busy, the cores but one synthesize (PIPELINE_BUSY_SYNTHESES, if set): see local/intake-load.ts.
const yieldToIntake = new PipelineYield(config.PIPELINE_YIELD_MS, undefined, undefined, config.PIPELINE_BUSY_SYNTHESES);
yieldToIntake.intakeLoad(intakeLoadNow);
intakeLoad = (load) => yieldToIntake.intakeLoad(load);
yieldToIntake.onSynthesisLimit((limit) => synthesisPause.hold(limit));
const pipeline = await startPipeline(app, { yielding: (work) => yieldToIntake.yielding(work), synthesisLimit: () => yieldToIntake.synthesisLimit() }).catch(async (error: unknown) => {
  logger.error({ err: (error as Error).message }, 'the pipeline could not start');
  await ports.close();
  process.exit(1);
});

// What each message leaves behind is collected as the worker goes, not tens of MB later (see compact-heap.ts).
const stopCollecting = collectGarbageWhenGrown(HEAP_GROWTH_MB, 1_000);

const stop = () => {
  stopCollecting();
  // What is under way finishes now: a paused synthesis would hold the shutdown.
  yieldToIntake.close();
  synthesisPause.set(false);
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
// The intake reaches the embedded audio store through this thread's Azurite (local/worker-audio-store.ts).
const audio = (await ports.audio()) as { connectionString?: string };
if (typeof audio.connectionString === 'string') tellHost({ azurite: audio.connectionString });
onStop = stop;
if (stopAsked) stop();
