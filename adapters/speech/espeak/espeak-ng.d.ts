/**
 * Types for the parts of the `espeak-ng` package (an Emscripten MODULARIZE build of the eSpeak NG
 * command line, no typings shipped) that talkback uses. WebAssembly objects are typed `object`:
 * the project's lib has no DOM/WebAssembly declarations.
 */
declare module 'espeak-ng' {
  export interface EspeakStream {
    fd: number;
  }

  /** Emscripten's in-memory file system, shared by main() and JavaScript. */
  export interface EspeakFileSystem {
    writeFile(path: string, data: string | Uint8Array): void;
    readFile(path: string): Uint8Array;
    /** A path's node; a file's bytes are `contents` up to `usedBytes` (MEMFS). Throws when absent. */
    lookupPath(path: string): { node: { contents: Uint8Array | null; usedBytes: number } };
    unlink(path: string): void;
    close(stream: EspeakStream): void;
    streams: ReadonlyArray<EspeakStream | null | undefined>;
  }

  export interface EspeakModule {
    /** argv after the program name, for the main() run at start-up. */
    arguments?: string[];
    /** Do not run main() at start-up. */
    noInitialRun?: boolean;
    print?: (line: string) => void;
    printErr?: (line: string) => void;
    /** Called by exit(); must throw to unwind the WASM stack (the default also sets process.exitCode). */
    quit?: (status: number, toThrow: unknown) => never;
    /** Supplies the instance (e.g. of a WebAssembly.Module compiled once); returns {} when async. */
    instantiateWasm?: (imports: object, receiveInstance: (instance: object, module: object) => void) => object;
    /** Set by the runtime as it starts. */
    FS?: EspeakFileSystem;
  }

  const ESpeakNG: (module?: EspeakModule) => Promise<EspeakModule>;
  export default ESpeakNG;
}
