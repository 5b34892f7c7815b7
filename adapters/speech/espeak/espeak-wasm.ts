/**
 * The eSpeak NG command line (npm espeak-ng, Emscripten) as a program that can run many times in
 * one WASM instance. The build is a one-shot program: main() leaves C globals behind (getopt's
 * optind, the wave-file state) and the runtime exports no callMain. So the instance starts without
 * running main(), its 32 MB linear memory is copied (its non-zero pages), and every run begins by
 * putting back the pages that changed: a fresh process for the price of a memcmp, where a new
 * instance per run costs ~120 ms on a quiet machine and several hundred on a busy one. The copy and
 * the reset read only the pages the program can write (espeak-memory-layout.ts).
 * The WebAssembly.Module is compiled once per process, with only the dictionaries its voices use.
 */
import ESpeakNG, { type EspeakFileSystem, type EspeakModule } from 'espeak-ng';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { filesForVoices } from './espeak-dictionaries.js';
import { embeddedFileRanges, embeddedFiles, withEmbeddedFiles } from './emscripten-embedded-files.js';
import { findProgramBreak, snapshotOf, type EspeakLayout } from './espeak-memory-layout.js';
import { dataSegments, segmentsWithout } from './wasm-binary.js';

export interface EspeakRun {
  /** main()'s exit status. */
  status: number;
  /** What eSpeak wrote to stderr (its error messages). */
  stderr: string[];
  /** The file main() wrote at OUTPUT_PATH, if it wrote one. */
  output: Uint8Array | undefined;
}

/** The compiled module (shareable with other threads) and where its instances can write (if found). */
export interface CompiledEspeak {
  module: object;
  layout: EspeakLayout | undefined;
}

export interface EspeakProgram {
  /** Runs main('espeak-ng', ...args) to completion with `input` as the file INPUT_PATH. Synchronous. */
  run(args: readonly string[], input: string): EspeakRun;
}

export const INPUT_PATH = '/talkback-input.txt';
export const OUTPUT_PATH = '/talkback-output.wav';

// The project's lib has no WebAssembly declarations; this is the little that is used.
interface WasmApi {
  compile(bytes: Uint8Array): Promise<object>;
  instantiate(module: object, imports: object): Promise<{ exports: object }>;
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

/** The instance's own exports (emscripten's wrappers are bypassed: they assume one main() run). */
interface EspeakExports {
  memory: { buffer: ArrayBuffer };
  malloc(bytes: number): number;
  free(pointer: number): void;
  stackSave(): number;
  stackRestore(pointer: number): void;
  stackAlloc(bytes: number): number;
  __main_argc_argv(argc: number, argv: number): number;
}

/** Thrown by our quit() through the WASM stack when the C code calls exit(). */
class Exit extends Error {
  constructor(readonly status: number) {
    super(`exit(${status})`);
  }
}

/** The runtime's own note when C code calls exit(); not an eSpeak message. */
const RUNTIME_NOTE = /^program exited \(with status: \d+\)/;

const compiled = new Map<string, Promise<CompiledEspeak>>();

/**
 * The eSpeak NG module, compiled once per set of voices. The package embeds every language's data
 * (18 MB, copied into each instance's memory); the module compiled here embeds only what `voices`
 * need (~2.5 MB: see espeak-dictionaries.ts), or everything when `voices` is not given or a voice
 * is not known. A WebAssembly.Module can be handed to other threads, which then share its code
 * instead of compiling their own (the pool does so), with its layout (found here once, in an
 * instance thrown away).
 */
export function compileEspeak(voices?: readonly string[]): Promise<CompiledEspeak> {
  const key = voices === undefined ? '*' : [...new Set(voices)].sort().join(' ');
  let module = compiled.get(key);
  if (module === undefined) {
    module = (async () => {
      const entry = createRequire(import.meta.url).resolve('espeak-ng');
      const bytes = await readFile(join(dirname(entry), 'espeak-ng.wasm'));
      const keep = voices === undefined ? undefined : filesForVoices(voices, embeddedFiles(bytes));
      const trimmed = keep === undefined ? bytes : withEmbeddedFiles(bytes, keep);
      const module = await wasm.compile(trimmed);
      return { module, layout: await findLayout(module, trimmed, embeddedFileRanges(bytes)) };
    })();
    compiled.set(key, module);
    module.catch(() => compiled.delete(key)); // let a later call try again
  }
  return module;
}

/**
 * Where the module's instances can write: found in one instance (~120 ms to start), then thrown away.
 * Undefined, so that every reset reads every page, when it cannot be found: a build without malloc()
 * and free() exported, or one whose probe fails in any way (a memory that grew, say).
 */
async function findLayout(module: object, bytes: Uint8Array, files: EspeakLayout['files']): Promise<EspeakLayout | undefined> {
  try {
    const { exports } = await instantiate(module);
    if (typeof exports.malloc !== 'function' || typeof exports.free !== 'function') return undefined;
    const found = findProgramBreak(
      { memory: new Uint8Array(exports.memory.buffer), malloc: (n) => exports.malloc(n), free: (p) => exports.free(p) },
      segmentsWithout(dataSegments(bytes), files).map(({ offset, bytes }) => ({ start: offset, end: offset + bytes.length })),
    );
    return found && { files, ...found };
  } catch {
    return undefined;
  }
}

interface Instance {
  exports: EspeakExports;
  fs: EspeakFileSystem;
  /** What eSpeak writes to stderr (its error messages), as it writes it. */
  stderr: string[];
}

/** A new instance of `module`, its runtime started (main() not run). */
async function instantiate(module: object): Promise<Instance> {
  const stderr: string[] = [];
  let exports: EspeakExports | undefined;
  let instantiationFailed: (error: unknown) => void = () => undefined;
  const failure = new Promise<never>((_, reject) => (instantiationFailed = reject));
  const emscripten: EspeakModule = {
    noInitialRun: true,
    print: () => undefined,
    printErr: (line) => {
      if (!RUNTIME_NOTE.test(line)) stderr.push(line);
    },
    quit: (status) => {
      throw new Exit(status);
    },
    instantiateWasm: (imports, receiveInstance) => {
      wasm
        .instantiate(module, imports)
        .then((instance) => {
          exports = instance.exports as EspeakExports;
          // The runtime starts here, synchronously: it files every embedded file, trying mkdir on each
          // folder of its path and catching EEXIST, and each of those errors captures a stack trace.
          const limit = Error.stackTraceLimit;
          Error.stackTraceLimit = 0;
          try {
            receiveInstance(instance, module);
          } finally {
            Error.stackTraceLimit = limit;
          }
        })
        .catch(instantiationFailed); // the ready promise would never settle
      return {};
    },
  };
  await withoutGlobalGetters(() => Promise.race([ESpeakNG(emscripten), failure]));
  const fs = emscripten.FS;
  if (exports === undefined || fs === undefined) throw new Error('the eSpeak NG runtime did not start');
  return { exports, fs, stderr };
}

/**
 * Runs `start` and takes away the getters it defined on globalThis. The runtime (an Emscripten build
 * with assertions) defines one per symbol it left out, to warn whoever reads it; their closures hold
 * the instance's whole scope, its 32 MB linear memory included, for as long as the thread lives. An
 * instance thrown away (the layout probe's, one replaced after a failure) was never collected.
 */
async function withoutGlobalGetters<T>(start: () => Promise<T>): Promise<T> {
  const global = globalThis as Record<string, unknown>;
  const before = new Map(Object.getOwnPropertyNames(global).map((name) => [name, Object.getOwnPropertyDescriptor(global, name)]));
  try {
    return await start();
  } finally {
    for (const name of Object.getOwnPropertyNames(global)) {
      const now = Object.getOwnPropertyDescriptor(global, name);
      const was = before.get(name);
      if (now?.get === undefined || !now.configurable || now.get === was?.get) continue;
      if (was === undefined) delete global[name];
      else Object.defineProperty(global, name, was);
    }
  }
}

const memories = new WeakMap<EspeakProgram, () => Uint8Array>();

/** The linear memory of a program's instance, as it is now (for tests). */
export function memoryOf(program: EspeakProgram): Uint8Array {
  const memory = memories.get(program);
  if (!memory) throw new Error('not a program loadEspeak made');
  return memory();
}

/** A new, initialised instance, ready to run main(). */
export async function loadEspeak({ module, layout }: CompiledEspeak): Promise<EspeakProgram> {
  const { exports: program, fs, stderr } = await instantiate(module);
  const memory = () => new Uint8Array(program.memory.buffer);
  const { snapshot: pristine, breakIn } = snapshotOf(memory(), layout);
  const stackTop = program.stackSave();
  // Where the last run left the break (nothing above it was written since the snapshot).
  let writtenBelow = breakIn(memory());

  const loaded: EspeakProgram = {
    run(args, input) {
      pristine.restore(memory(), writtenBelow);
      program.stackRestore(stackTop);
      stderr.length = 0;
      fs.writeFile(INPUT_PATH, input);
      let status: number;
      try {
        const argv = ['espeak-ng', ...args];
        status = program.__main_argc_argv(argv.length, pushArgv(program, argv));
      } catch (error) {
        if (!(error instanceof Exit)) throw error;
        status = error.status;
      } finally {
        writtenBelow = breakIn(memory());
        closeFiles(fs);
        fs.unlink(INPUT_PATH);
      }
      return { status, stderr: [...stderr], output: take(fs, OUTPUT_PATH) };
    },
  };
  memories.set(loaded, memory);
  return loaded;
}

/** Writes argv (NUL-terminated UTF-8 strings and a NULL-terminated pointer array) on the WASM stack. */
function pushArgv(program: EspeakExports, argv: readonly string[]): number {
  const pointers = argv.map((arg) => {
    const bytes = Buffer.from(`${arg}\0`, 'utf8');
    const pointer = program.stackAlloc(bytes.length);
    new Uint8Array(program.memory.buffer).set(bytes, pointer);
    return pointer;
  });
  const array = program.stackAlloc((pointers.length + 1) * 4);
  const view = new DataView(program.memory.buffer);
  pointers.forEach((pointer, index) => view.setUint32(array + index * 4, pointer, true));
  view.setUint32(array + pointers.length * 4, 0, true);
  return array;
}

/** exit() skips fclose(): drop what main() left open, except stdin, stdout and stderr. */
function closeFiles(fs: EspeakFileSystem): void {
  for (const stream of fs.streams) if (stream && stream.fd > 2) fs.close(stream);
}

/**
 * Takes a file out of the virtual file system: its bytes as they are held there (not a copy: a
 * WAV of a long message is tens of MB) and the file deleted; undefined when main() did not write it.
 */
function take(fs: EspeakFileSystem, path: string): Uint8Array | undefined {
  let node: { contents: Uint8Array | null; usedBytes: number };
  try {
    node = fs.lookupPath(path).node;
  } catch {
    return undefined;
  }
  const bytes = node.contents?.subarray(0, node.usedBytes) ?? new Uint8Array(0);
  fs.unlink(path);
  return bytes;
}
