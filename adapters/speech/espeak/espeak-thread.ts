import { Worker } from 'node:worker_threads';
import { TalkbackError, type ErrorCode } from '../../../core/errors.js';
import type { RenderRequest, RenderedSpeech } from './espeak-render.js';
import type { WorkerRequest, WorkerResponse } from './espeak-worker.js';

interface Pending {
  resolve: (value: RenderedSpeech) => void;
  reject: (error: unknown) => void;
}

/**
 * Starts the worker. From TypeScript sources (tsx, vitest) the worker registers tsx itself, since
 * Node 20 workers cannot be given a loader; from the build it is plain JavaScript.
 */
function startWorker(): Worker {
  const self = import.meta.url;
  if (self.endsWith('.ts')) {
    const entry = new URL('./espeak-worker.ts', self).href;
    const boot = `import('tsx/esm/api').then(({ register }) => { register(); return import(${JSON.stringify(entry)}); })`;
    return new Worker(boot, { eval: true });
  }
  return new Worker(new URL('./espeak-worker.js', self));
}

/** The eSpeak worker thread seen from the host: one request at a time is queued there; a crashed worker is replaced. */
export class EspeakThread {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;

  render(request: RenderRequest): Promise<RenderedSpeech> {
    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise<RenderedSpeech>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.ref();
      worker.postMessage({ id, ...request } satisfies WorkerRequest);
    });
  }

  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.terminate();
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = startWorker();
    worker.on('message', (response: WorkerResponse) => {
      const pending = this.pending.get(response.id);
      if (!pending) return;
      this.pending.delete(response.id);
      // Only waiting callers keep the process alive; an idle worker does not.
      if (this.pending.size === 0) worker.unref();
      if ('error' in response) {
        const t = response.error.talkback;
        pending.reject(
          t
            ? new TalkbackError(t.code as ErrorCode, response.error.message, { retryable: t.retryable, ...(t.details ? { details: t.details } : {}) })
            : new Error(response.error.message),
        );
      } else {
        pending.resolve({ data: Buffer.from(response.data.buffer, response.data.byteOffset, response.data.byteLength), durationMs: response.durationMs });
      }
    });
    const fail = (error: unknown) => {
      if (this.worker === worker) this.worker = undefined;
      const cause = error instanceof Error ? error : new Error(String(error));
      for (const [id, pending] of this.pending) {
        this.pending.delete(id);
        pending.reject(new TalkbackError('SpeechFailed', `the eSpeak worker stopped: ${cause.message}`, { retryable: true, cause }));
      }
    };
    worker.on('error', fail);
    worker.on('exit', (code) => fail(new Error(`exit code ${code}`)));
    this.worker = worker;
    return worker;
  }
}
