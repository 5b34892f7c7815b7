import { MPEGDecoder } from 'mpg123-decoder';

export interface DecodedMp3 {
  /** Samples per channel. */
  samples: number;
  sampleRate: number;
  durationMs: number;
}

/**
 * Really decodes MP3 bytes with mpg123 (WASM). Throws when mpg123 reports a decoding error;
 * bytes that hold no MP3 frame at all (text, silence) decode to 0 samples.
 * Decoded audio runs up to ~2 frames (≈105 ms at 22.05 kHz) longer than what was encoded: the
 * encoder's delay and padding, which only an encoder tag would let mpg123 trim.
 */
export async function decodeMp3(bytes: Uint8Array): Promise<DecodedMp3> {
  const decoder = new MPEGDecoder();
  await decoder.ready;
  try {
    const decoded = decoder.decode(bytes);
    if (decoded.errors.length > 0) {
      const first = decoded.errors[0];
      throw new Error(`not valid MP3: ${decoded.errors.length} decoding errors, first "${first?.message}"`);
    }
    const { samplesDecoded: samples, sampleRate } = decoded;
    return { samples, sampleRate, durationMs: sampleRate === 0 ? 0 : (samples * 1000) / sampleRate };
  } finally {
    decoder.free();
  }
}
