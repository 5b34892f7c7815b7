/**
 * The eSpeak NG worker thread: synthesis and MP3 encoding are CPU-bound for hundreds of
 * milliseconds, so they run here and the host's event loop keeps answering chat requests.
 */
import { parentPort } from 'node:worker_threads';
import { isTalkbackError } from '../../../core/errors.js';
import { EspeakEngine } from './espeak-engine.js';
import { renderSpeech, type RenderRequest } from './espeak-render.js';

export type WorkerRequest = { id: number } & RenderRequest;
export type WorkerResponse =
  | { id: number; data: Uint8Array; durationMs: number }
  | { id: number; error: { message: string; talkback?: { code: string; retryable: boolean; details?: Record<string, unknown> } } };

const engine = new EspeakEngine();
const port = parentPort;

port?.on('message', (request: WorkerRequest) => {
  renderSpeech(engine, request).then(
    ({ data, durationMs }) => {
      const bytes = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      port.postMessage({ id: request.id, data: bytes, durationMs } satisfies WorkerResponse);
    },
    (error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      const talkback = isTalkbackError(error)
        ? { code: error.code, retryable: error.retryable, ...(error.details ? { details: error.details } : {}) }
        : undefined;
      port.postMessage({ id: request.id, error: { message, ...(talkback ? { talkback } : {}) } } satisfies WorkerResponse);
    },
  );
});
