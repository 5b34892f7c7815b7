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

describe('MemorySnapshot with the program layout known', () => {
  it('copies neither the pages never written nor those above the end, and puts back what a run wrote below its break', () => {
    const memory = new Uint8Array(16 * PAGE);
    memory.fill(5, 2 * PAGE, 4 * PAGE); // "files": never written
    memory.fill(7, 0, 100);
    memory[8 * PAGE] = 6; // above the end: not copied (the scope says it is zero there; the test then makes it so)
    const snapshot = new MemorySnapshot(memory, { end: 6 * PAGE, neverWritten: (page) => page === 2 || page === 3 });
    expect(snapshot.byteLength).toBe(PAGE); // page 0 only: neither the files nor what lies above the end
    memory[8 * PAGE] = 0;
    const pristine = Uint8Array.from(memory);

    memory.fill(1, 50, 150); // below the end
    memory.fill(4, 7 * PAGE, 9 * PAGE + 3); // a run's heap, below the break it ends with
    snapshot.restore(memory, 9 * PAGE + 3);
    expect(Buffer.from(memory).equals(Buffer.from(pristine))).toBe(true);
  });

  it('leaves pages at or above the break a run ended with as they are (it cannot have written them)', () => {
    const memory = new Uint8Array(16 * PAGE);
    const snapshot = new MemorySnapshot(memory, { end: 4 * PAGE });
    memory[12 * PAGE] = 9; // above the break given below: not read, so not put back
    memory[5 * PAGE] = 9; // below it: put back
    snapshot.restore(memory, 6 * PAGE);
    expect(memory[5 * PAGE]).toBe(0);
    expect(memory[12 * PAGE]).toBe(9);
    snapshot.restore(memory);
    expect(memory[12 * PAGE]).toBe(0);
  });

  it('leaves the pages never written alone', () => {
    const memory = new Uint8Array(8 * PAGE);
    const snapshot = new MemorySnapshot(memory, { neverWritten: (page) => page === 3 });
    memory[3 * PAGE + 1] = 9;
    memory[4 * PAGE + 1] = 9;
    snapshot.restore(memory);
    expect([memory[3 * PAGE + 1], memory[4 * PAGE + 1]]).toEqual([9, 0]);
  });
});
