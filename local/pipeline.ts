import { subscribers, timers } from '../functions/all.js';
import { speech } from '../functions/speech.js';
import type { FunctionContext } from '../functions/context.js';
import type { PumpWork } from './intake-load.js';
import { runSubscriber } from '../functions/run-subscriber.js';
import { startPump, type Pump } from './pump.js';
import { startTimers, type Timers } from './timers.js';
import { collectGarbageSoon } from './compact-heap.js';

export interface Pipeline {
  /** Stops taking messages; in-flight handlers get `graceMs`, then their locks lapse. */
  stop(graceMs: number): Promise<void>;
}

export interface PipelineOptions {
  /**
   * While this says so for its kind of work, a pump takes no new messages (local/intake-load.ts: the
   * speech pump while no synthesis may run, every pump while the chat endpoint is saturated). What
   * runs finishes; the timers go on.
   */
  yielding?: (work: PumpWork) => boolean;
  /** How many syntheses may run now (undefined: no limit): the speech pump keeps no more messages under way. */
  synthesisLimit?: () => number | undefined;
}

/**
 * The work behind the chat endpoint: one pump per subscription delivering the bus to its function
 * with Service Bus semantics, and the timers. Opens the bus, the store, the audio store (and an
 * Azurite, if chosen) and the speech engine first; the speech engine compiles in the background.
 */
export async function startPipeline(app: FunctionContext, options: PipelineOptions = {}): Promise<Pipeline> {
  const { ports, config, logger } = app;
  // The chat channel (its SDK is ~45 MB) is built by the first reply, like every port the registry builds lazily.
  const [bus] = await Promise.all([ports.bus(), ports.store(), ports.audio(), ports.speech()]);
  const { yielding, synthesisLimit } = options;
  const pumps: Pump[] = subscribers.map((fn) =>
    startPump({
      receiver: bus.receiver(fn.subscription),
      maxConcurrentCalls: config.MAX_CONCURRENT_CALLS,
      lockDurationMs: config.LOCK_DURATION_MS,
      retryBaseDelayMs: config.RETRY_BASE_DELAY_MS,
      retryMaxDelayMs: config.RETRY_MAX_DELAY_MS,
      logger,
      name: fn.name,
      yielding: yielding && (() => yielding(fn === speech ? 'synthesis' : 'delivery')),
      ...(fn === speech && synthesisLimit ? { maxConcurrentNow: synthesisLimit } : {}),
      handle: (message) =>
        runSubscriber(fn, message.body, {
          ...app,
          delivery: {
            messageId: message.messageId,
            deliveryCount: message.deliveryCount,
            invocationId: `${message.messageId}:${message.deliveryCount}`,
            enqueuedAt: message.enqueuedAt,
          },
        }),
    }),
  );
  const timerRuns: Timers = startTimers(timers, app);
  // Compile the speech engine now rather than on the first customer's message (not awaited: a message
  // arriving meanwhile waits for it). No synthesis thread starts: threads start on demand and end when idle.
  void ports
    .speech()
    .then((engine) => engine.prepare?.())
    // Start-up done (the engine compiled): its garbage is collected now rather than held while idle.
    .then(() => collectGarbageSoon(500))
    .catch((error: unknown) => logger.warn({ err: (error as Error).message }, 'speech warm-up failed'));
  return {
    async stop(graceMs) {
      await Promise.all([...pumps.map((p) => p.stop(graceMs)), timerRuns.stop()]);
    },
  };
}
