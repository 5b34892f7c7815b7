/**
 * The little of the WebAssembly binary format that trimming a module's data needs: its sections,
 * its active data segments (what instantiation copies into linear memory) and the value of an
 * exported i32 global. Anything it does not expect (passive segments, a data count section) is
 * an Error rather than a guess.
 */

export interface DataSegment {
  /** Where instantiation copies the bytes in linear memory. */
  offset: number;
  bytes: Uint8Array;
}

interface Section {
  id: number;
  body: Uint8Array;
}

const DATA = 11;
const DATA_COUNT = 12;
const I32_CONST = 0x41;
const END = 0x0b;

class Reader {
  at = 0;
  constructor(readonly bytes: Uint8Array) {}
  byte(): number {
    if (this.at >= this.bytes.length) throw new Error('WebAssembly binary: unexpected end');
    return this.bytes[this.at++]!;
  }
  u32(): number {
    let result = 0;
    for (let shift = 0; ; shift += 7) {
      const b = this.byte();
      result += (b & 0x7f) * 2 ** shift;
      if ((b & 0x80) === 0) return result;
    }
  }
  i32(): number {
    let result = 0;
    let shift = 0;
    let b: number;
    do {
      b = this.byte();
      result |= (b & 0x7f) << shift;
      shift += 7;
    } while (b & 0x80);
    return shift < 32 && b & 0x40 ? result | (-1 << shift) : result;
  }
  take(length: number): Uint8Array {
    if (this.at + length > this.bytes.length) throw new Error('WebAssembly binary: unexpected end');
    this.at += length;
    return this.bytes.subarray(this.at - length, this.at);
  }
  name(): string {
    return Buffer.from(this.take(this.u32())).toString('utf8');
  }
  /** A constant expression that must be `i32.const N; end`. */
  i32Const(): number {
    if (this.byte() !== I32_CONST) throw new Error('WebAssembly binary: an offset that is not i32.const');
    const value = this.i32();
    if (this.byte() !== END) throw new Error('WebAssembly binary: an offset that is not i32.const');
    return value;
  }
}

function u32Bytes(value: number): number[] {
  const out: number[] = [];
  do {
    let b = value & 0x7f;
    value = Math.floor(value / 128);
    if (value !== 0) b |= 0x80;
    out.push(b);
  } while (value !== 0);
  return out;
}

function i32Bytes(value: number): number[] {
  const out: number[] = [];
  for (;;) {
    const b = value & 0x7f;
    value >>= 7;
    if ((value === 0 && (b & 0x40) === 0) || (value === -1 && (b & 0x40) !== 0)) return [...out, b];
    out.push(b | 0x80);
  }
}

function sections(module: Uint8Array): Section[] {
  if (module.length < 8 || module[0] !== 0 || module[1] !== 0x61 || module[2] !== 0x73 || module[3] !== 0x6d) {
    throw new Error('not a WebAssembly binary');
  }
  const reader = new Reader(module);
  reader.at = 8;
  const list: Section[] = [];
  while (reader.at < module.length) {
    const id = reader.byte();
    list.push({ id, body: reader.take(reader.u32()) });
  }
  return list;
}

/** The module's active data segments, in order. */
export function dataSegments(module: Uint8Array): DataSegment[] {
  const all = sections(module);
  if (all.some((s) => s.id === DATA_COUNT)) throw new Error('WebAssembly binary: data count section not supported');
  const data = all.find((s) => s.id === DATA);
  if (data === undefined) return [];
  const reader = new Reader(data.body);
  return Array.from({ length: reader.u32() }, () => {
    const kind = reader.u32();
    if (kind !== 0) throw new Error(`WebAssembly binary: data segment kind ${kind} not supported`);
    const offset = reader.i32Const();
    return { offset, bytes: reader.take(reader.u32()) };
  });
}

/** The segments with the bytes of `ranges` ([start, end) in linear memory) cut out of them. */
export function segmentsWithout(segments: readonly DataSegment[], ranges: readonly { start: number; end: number }[]): DataSegment[] {
  const sorted = [...ranges].sort((a, b) => a.start - b.start);
  const pieces: DataSegment[] = [];
  for (const { offset, bytes } of segments) {
    let from = offset;
    const end = offset + bytes.length;
    for (const range of sorted) {
      const start = Math.max(range.start, from);
      const stop = Math.min(range.end, end);
      if (start >= stop) continue;
      if (start > from) pieces.push({ offset: from, bytes: bytes.subarray(from - offset, start - offset) });
      from = stop;
    }
    if (end > from) pieces.push({ offset: from, bytes: bytes.subarray(from - offset) });
  }
  return pieces;
}

/** The same module with its data section holding `segments` instead. */
export function withDataSegments(module: Uint8Array, segments: readonly DataSegment[]): Uint8Array {
  dataSegments(module); // refuses what it could not rewrite faithfully
  const body: number[] = [...u32Bytes(segments.length)];
  const parts: Uint8Array[] = [];
  let size = 0;
  const flush = () => {
    parts.push(Uint8Array.from(body));
    size += body.length;
    body.length = 0;
  };
  for (const { offset, bytes } of segments) {
    body.push(0, I32_CONST, ...i32Bytes(offset), END, ...u32Bytes(bytes.length));
    flush();
    parts.push(bytes);
    size += bytes.length;
  }
  flush();
  const out: Uint8Array[] = [module.subarray(0, 8)];
  for (const section of sections(module)) {
    if (section.id === DATA) out.push(Uint8Array.of(DATA, ...u32Bytes(size)), ...parts);
    else out.push(Uint8Array.of(section.id, ...u32Bytes(section.body.length)), section.body);
  }
  return Buffer.concat(out);
}

/** The initial value of an exported, immutable i32 global (e.g. a static data address). */
export function exportedI32(module: Uint8Array, name: string): number {
  const all = sections(module);
  let importedGlobals = 0;
  for (const section of all.filter((s) => s.id === 2)) {
    const reader = new Reader(section.body);
    for (let count = reader.u32(); count > 0; count -= 1) {
      reader.name();
      reader.name();
      const kind = reader.byte();
      if (kind === 0) {
        reader.u32(); // function: its type
      } else if (kind === 1) {
        reader.byte(); // table: its element type, then limits
        limits(reader);
      } else if (kind === 2) {
        limits(reader); // memory
      } else if (kind === 3) {
        reader.take(2); // global: value type, mutability
        importedGlobals += 1;
      } else {
        throw new Error(`WebAssembly binary: import kind ${kind} not supported`);
      }
    }
  }
  let index: number | undefined;
  for (const section of all.filter((s) => s.id === 7)) {
    const reader = new Reader(section.body);
    for (let count = reader.u32(); count > 0; count -= 1) {
      const exported = reader.name();
      const kind = reader.byte();
      const at = reader.u32();
      if (exported === name && kind === 3) index = at;
    }
  }
  if (index === undefined) throw new Error(`WebAssembly binary: no exported global "${name}"`);
  if (index < importedGlobals) throw new Error(`WebAssembly binary: global "${name}" is imported`);
  const globals = all.find((s) => s.id === 6);
  if (globals === undefined) throw new Error('WebAssembly binary: no global section');
  const reader = new Reader(globals.body);
  const count = reader.u32();
  for (let i = 0; i < count; i += 1) {
    reader.take(2); // value type, mutability
    if (i === index - importedGlobals) return reader.i32Const();
    skipConstant(reader);
  }
  throw new Error(`WebAssembly binary: global "${name}" not found`);
}

/** Skips a constant expression (another global's initialiser). */
function skipConstant(reader: Reader): void {
  for (;;) {
    const op = reader.byte();
    if (op === END) return;
    if (op === I32_CONST || op === 0x42) reader.i32(); // i64.const: the same LEB shape
    else if (op === 0x43) reader.take(4);
    else if (op === 0x44) reader.take(8);
    else if (op === 0x23 || op === 0xd2 || op === 0xd0) reader.u32(); // global.get, ref.func, ref.null
    else if (![0x6a, 0x6b, 0x6c, 0x7c, 0x7d, 0x7e].includes(op)) throw new Error(`WebAssembly binary: constant opcode ${op} not supported`);
  }
}

function limits(reader: Reader): void {
  const flags = reader.byte();
  reader.u32();
  if (flags & 1) reader.u32();
}
