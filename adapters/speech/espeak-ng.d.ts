/**
 * Types for the parts of the `espeak-ng` package (an Emscripten MODULARIZE build, no typings
 * shipped) that talkback uses. The factory instantiates the WASM and runs `main(arguments)` once.
 * WebAssembly objects are typed `object`: the project's lib has no DOM/WebAssembly declarations.
 */
declare module 'espeak-ng' {
  export interface EspeakFileSystem {
    writeFile(path: string, data: string | Uint8Array): void;
    readFile(path: string): Uint8Array;
  }

  export interface EspeakModule {
    /** argv after the program name; main() runs with them as soon as the module is ready. */
    arguments?: string[];
    print?: (line: string) => void;
    printErr?: (line: string) => void;
    /** Called with the exit status; must throw `toThrow` to stop execution (the default sets process.exitCode). */
    quit?: (status: number, toThrow: unknown) => never;
    /** Runs before main(), when the virtual file system is ready. */
    preRun?: Array<(module: EspeakModule) => void>;
    /** Supplies the instance (e.g. from a WebAssembly.Module compiled once); returns {} when async. */
    instantiateWasm?: (imports: object, receiveInstance: (instance: object, module: object) => void) => object;
    /** Set by the runtime once it is initialised. */
    FS?: EspeakFileSystem;
  }

  const ESpeakNG: (module?: EspeakModule) => Promise<EspeakModule>;
  export default ESpeakNG;
}
