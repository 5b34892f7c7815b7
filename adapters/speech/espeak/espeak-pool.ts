import { availableParallelism } from 'node:os';
import Tinypool from 'tinypool';
import { TalkbackError, type ErrorCode } from '../../../core/errors.js';
import type { RenderRequest, RenderedSpeech } from './espeak-render.js';
import { compiledModule } from './espeak-wasm.js';
import type { WorkerResponse } from './espeak-worker.js';

export interface EspeakPoolOptions {
  /** Synthesis threads; default the cores available (os.availableParallelism()). */
  threads?: number;
  /** A thread idle this long exits (its ~70 MB of WASM memory with it); the next one compiles again. Default 60 s. */
  idleTimeoutMs?: number;
}

/**
 * The worker module. From TypeScript sources (tsx, vitest) a worker cannot be given a loader on
 * Node 20, so the thread runs a tiny module that registers tsx and then imports the worker; from
 * the build it is the plain JavaScript file.
 */
function workerModule(): string {
  const self = import.meta.url;
  if (!self.endsWith('.ts')) return new URL('./espeak-worker.js', self).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  const entry = new URL('./espeak-worker.ts', self).href;
  const boot = `const { register } = await import(${JSON.stringify(tsx)}); register();
export default (await import(${JSON.stringify(entry)})).default;`;
  return `data:text/javascript;base64,${Buffer.from(boot).toString('base64')}`;
}

/**
 * eSpeak NG on a pool of worker threads (tinypool), one engine per thread, so synthesis uses every
 * core it is given. A thread that dies fails its own request (retryable) and is replaced.
 * The module is compiled here once and shared by the threads.
 */
export class EspeakPool {
  private pool: Promise<Tinypool> | undefined;
  readonly threads: number;
  private readonly idleTimeoutMs: number;

  constructor(options: EspeakPoolOptions = {}) {
    this.threads = Math.max(1, Math.floor(options.threads ?? availableParallelism()));
    this.idleTimeoutMs = options.idleTimeoutMs ?? 60_000;
  }

  /** Compiles the module once (here), then every thread instantiates it: one compilation, one copy of the code. */
  private started(): Promise<Tinypool> {
    this.pool ??= compiledModule().then(
      (module) =>
        new Tinypool({
          filename: workerModule(),
          minThreads: 0,
          maxThreads: this.threads,
          idleTimeout: this.idleTimeoutMs,
          workerData: { module },
        }),
    );
    this.pool.catch(() => (this.pool = undefined));
    return this.pool;
  }

  async render(request: RenderRequest): Promise<RenderedSpeech> {
    let response: WorkerResponse;
    try {
      response = (await (await this.started()).run(request)) as WorkerResponse;
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
    await (await pool?.catch(() => undefined))?.destroy();
  }
}
