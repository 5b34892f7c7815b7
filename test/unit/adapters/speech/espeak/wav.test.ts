import { describe, expect, it } from 'vitest';
import { parseWav } from '../../../../../adapters/speech/espeak/wav.js';

/** A mono 16-bit WAV of `samples` at 22,050 Hz, as eSpeak writes it. */
function wav(samples: number[]): Buffer {
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(36 + samples.length * 2, 4);
  header.write('WAVEfmt ', 8, 'latin1');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20);
  header.writeUInt16LE(1, 22);
  header.writeUInt32LE(22_050, 24);
  header.writeUInt32LE(44_100, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'latin1');
  header.writeUInt32LE(samples.length * 2, 40);
  const data = Buffer.alloc(samples.length * 2);
  samples.forEach((sample, i) => data.writeInt16LE(sample, i * 2));
  return Buffer.concat([header, data]);
}

describe('parseWav', () => {
  const samples = [0, 1, -1, 32_767, -32_768, 1234, -4321];

  it('reads the samples in place, without copying a long WAV', () => {
    const bytes = new Uint8Array(wav(samples));
    const pcm = parseWav(bytes);
    expect(pcm).toMatchObject({ sampleRate: 22_050, channels: 1 });
    expect([...pcm.samples]).toEqual(samples);
    expect(pcm.samples.buffer).toBe(bytes.buffer);
  });

  it('reads the same samples from bytes that start at an odd offset (copied: a view must be aligned)', () => {
    const shifted = new Uint8Array(wav(samples).length + 1);
    shifted.set(wav(samples), 1);
    expect([...parseWav(shifted.subarray(1)).samples]).toEqual(samples);
  });

  it('cuts a data size that runs past the end to the bytes present', () => {
    const bytes = wav(samples);
    bytes.writeUInt32LE(0x7fff_ffff, 40);
    expect([...parseWav(bytes).samples]).toEqual(samples);
  });
});
