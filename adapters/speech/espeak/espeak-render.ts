import { TalkbackError } from '../../../core/errors.js';
import type { EspeakEngine } from './espeak-engine.js';
import { encodeMp3 } from './mp3-encoder.js';
import { parseWav } from './wav.js';

export interface RenderRequest {
  voice: string;
  /** eSpeak options from trusted settings (e.g. -s 175); never user text. */
  options: readonly string[];
  text: string;
  bitrateKbps: number;
  /** Until when (epoch ms) the render may wait for its owner's pause (../synthesis-pause.ts); absent: never waits. */
  pauseUntil?: number;
}

export interface RenderedSpeech {
  data: Buffer;
  durationMs: number;
}

/**
 * eSpeak NG text → WAV → MP3. Throws TalkbackError when eSpeak refuses the input (not retryable).
 * `pausePoint` is called before eSpeak starts and between the encoder's chunks (../synthesis-pause.ts).
 */
export async function renderSpeech(
  engine: EspeakEngine,
  request: RenderRequest,
  pausePoint?: () => void,
): Promise<RenderedSpeech> {
  const { voice } = request;
  pausePoint?.();
  const run = await engine.run(['-v', voice, ...request.options], request.text);
  if (run.status !== 0 || run.output === undefined) {
    // eSpeak itself refused (unknown voice, bad setting): the same input fails the same way again.
    const said = run.stderr.join(' ').trim() || 'no audio written';
    throw new TalkbackError('SpeechRejected', `eSpeak NG (voice ${voice}) exited with status ${run.status}: ${said}`, {
      details: { voice, status: run.status },
    });
  }
  const pcm = parseWav(run.output);
  if (pcm.channels !== 1) {
    throw new TalkbackError('SpeechRejected', `eSpeak NG wrote ${pcm.channels} channels, expected mono`);
  }
  if (pcm.samples.length === 0) throw new TalkbackError('SpeechRejected', 'nothing to speak: eSpeak produced no audio');
  const data = await encodeMp3(pcm.samples, {
    sampleRate: pcm.sampleRate,
    bitrateKbps: request.bitrateKbps,
    ...(pausePoint ? { between: pausePoint } : {}),
  });
  return { data, durationMs: Math.round((pcm.samples.length * 1000) / pcm.sampleRate) };
}
