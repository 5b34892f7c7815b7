import { describe, expect, it } from 'vitest';
import { findProgramBreak, snapshotOf } from '../../../../../adapters/speech/espeak/espeak-memory-layout.js';
import { compileEspeak, INPUT_PATH, loadEspeak, OUTPUT_PATH } from '../../../../../adapters/speech/espeak/espeak-wasm.js';

const PAGE = 65_536;

/** A toy C heap: the break kept at `breakAt` (static data), a bump allocator, and other words that move with it. */
function toyInstance(options: { twin?: boolean } = {}) {
  const memory = new Uint8Array(64 * PAGE);
  const view = new DataView(memory.buffer);
  const breakAt = 1_000;
  const topAt = 1_004; // a pointer into the heap that also moves (like dlmalloc's top), below the break
  view.setUint32(breakAt, 4 * PAGE, true);
  view.setUint32(topAt, 4 * PAGE, true);
  view.setUint32(1_008, 3 * PAGE, true); // a pointer that does not move
  if (options.twin) view.setUint32(1_012, 4 * PAGE, true);
  const malloc = (bytes: number) => {
    const block = view.getUint32(topAt, true);
    view.setUint32(topAt, block + bytes, true);
    view.setUint32(breakAt, block + bytes + PAGE, true);
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

  it('finds nothing when two words move alike (it cannot tell which is the break), or when malloc() fails', () => {
    expect(findProgramBreak(toyInstance({ twin: true }), [{ start: 0, end: 2 * PAGE }])).toBeUndefined();
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
  });

  it("copies the pages below the first break but the files' (and a page the files only partly fill)", () => {
    const memory = fresh();
    // Pages 0 and 4 are non-zero and copied; 2 and 3 are the files'.
    expect(snapshotOf(memory, layout).snapshot.byteLength).toBe(2 * PAGE);
  });

  it("reads every page when the instance's break is not where the layout says", () => {
    const memory = fresh();
    new DataView(memory.buffer).setUint32(1_000, 7 * PAGE, true);
    const { snapshot, breakIn } = snapshotOf(memory, layout);
    expect(snapshot.byteLength).toBe(4 * PAGE);
    expect(breakIn(memory)).toBe(16 * PAGE);
  });
});

describe("the eSpeak NG module's layout", () => {
  it('is found for the package, and a reset that reads only below the break gives what a full one gives', async () => {
    const compiled = await compileEspeak(['en-us', 'ko']);
    expect(compiled.layout).toMatchObject({ breakAddress: expect.any(Number), initialBreak: expect.any(Number) });
    expect(compiled.layout!.files.length).toBeGreaterThan(0);
    const narrow = await loadEspeak(compiled);
    const full = await loadEspeak({ ...compiled, layout: undefined });
    const texts = ['Hello there.', '안녕하세요, 주문하신 상품이 접수되었습니다.', 'Where is my order? '.repeat(60), 'Hi.', '감사합니다 '.repeat(40), 'Hello there.'];
    for (const [i, text] of texts.entries()) {
      const args = ['-v', i % 2 ? 'ko' : 'en-us', '-w', OUTPUT_PATH, '-f', INPUT_PATH];
      const a = narrow.run(args, text);
      const b = full.run(args, text);
      expect(a.status).toBe(0);
      expect(Buffer.from(a.output!).equals(Buffer.from(b.output!)), text.slice(0, 20)).toBe(true);
    }
  });
});
