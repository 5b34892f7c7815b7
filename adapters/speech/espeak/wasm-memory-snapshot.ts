/**
 * A copy of a WebAssembly instance's linear memory that can be put back, page by page, touching
 * only what differs. Pages the program never wrote stay untouched: the operating system backs them
 * with its shared zero page, so they cost no resident memory, and writing zeros over them (even
 * zeros) would make every one of them resident. Only the non-zero pages are copied.
 */
const PAGE = 65_536;
const ZERO = new Uint8Array(PAGE);

export class MemorySnapshot {
  private readonly length: number;
  /** The non-zero pages, packed, and which page each is. */
  private readonly pages: Uint8Array;
  private readonly index = new Map<number, number>();

  constructor(memory: Uint8Array) {
    this.length = memory.byteLength;
    const nonZero: number[] = [];
    for (let at = 0; at < this.length; at += PAGE) {
      const bytes = page(memory, at);
      if (Buffer.compare(bytes, ZERO.subarray(0, bytes.length)) !== 0) nonZero.push(at);
    }
    this.pages = new Uint8Array(nonZero.length * PAGE);
    nonZero.forEach((at, i) => {
      this.pages.set(page(memory, at), i * PAGE);
      this.index.set(at, i * PAGE);
    });
  }

  /** Bytes held by the snapshot. */
  get byteLength(): number {
    return this.pages.byteLength;
  }

  /** Puts `memory` back as it was, writing only the pages that changed. */
  restore(memory: Uint8Array): void {
    if (memory.byteLength !== this.length) throw new Error('the memory changed size since its snapshot');
    for (let at = 0; at < this.length; at += PAGE) {
      const current = page(memory, at);
      const kept = this.index.get(at);
      const pristine = kept === undefined ? ZERO.subarray(0, current.length) : this.pages.subarray(kept, kept + current.length);
      if (Buffer.compare(current, pristine) !== 0) current.set(pristine);
    }
  }
}

function page(memory: Uint8Array, at: number): Uint8Array {
  return memory.subarray(at, Math.min(at + PAGE, memory.byteLength));
}
