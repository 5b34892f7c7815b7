/**
 * A copy of a WebAssembly instance's linear memory that can be put back, page by page, touching
 * only what differs. Only the non-zero pages are copied.
 *
 * Reading a page the program never wrote can cost as much as writing it: some kernels (this
 * project's CI machines among them) give a read of a never-touched page a page of its own, and it
 * stays resident. So when the program's layout is known (`scope`), the snapshot neither copies nor
 * compares the pages the program cannot have written: those above its program break (sbrk), and
 * those it never writes (its embedded files' contents). Without a scope every page is read.
 */
const PAGE = 65_536;
const ZERO = new Uint8Array(PAGE);

export interface SnapshotScope {
  /**
   * Memory from this offset up is all zeros in the snapshot's memory, and a run writes there only
   * below the end it says to restore() (its program break); default the memory's whole length.
   */
  end?: number;
  /** Pages (by index) the program never writes: neither copied nor compared. */
  neverWritten?: (page: number) => boolean;
}

export class MemorySnapshot {
  private readonly length: number;
  private readonly end: number;
  private readonly neverWritten: (page: number) => boolean;
  /** The non-zero pages, packed, and which page each is. */
  private readonly pages: Uint8Array;
  private readonly index = new Map<number, number>();

  constructor(memory: Uint8Array, scope: SnapshotScope = {}) {
    this.length = memory.byteLength;
    this.end = Math.min(scope.end ?? this.length, this.length);
    this.neverWritten = scope.neverWritten ?? (() => false);
    const nonZero: number[] = [];
    for (let at = 0; at < this.end; at += PAGE) {
      if (this.neverWritten(at / PAGE)) continue;
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

  /**
   * Puts `memory` back as it was, writing only the pages that changed. `writtenBelow`: nothing at
   * or above this offset was written since the snapshot, or since the last restore (the program
   * break a run ended with, which holds only if the break never moves down); pages wholly above it
   * are not read. Default: the whole memory.
   */
  restore(memory: Uint8Array, writtenBelow = memory.byteLength): void {
    if (memory.byteLength !== this.length) throw new Error('the memory changed size since its snapshot');
    const end = Math.min(Math.max(writtenBelow, this.end), this.length);
    for (let at = 0; at < end; at += PAGE) {
      if (this.neverWritten(at / PAGE)) continue;
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
