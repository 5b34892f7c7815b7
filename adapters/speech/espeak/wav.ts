import { endianness } from 'node:os';

/** A RIFF WAV file of 16-bit PCM, as eSpeak NG writes it. */
export interface Pcm16 {
  sampleRate: number;
  channels: number;
  /** Interleaved samples: a view of the file's bytes where the platform allows (no copy of a long WAV). */
  samples: Int16Array;
}

const LITTLE_ENDIAN = endianness() === 'LE';

/**
 * Reads a RIFF/WAVE file of 16-bit little-endian PCM. A data size that runs past the end (the
 * placeholder a streaming writer leaves) is cut to the bytes present. Throws on anything else.
 */
export function parseWav(bytes: Uint8Array): Pcm16 {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const tag = (at: number) => String.fromCharCode(...bytes.subarray(at, at + 4));
  if (bytes.length < 12 || tag(0) !== 'RIFF' || tag(8) !== 'WAVE') throw new Error('not a RIFF/WAVE file');

  let format: { channels: number; sampleRate: number } | undefined;
  for (let at = 12; at + 8 <= bytes.length; ) {
    const id = tag(at);
    const size = view.getUint32(at + 4, true);
    const body = at + 8;
    if (id === 'fmt ') {
      if (size < 16 || body + 16 > bytes.length) throw new Error('truncated fmt chunk');
      const audioFormat = view.getUint16(body, true);
      const bitsPerSample = view.getUint16(body + 14, true);
      if (audioFormat !== 1 || bitsPerSample !== 16) {
        throw new Error(`unsupported WAV format ${audioFormat}, ${bitsPerSample} bits`);
      }
      format = { channels: view.getUint16(body + 2, true), sampleRate: view.getUint32(body + 4, true) };
    } else if (id === 'data') {
      if (format === undefined) throw new Error('data chunk before fmt chunk');
      const end = Math.min(body + size, bytes.length);
      const count = Math.floor((end - body) / 2);
      if (LITTLE_ENDIAN && (bytes.byteOffset + body) % 2 === 0) {
        return { ...format, samples: new Int16Array(bytes.buffer, bytes.byteOffset + body, count) };
      }
      const samples = new Int16Array(count);
      for (let i = 0; i < count; i += 1) samples[i] = view.getInt16(body + 2 * i, true);
      return { ...format, samples };
    }
    at = body + size + (size % 2); // chunks are padded to an even length
  }
  throw new Error('no data chunk');
}
