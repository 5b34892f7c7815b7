import { Mp3Encoder } from '@breezystack/lamejs';
import { setImmediate as nextTurn } from 'node:timers/promises';

export interface Mp3EncodeOptions {
  sampleRate: number;
  bitrateKbps: number;
  /** Called between chunks, after the turn given to the event loop (a pool thread's pause point). */
  between?: () => void;
}

/** Samples per encoder call: whole 1152-sample MP3 frames, about one second at 22.05 kHz. */
const CHUNK_SAMPLES = 1152 * 20;

/**
 * Encodes mono 16-bit PCM as constant-bit-rate MP3. Encoding costs ~17 ms per second of audio
 * (a 2,000-character message is ~5 minutes of speech), so it yields to the event loop between
 * chunks rather than stalling a process that also answers HTTP for seconds.
 */
export async function encodeMp3(samples: Int16Array, options: Mp3EncodeOptions): Promise<Buffer> {
  const encoder = new Mp3Encoder(1, options.sampleRate, options.bitrateKbps);
  const parts: Buffer[] = [];
  // lamejs returns Int8Array views, which Buffer.concat refuses: wrap their bytes.
  const keep = (frames: Uint8Array) => parts.push(Buffer.from(frames.buffer, frames.byteOffset, frames.byteLength));
  for (let at = 0; at < samples.length; at += CHUNK_SAMPLES) {
    if (at > 0) {
      await nextTurn();
      options.between?.();
    }
    keep(encoder.encodeBuffer(samples.subarray(at, at + CHUNK_SAMPLES)));
  }
  keep(encoder.flush());
  return Buffer.concat(parts);
}
