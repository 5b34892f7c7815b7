/**
 * eSpeak NG (WASM) run as its command-line program. The Emscripten build runs main() once per
 * instance and main() leaves C globals behind (getopt's optind, the wave-file state), so every run
 * gets a fresh instance of a WebAssembly.Module that is compiled once per process. Runs are
 * serialized: each instance holds 32 MB of linear memory and the work is CPU-bound anyway.
 */
import ESpeakNG, { type EspeakModule } from 'espeak-ng';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export interface EspeakRun {
  /** main()'s exit status. */
  status: number;
  /** What eSpeak wrote to stderr (its error messages). */
  stderr: string[];
  /** The RIFF WAV file eSpeak wrote, when it wrote one. */
  wav: Uint8Array | undefined;
}

// The project's lib has no WebAssembly declarations; this is the little that is used.
interface WasmApi {
  compile(bytes: Uint8Array): Promise<object>;
  instantiate(module: object, imports: object): Promise<object>;
}
const wasm = (globalThis as unknown as { WebAssembly: WasmApi }).WebAssembly;

const INPUT = '/talkback-input.txt';
const OUTPUT = '/talkback-output.wav';
/** The runtime's own note when C code calls exit(); not an eSpeak message. */
const RUNTIME_NOTE = /^program exited \(with status: \d+\)/;

let compiled: Promise<object> | undefined;
let queue: Promise<unknown> = Promise.resolve();

function compiledModule(): Promise<object> {
  compiled ??= (async () => {
    const entry = createRequire(import.meta.url).resolve('espeak-ng');
    return wasm.compile(await readFile(join(dirname(entry), 'espeak-ng.wasm')));
  })().catch((error: unknown) => {
    compiled = undefined; // let a later call try again
    throw error;
  });
  return compiled;
}

/**
 * Runs `espeak-ng <options> -w OUT -f IN` with `text` as the content of IN: the text never
 * reaches argv, so it cannot be taken for an option. `options` must come from trusted settings.
 */
export function runEspeak(options: readonly string[], text: string): Promise<EspeakRun> {
  const run = queue.then(() => runOnce(options, text));
  queue = run.catch(() => undefined);
  return run;
}

async function runOnce(options: readonly string[], text: string): Promise<EspeakRun> {
  const module = await compiledModule();
  return new Promise<EspeakRun>((resolve, reject) => {
    const stderr: string[] = [];
    let status = -1;
    const emscripten: EspeakModule = {
      arguments: [...options, '-w', OUTPUT, '-f', INPUT],
      print: () => undefined,
      printErr: (line) => {
        if (!RUNTIME_NOTE.test(line)) stderr.push(line);
      },
      // The default sets process.exitCode: an eSpeak error would change how our process exits.
      quit: (code, toThrow) => {
        status = code;
        throw toThrow;
      },
      preRun: [(self) => self.FS?.writeFile(INPUT, text)],
      instantiateWasm: (imports, receiveInstance) => {
        wasm
          .instantiate(module, imports)
          .then((instance) => {
            receiveInstance(instance, module); // runs main() to completion, synchronously
            resolve({ status, stderr, wav: readOutput(emscripten) });
          })
          .catch(reject);
        return {};
      },
    };
    // Its promise settles before main() runs; the outcome is reported by instantiateWasm above.
    ESpeakNG(emscripten).catch(() => undefined);
  });
}

function readOutput(emscripten: EspeakModule): Uint8Array | undefined {
  try {
    return emscripten.FS?.readFile(OUTPUT);
  } catch {
    return undefined; // eSpeak stopped before opening the file
  }
}
