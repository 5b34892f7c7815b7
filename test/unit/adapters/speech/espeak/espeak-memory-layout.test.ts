import { describe, expect, it } from 'vitest';
import { findProgramBreak, snapshotOf } from '../../../../../adapters/speech/espeak/espeak-memory-layout.js';
import { compileEspeak, INPUT_PATH, loadEspeak, memoryOf, OUTPUT_PATH } from '../../../../../adapters/speech/espeak/espeak-wasm.js';

const PAGE = 65_536;

/**
 * A toy C heap: the break kept at `breakAt` (static data) and a bump allocator. Before it, at 1,000,
 * a pointer that moves with each block too but stays below the break (like dlmalloc's top); a
 * pointer that does not move; and, as asked, a twin of the break, or a "break" that stops moving.
 */
function toyInstance(options: { twin?: boolean; stalls?: boolean } = {}) {
  const memory = new Uint8Array(64 * PAGE);
  const view = new DataView(memory.buffer);
  const topAt = 1_000;
  const breakAt = 1_004;
  view.setUint32(topAt, 4 * PAGE, true);
  view.setUint32(breakAt, 4 * PAGE, true);
  view.setUint32(1_008, 3 * PAGE, true);
  if (options.twin) view.setUint32(1_012, 4 * PAGE, true);
  let blocks = 0;
  const malloc = (bytes: number) => {
    const block = view.getUint32(topAt, true);
    view.setUint32(topAt, block + bytes, true);
    blocks += 1;
    if (!(options.stalls && blocks > 1)) view.setUint32(breakAt, block + bytes + PAGE, true);
    if (options.twin) view.setUint32(1_012, block + bytes + PAGE, true);
    return block;
  };
  return { memory, malloc, free: () => undefined, breakAt };
}

describe('findProgramBreak', () => {
  it('finds the word that moves highest past a block malloc() asked the break for, and its first value', () => {
    const toy = toyInstance();
    expect(findProgramBreak(toy, [{ start: 0, end: 2 * PAGE }])).toEqual({ breakAddress: toy.breakAt, initialBreak: 4 * PAGE });
  });

  it('finds nothing when two words move alike, when the word does not move past a second block, or when malloc() fails', () => {
    expect(findProgramBreak(toyInstance({ twin: true }), [{ start: 0, end: 2 * PAGE }])).toBeUndefined();
    expect(findProgramBreak(toyInstance({ stalls: true }), [{ start: 0, end: 2 * PAGE }])).toBeUndefined();
    expect(findProgramBreak({ ...toyInstance(), malloc: () => 0 }, [{ start: 0, end: 2 * PAGE }])).toBeUndefined();
  });

  it('searches only the static data it is given', () => {
    expect(findProgramBreak(toyInstance(), [{ start: 2_000, end: 2 * PAGE }])).toBeUndefined();
  });
});

describe('snapshotOf', () => {
  const layout = { files: [{ start: 2 * PAGE, end: 4 * PAGE + 10 }], breakAddress: 1_000, initialBreak: 6 * PAGE };
  const fresh = () => {
    const memory = new Uint8Array(16 * PAGE);
    new DataView(memory.buffer).setUint32(1_000, 6 * PAGE, true);
    memory.fill(3, 2 * PAGE, 4 * PAGE + 10);
    memory[10 * PAGE] = 1; // above the first break: not the program's, not copied
    return memory;
  };

  it('says where the break is now, and the whole memory when the break is out of bounds', () => {
    const memory = fresh();
    const { breakIn } = snapshotOf(memory, layout);
    expect(breakIn(memory)).toBe(6 * PAGE);
    new DataView(memory.buffer).setUint32(1_000, 9 * PAGE + 4, true);
    expect(breakIn(memory)).toBe(9 * PAGE + 4);
    new DataView(memory.buffer).setUint32(1_000, 17 * PAGE, true);
    expect(breakIn(memory)).toBe(16 * PAGE);
    new DataView(memory.buffer).setUint32(1_000, 5 * PAGE, true);
    expect(breakIn(memory)).toBe(16 * PAGE);
    expect(breakIn(new Uint8Array(1_002))).toBe(1_002);
  });

  it("copies the pages below the first break but the files' (and a page the files only partly fill)", () => {
    const memory = fresh();
    // Pages 0 and 4 are non-zero and copied; 2 and 3 are the files'; 10 is above the first break.
    expect(snapshotOf(memory, layout).snapshot.byteLength).toBe(2 * PAGE);
  });

  it("reads every page when the instance's break is not where the layout says", () => {
    const memory = fresh();
    new DataView(memory.buffer).setUint32(1_000, 7 * PAGE, true);
    const { snapshot, breakIn } = snapshotOf(memory, layout);
    expect(snapshot.byteLength).toBe(5 * PAGE);
    expect(breakIn(memory)).toBe(16 * PAGE);
  });
});

describe("the eSpeak NG module's layout", () => {
  const args = (voice: string) => ['-v', voice, '-w', OUTPUT_PATH, '-f', INPUT_PATH];
  const texts: [string, string][] = [
    ['en-us', 'Hello there.'],
    ['ko', '안녕하세요, 주문하신 상품이 접수되었습니다.'],
    ['en-us', 'Where is my order? '.repeat(60)],
    ['ko', '감사합니다 '.repeat(40)],
    ['en-us', 'Hi.'],
  ];

  it('is found for the package, and a reset that reads only below the break gives the audio a full one gives', async () => {
    const compiled = await compileEspeak(['en-us', 'ko']);
    expect(compiled.layout).toMatchObject({ breakAddress: expect.any(Number), initialBreak: expect.any(Number) });
    expect(compiled.layout!.files.length).toBeGreaterThan(0);
    const narrow = await loadEspeak(compiled);
    const full = await loadEspeak({ ...compiled, layout: undefined });
    for (const [voice, text] of [...texts, ...texts]) {
      const a = narrow.run(args(voice), text);
      expect(a.status).toBe(0);
      expect(Buffer.from(a.output!).equals(Buffer.from(full.run(args(voice), text).output!)), text.slice(0, 20)).toBe(true);
    }
  });

  it('puts back every page a run wrote above the first break: after a run that allocates nothing, nothing is left above it', async () => {
    const compiled = await compileEspeak(['en-us', 'ko']);
    const { breakAddress, initialBreak } = compiled.layout!;
    const program = await loadEspeak(compiled);
    const breakNow = () => new DataView(memoryOf(program).buffer).getUint32(breakAddress, true);
    let highestBreak = 0;
    for (const [voice, text] of texts) {
      program.run(args(voice), text);
      highestBreak = Math.max(highestBreak, breakNow());
    }
    // A run that stops at once (an unknown option): it leaves the break where it starts. Above it the
    // memory is as a fresh instance's, all zeros, only if the reset put back what the runs before wrote
    // there. (What a run writes below its break is not compared: some bytes, times, differ between runs.)
    program.run(['--no-such-option', '-w', OUTPUT_PATH, '-f', INPUT_PATH], 'x');
    const stoppedBreak = breakNow();
    const above = memoryOf(program).subarray(stoppedBreak);
    expect(Buffer.from(above).equals(Buffer.alloc(above.length))).toBe(true);
    // The runs before grew the heap well past it: there was something to put back.
    expect(stoppedBreak).toBeLessThan(initialBreak + PAGE);
    expect(highestBreak).toBeGreaterThan(stoppedBreak + PAGE);
  });
});
