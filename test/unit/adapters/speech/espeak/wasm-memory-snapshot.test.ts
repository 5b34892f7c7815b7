import { describe, expect, it } from 'vitest';
import { MemorySnapshot } from '../../../../../adapters/speech/espeak/wasm-memory-snapshot.js';

const PAGE = 65_536;

describe('MemorySnapshot', () => {
  it('keeps only the non-zero pages', () => {
    const memory = new Uint8Array(16 * PAGE);
    memory[10] = 1;
    memory[5 * PAGE + 100] = 2;
    memory[5 * PAGE + PAGE - 1] = 3;
    expect(new MemorySnapshot(memory).byteLength).toBe(2 * PAGE);
    expect(new MemorySnapshot(new Uint8Array(16 * PAGE)).byteLength).toBe(0);
  });

  it('puts back every page as it was: changed ones, zeroed ones, and zero ones written since', () => {
    const memory = new Uint8Array(16 * PAGE);
    memory.fill(7, 0, 100);
    memory.fill(9, 3 * PAGE, 4 * PAGE);
    const pristine = Uint8Array.from(memory);
    const snapshot = new MemorySnapshot(memory);

    memory.fill(1, 50, 150); // a kept page changed
    memory.fill(0, 3 * PAGE, 4 * PAGE); // a kept page zeroed
    memory.fill(4, 10 * PAGE + 5, 12 * PAGE + 5); // zero pages written
    memory[16 * PAGE - 1] = 255; // the last byte
    snapshot.restore(memory);
    expect(Buffer.from(memory).equals(Buffer.from(pristine))).toBe(true);
  });

  it('refuses a memory of another size', () => {
    const snapshot = new MemorySnapshot(new Uint8Array(2 * PAGE));
    expect(() => snapshot.restore(new Uint8Array(3 * PAGE))).toThrow(/changed size/);
  });
});
