/**
 * Files Emscripten embedded in a module's data (`--embed-file`): at start-up its runtime walks a
 * table in linear memory (entries of path pointer, length, content pointer; a zero path ends it)
 * and puts each file in the in-memory file system, reading the bytes in place. Every instance
 * copies all of them into its memory, so leaving some out of the module leaves them out of every
 * instance: the table lists only the files kept and the data segments skip the bytes of the others.
 */
import { dataSegments, exportedI32, segmentsWithout, withDataSegments, type DataSegment } from './wasm-binary.js';

export interface EmbeddedFile {
  path: string;
  /** The file's bytes (a view of the module's data). */
  bytes: Uint8Array;
}

const TABLE = '__emscripten_embedded_file_data';
const ENTRY = 12;

interface Entry {
  /** Where the path is, and the path. */
  name: number;
  path: string;
  length: number;
  content: number;
}

/** The segment and the place in it that hold `length` bytes at `address`. */
function locate(segments: readonly DataSegment[], address: number, length: number): { segment: number; at: number } {
  const segment = segments.findIndex((s) => address >= s.offset && address + length <= s.offset + s.bytes.length);
  if (segment < 0) throw new Error(`embedded files: address ${address} is outside the module's data`);
  return { segment, at: address - segments[segment]!.offset };
}

function read(segments: readonly DataSegment[], address: number, length: number): Uint8Array {
  const { segment, at } = locate(segments, address, length);
  return segments[segment]!.bytes.subarray(at, at + length);
}

function u32(segments: readonly DataSegment[], address: number): number {
  const bytes = read(segments, address, 4);
  return new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, true);
}

function cString(segments: readonly DataSegment[], address: number): string {
  const { segment, at } = locate(segments, address, 1);
  const bytes = segments[segment]!.bytes;
  const end = bytes.indexOf(0, at);
  if (end < 0) throw new Error('embedded files: unterminated path');
  return Buffer.from(bytes.subarray(at, end)).toString('utf8');
}

function entries(segments: readonly DataSegment[], table: number): Entry[] {
  const list: Entry[] = [];
  for (let at = table; u32(segments, at) !== 0; at += ENTRY) {
    const name = u32(segments, at);
    list.push({ name, path: cString(segments, name), length: u32(segments, at + 4), content: u32(segments, at + 8) });
  }
  return list;
}

/** The files embedded in the module. */
export function embeddedFiles(module: Uint8Array): EmbeddedFile[] {
  const segments = dataSegments(module);
  return entries(segments, exportedI32(module, TABLE)).map((e) => ({ path: e.path, bytes: read(segments, e.content, e.length) }));
}

/**
 * Where each embedded file's bytes lie in linear memory, as [start, end) offsets: the runtime's file
 * system holds its files as views of them (it "owns" them), which runs read and nothing writes.
 */
export function embeddedFileRanges(module: Uint8Array): { start: number; end: number }[] {
  return entries(dataSegments(module), exportedI32(module, TABLE)).map((e) => ({ start: e.content, end: e.content + e.length }));
}

/** The module with only the embedded files `keep` accepts (at least one). */
export function withEmbeddedFiles(module: Uint8Array, keep: (path: string) => boolean): Uint8Array {
  const segments = dataSegments(module).map((s) => ({ ...s }));
  const table = exportedI32(module, TABLE);
  const all = entries(segments, table);
  const kept = all.filter((e) => keep(e.path));
  if (kept.length === 0) throw new Error('embedded files: keeping none would leave the runtime a malformed table');
  if (kept.length === all.length) return module;

  // The new table in place of the old one: the entries kept, then zeros (the first zero ends it).
  const tableBytes = all.length * ENTRY + 4;
  const { segment, at } = locate(segments, table, tableBytes);
  const patched = Uint8Array.from(segments[segment]!.bytes);
  const view = new DataView(patched.buffer);
  patched.fill(0, at, at + tableBytes);
  kept.forEach((entry, i) => {
    view.setUint32(at + i * ENTRY, entry.name, true);
    view.setUint32(at + i * ENTRY + 4, entry.length, true);
    view.setUint32(at + i * ENTRY + 8, entry.content, true);
  });
  segments[segment] = { offset: segments[segment]!.offset, bytes: patched };

  // The segments without the bytes of the files left out.
  const dropped = all.filter((e) => !kept.includes(e)).map((e) => ({ start: e.content, end: e.content + e.length }));
  const pieces = segmentsWithout(segments, dropped);
  return withDataSegments(module, pieces);
}
