import { availableParallelism } from 'node:os';
import Tinypool from 'tinypool';
import { TalkbackError, type ErrorCode } from '../../../core/errors.js';
import type { RenderRequest, RenderedSpeech } from './espeak-render.js';
import { compileEspeak } from './espeak-wasm.js';
import { threadEntry } from '../../thread-entry.js';
import type { SynthesisPause } from '../synthesis-pause.js';
import type { WorkerResponse } from './espeak-worker.js';

export interface EspeakPoolOptions {
  /** Synthesis threads at most; default the cores available (os.availableParallelism()). */
  threads?: number;
  /**
   * A thread idle this long ends, and its memory (its eSpeak instance, its V8 heap) with it; the
   * next synthesis starts one again, from the module compiled already. Default 30 s.
   */
  idleTimeoutMs?: number;
  /** The voices the pool speaks with: the module embeds only their data. Default: every voice. */
  voices?: readonly string[];
  /** A pause its owner may put on the renders under way (../synthesis-pause.ts). Default: none. */
  pause?: SynthesisPause | undefined;
}

export const DEFAULT_IDLE_TIMEOUT_MS = 30_000;

/**
 * The young generation of a thread's V8 heap, at most. The MP3 encoder (lamejs) makes ~3 MB of
 * short-lived arrays per second of audio, for which V8 grows a thread's young generation to its
 * maximum (a heap of ~43 MB); 16 MB holds it near 27 MB, ~20 MB less RSS per thread for no more CPU
 * (8 MB saved no more and looked slower; measured with test/bench/speech-memory.ts and speech-alone.ts).
 */
const YOUNG_GENERATION_MB = 16;

/**
 * eSpeak NG on a pool of worker threads (tinypool), one engine per thread, so synthesis uses every
 * core it is given. Threads start on demand and end when idle: an idle pool holds no thread, only
 * the compiled module. A thread that dies fails its own request (retryable) and is replaced.
 * The module is compiled here once and shared by the threads.
 */
export class EspeakPool {
  private pool: Promise<Tinypool> | undefined;
  private running: Tinypool | undefined;
  readonly threads: number;
  private readonly idleTimeoutMs: number;
  private readonly voices: readonly string[] | undefined;
  private readonly pause: SynthesisPause | undefined;

  constructor(options: EspeakPoolOptions = {}) {
    this.threads = Math.max(1, Math.floor(options.threads ?? availableParallelism()));
    this.idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
    this.voices = options.voices;
    this.pause = options.pause;
  }

  /** Threads alive now (0 before the first synthesis and once they have been idle for the idle timeout). */
  get liveThreads(): number {
    return this.running?.threads.length ?? 0;
  }

  /** Compiles the module and finds its layout (no thread starts), so that the first synthesis does not wait for it. */
  async prepare(): Promise<void> {
    await this.started();
  }

  /**
   * Compiles the module once (here, with one instance thrown away to find its layout: see
   * espeak-memory-layout.ts), then every thread instantiates it: one compilation, one copy of the code.
   */
  private started(): Promise<Tinypool> {
    this.pool ??= compileEspeak(this.voices).then(
      (compiled) =>
        (this.running = new Tinypool({
          filename: threadEntry(new URL('./espeak-worker', import.meta.url)).href,
          minThreads: 0,
          maxThreads: this.threads,
          idleTimeout: this.idleTimeoutMs,
          resourceLimits: { maxYoungGenerationSizeMb: YOUNG_GENERATION_MB },
          workerData: { compiled, ...(this.pause ? { pause: this.pause.shared } : {}) },
        })),
    );
    this.pool.catch(() => (this.pool = undefined));
    return this.pool;
  }

  async render(request: RenderRequest): Promise<RenderedSpeech> {
    let response: WorkerResponse;
    try {
      // A render may wait for the pause until its budget after this call began, time in the queue included.
      const pauseUntil = this.pause?.deadlineFromNow();
      const pool = await this.started();
      const run = () => pool.run(pauseUntil === undefined ? request : { ...request, pauseUntil }) as Promise<WorkerResponse>;
      response = await (this.pause ? this.pause.track(run) : run());
    } catch (error) {
      const cause = error instanceof Error ? error : new Error(String(error));
      throw new TalkbackError('SpeechFailed', `an eSpeak thread stopped: ${cause.message}`, { cause });
    }
    if ('error' in response) {
      const t = response.error.talkback;
      if (!t) throw new Error(response.error.message);
      throw new TalkbackError(t.code as ErrorCode, response.error.message, t.details ? { details: t.details } : {});
    }
    return { data: Buffer.from(response.data.buffer, response.data.byteOffset, response.data.byteLength), durationMs: response.durationMs };
  }

  async close(): Promise<void> {
    const pool = this.pool;
    this.pool = undefined;
    this.running = undefined;
    await (await pool?.catch(() => undefined))?.destroy();
  }
}
