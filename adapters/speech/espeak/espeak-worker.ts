/**
 * One thread of the eSpeak NG pool: synthesis and MP3 encoding are CPU-bound for hundreds of
 * milliseconds, so they run on pool threads and the event loop keeps serving. Each thread keeps
 * its own engine (one instance of the module the pool compiled once). Errors come back as values: a thrown
 * TalkbackError would lose its code on the way between threads (the code decides the retry).
 */
import { workerData } from 'node:worker_threads';
import { isTalkbackError } from '../../../core/errors.js';
import { lowerThreadNice } from '../../thread-priority.js';
import { EspeakEngine } from './espeak-engine.js';
import { renderSpeech, type RenderRequest } from './espeak-render.js';
import { compileEspeak, type CompiledEspeak } from './espeak-wasm.js';
import { synthesisTurn, type SharedPause } from '../synthesis-pause.js';

export type WorkerResponse =
  | { data: Uint8Array; durationMs: number }
  | { error: { message: string; talkback?: { code: string; details?: Record<string, unknown> } } };

/**
 * Synthesis runs this many nice steps below the thread that starts the pool (`npm start`'s pipeline
 * worker, at PIPELINE_NICE): what that thread does per message (the bus's import, records, mails,
 * replies) is small and goes first, so that after a flood it catches up before synthesis takes the
 * cores (README, "Benchmarks"). With nothing else to run, synthesis still gets every core.
 */
const SYNTHESIS_NICE_STEPS = 5;
lowerThreadNice(SYNTHESIS_NICE_STEPS);

// The pool compiles the module once and gives it, with its layout, to every thread (tinypool: [its data,
// ours]), with the pause the host may put on synthesis under way, if any.
const given = (workerData as [unknown, { compiled?: CompiledEspeak; pause?: SharedPause } | undefined] | undefined)?.[1];
const shared = given?.compiled;
const engine = new EspeakEngine(shared ? () => Promise.resolve(shared) : () => compileEspeak());

export default async function render(request: RenderRequest): Promise<WorkerResponse> {
  // Its place among the syntheses the host lets run (../synthesis-pause.ts), given up however it ends.
  const turn = synthesisTurn(given?.pause, request.pauseUntil);
  try {
    const { data, durationMs } = await renderSpeech(engine, request, turn.point);
    return { data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), durationMs };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const talkback = isTalkbackError(error)
      ? { code: error.code, ...(error.details ? { details: error.details } : {}) }
      : undefined;
    return { error: { message, ...(talkback ? { talkback } : {}) } };
  } finally {
    turn.release();
  }
}
