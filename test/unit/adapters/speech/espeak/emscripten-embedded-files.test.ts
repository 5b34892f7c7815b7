import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { embeddedFileRanges, embeddedFiles, withEmbeddedFiles } from '../../../../../adapters/speech/espeak/emscripten-embedded-files.js';
import { dataSegments, segmentsWithout } from '../../../../../adapters/speech/espeak/wasm-binary.js';

const wasm = readFileSync(join(dirname(createRequire(import.meta.url).resolve('espeak-ng')), 'espeak-ng.wasm'));
const WebAssembly = (globalThis as unknown as { WebAssembly: { validate(bytes: Uint8Array): boolean } }).WebAssembly;
const name = (path: string) => path.slice(path.lastIndexOf('/') + 1);

describe('embedded files of an Emscripten module (the espeak-ng package)', () => {
  const all = embeddedFiles(wasm);

  it("lists the files the package embeds, with their bytes", () => {
    const byName = new Map(all.map((f) => [name(f.path), f]));
    expect(all.length).toBeGreaterThan(400);
    expect(byName.get('ko_dict')?.bytes.length).toBeGreaterThan(10_000);
    expect(byName.get('ru_dict')?.bytes.length).toBeGreaterThan(1_000_000);
    // A voice file is text that names its language.
    const korean = all.find((f) => f.path.endsWith('/espeak-ng-data/lang/ko'));
    expect(Buffer.from(korean!.bytes).toString('utf8')).toMatch(/^language ko$/m);
  });

  it('keeps only the files asked for: the others are gone from the table and their bytes from the data', () => {
    const keep = (path: string) => !path.endsWith('_dict') || ['en_dict', 'ko_dict'].includes(name(path));
    const trimmed = withEmbeddedFiles(wasm, keep);
    expect(WebAssembly.validate(trimmed)).toBe(true);
    const kept = embeddedFiles(trimmed);
    expect(kept.map((f) => f.path)).toEqual(all.filter((f) => keep(f.path)).map((f) => f.path));
    for (const file of kept) expect(Buffer.compare(file.bytes, all.find((f) => f.path === file.path)!.bytes), file.path).toBe(0);
    const bytes = (module: Uint8Array) => dataSegments(module).reduce((sum, s) => sum + s.bytes.length, 0);
    const dropped = all.filter((f) => !keep(f.path)).reduce((sum, f) => sum + f.bytes.length, 0);
    expect(bytes(trimmed)).toBe(bytes(wasm) - dropped);
    expect(trimmed.length).toBeLessThan(wasm.length - dropped + 64 * 1024);
  });

  it("says where each file's bytes lie in linear memory, in the table's order", () => {
    const ranges = embeddedFileRanges(wasm);
    expect(ranges.map((r) => r.end - r.start)).toEqual(all.map((f) => f.bytes.length));
    // The bytes at each range are the file's.
    const segments = dataSegments(wasm);
    const at = (address: number, length: number) => {
      const s = segments.find((x) => address >= x.offset && address + length <= x.offset + x.bytes.length)!;
      return s.bytes.subarray(address - s.offset, address - s.offset + length);
    };
    const ko = all.findIndex((f) => f.path.endsWith('/ko_dict'));
    expect(Buffer.compare(at(ranges[ko]!.start, ranges[ko]!.end - ranges[ko]!.start), all[ko]!.bytes)).toBe(0);
  });

  it('cuts ranges of linear memory out of data segments', () => {
    const segments = [
      { offset: 0, bytes: Uint8Array.from({ length: 100 }, (_, i) => i) },
      { offset: 200, bytes: new Uint8Array(100) },
    ];
    const cut = segmentsWithout(segments, [{ start: 250, end: 260 }, { start: 20, end: 30 }, { start: 90, end: 210 }]);
    expect(cut.map((s) => [s.offset, s.offset + s.bytes.length])).toEqual([[0, 20], [30, 90], [210, 250], [260, 300]]);
    expect(cut[1]!.bytes[0]).toBe(30);
  });

  it('returns the module itself when every file is kept, and refuses to keep none', () => {
    expect(withEmbeddedFiles(wasm, () => true)).toBe(wasm);
    expect(() => withEmbeddedFiles(wasm, () => false)).toThrow(/keeping none/);
  });
});
