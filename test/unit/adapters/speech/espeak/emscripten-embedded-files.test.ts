import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { embeddedFiles, withEmbeddedFiles } from '../../../../../adapters/speech/espeak/emscripten-embedded-files.js';
import { dataSegments } from '../../../../../adapters/speech/espeak/wasm-binary.js';

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

  it('returns the module itself when every file is kept, and refuses to keep none', () => {
    expect(withEmbeddedFiles(wasm, () => true)).toBe(wasm);
    expect(() => withEmbeddedFiles(wasm, () => false)).toThrow(/keeping none/);
  });
});
