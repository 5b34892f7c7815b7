/**
 * Where an eSpeak NG instance can write in its linear memory: what lets a run's reset read ~1 MB of
 * the 32 MB instead of all of it, so that an instance holds ~6 MB resident (see wasm-memory-snapshot.ts).
 * Emscripten lays the memory out as the stack, the static data (the embedded files' bytes among it)
 * and the heap, which ends at the program break that the C library's sbrk() keeps in a static
 * variable. The module exports no way to read it, so `findProgramBreak` finds that variable: the word
 * of the static data that moves highest, past a block malloc() had to ask sbrk() for, and again past
 * a second one. Found or not, the layout only narrows what is read: without it (another build of the
 * package) every page is read, as before.
 * It assumes what Emscripten's allocators (dlmalloc, emmalloc) do: the break never moves down, so
 * nothing a run wrote lies above the break it ends with.
 */
import { MemorySnapshot } from './wasm-memory-snapshot.js';

const PAGE = 65_536;

export interface EspeakLayout {
  /**
   * The embedded files' bytes, [start, end): the runtime makes its files views of them, which runs
   * read and nothing writes. They include the files a trimmed module leaves out: pages of zeros that
   * nothing even reads (most of the 32 MB).
   */
  files: readonly { start: number; end: number }[];
  /** Where the program break is kept, and its value in a fresh instance (the heap's end as the runtime starts). */
  breakAddress: number;
  initialBreak: number;
}

/** What findProgramBreak needs of a fresh instance. */
export interface FreshInstance {
  memory: Uint8Array;
  malloc(bytes: number): number;
  free(pointer: number): void;
}

/** A block larger than a fresh heap holds, so malloc() must move the break for it. */
const PROBE_BYTES = 256 * 1024;

/**
 * The program break's address and first value, found in a fresh instance (which it leaves with two
 * blocks allocated and freed: use one that is thrown away). `staticData`: the [start, end) ranges of
 * the module's data segments, the files' bytes excluded. Undefined unless exactly one word moved as
 * the break must: up, past the first block's end, highest of those that did; then up again, past a
 * second, larger block's end.
 */
export function findProgramBreak(
  instance: FreshInstance,
  staticData: readonly { start: number; end: number }[],
): { breakAddress: number; initialBreak: number } | undefined {
  const { memory } = instance;
  // (A memory that grew detaches this view: reading it then throws, and the caller finds no layout.)
  const view = new DataView(memory.buffer, memory.byteOffset, memory.byteLength);
  const word = (at: number) => view.getUint32(at, true);
  const staticEnd = Math.max(0, ...staticData.map((r) => r.end));
  // Words of the static data that point past it: the break is one of them.
  const before = new Map<number, number>();
  for (const { start, end } of staticData) {
    for (let at = Math.ceil(start / 4) * 4; at + 4 <= end; at += 4) {
      const value = word(at);
      if (value >= staticEnd && value <= memory.byteLength) before.set(at, value);
    }
  }
  const blocks: number[] = [];
  try {
    const first = instance.malloc(PROBE_BYTES);
    if (first === 0) return undefined;
    blocks.push(first);
    const moved = [...before].filter(([at, old]) => word(at) > old && word(at) >= first + PROBE_BYTES);
    // The break bounds every block of the heap: it is the highest of the words that moved.
    const highest = Math.max(...moved.map(([at]) => word(at)));
    const atHighest = moved.filter(([at]) => word(at) === highest);
    if (atHighest.length !== 1) return undefined;
    const [breakAddress, initialBreak] = atHighest[0]!;
    // Confirmed by a second block, which the first still holds its place below.
    const second = instance.malloc(2 * PROBE_BYTES);
    if (second === 0) return undefined;
    blocks.push(second);
    if (!(word(breakAddress) > highest && word(breakAddress) >= second + 2 * PROBE_BYTES)) return undefined;
    return { breakAddress, initialBreak };
  } finally {
    for (const block of blocks) instance.free(block);
  }
}

/**
 * A snapshot of a fresh instance's memory that reads only what the program can write: below its
 * program break, without the files' pages; and `breakIn`, the break a memory is at (where a reset
 * can stop reading: the break only moves up, so a run wrote nothing above the break it ended with).
 * Falls back to every page when the instance does not match the layout (its break is not where the
 * layout says), or when the break is out of bounds (memory the program corrupted).
 */
export function snapshotOf(
  memory: Uint8Array,
  layout: EspeakLayout | undefined,
): { snapshot: MemorySnapshot; breakIn: (memory: Uint8Array) => number } {
  if (layout === undefined || breakWord(memory, layout) !== layout.initialBreak) {
    return { snapshot: new MemorySnapshot(memory), breakIn: (m) => m.byteLength };
  }
  const neverWritten = filePages(layout.files);
  const snapshot = new MemorySnapshot(memory, { end: layout.initialBreak, neverWritten: (page) => neverWritten.has(page) });
  return {
    snapshot,
    breakIn: (m) => {
      const value = breakWord(m, layout);
      return value !== undefined && value >= layout.initialBreak && value <= m.byteLength ? value : m.byteLength;
    },
  };
}

/** The word at the layout's break address, if the memory holds it. */
function breakWord(memory: Uint8Array, layout: EspeakLayout): number | undefined {
  if (layout.breakAddress + 4 > memory.byteLength) return undefined;
  return new DataView(memory.buffer, memory.byteOffset, memory.byteLength).getUint32(layout.breakAddress, true);
}

/** The pages wholly inside the files' bytes. */
function filePages(files: EspeakLayout['files']): Set<number> {
  const pages = new Set<number>();
  for (const { start, end } of files) {
    for (let page = Math.ceil(start / PAGE); (page + 1) * PAGE <= end; page++) pages.add(page);
  }
  return pages;
}
