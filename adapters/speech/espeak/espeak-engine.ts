import { compileEspeak, INPUT_PATH, loadEspeak, OUTPUT_PATH, type CompiledEspeak, type EspeakProgram, type EspeakRun } from './espeak-wasm.js';

export type { EspeakRun };

/**
 * One eSpeak NG instance behind a queue: runs share its memory, so they go one at a time (the
 * work is CPU-bound anyway). The instance (of the module `compiled` gives) is loaded on the first
 * run and replaced after a run that trapped (abort, out of memory), which leaves it unusable.
 */
export class EspeakEngine {
  private program: Promise<EspeakProgram> | undefined;
  private queue: Promise<unknown> = Promise.resolve();

  constructor(private readonly compiled: () => Promise<CompiledEspeak> = () => compileEspeak()) {}

  /**
   * Runs `espeak-ng <options> -w OUT -f IN` with `text` as the content of IN: the text never
   * reaches argv, so it cannot be taken for an option. `options` must come from trusted settings.
   */
  run(options: readonly string[], text: string): Promise<EspeakRun> {
    const run = this.queue.then(() => this.runNow(options, text));
    this.queue = run.catch(() => undefined);
    return run;
  }

  /** Waits for queued runs, then lets go of the instance (a later run loads a new one). */
  async close(): Promise<void> {
    await this.queue;
    this.program = undefined;
  }

  private async runNow(options: readonly string[], text: string): Promise<EspeakRun> {
    const loading = (this.program ??= this.compiled().then(loadEspeak));
    try {
      const program = await loading;
      return program.run([...options, '-w', OUTPUT_PATH, '-f', INPUT_PATH], text);
    } catch (error) {
      if (this.program === loading) this.program = undefined;
      throw error;
    }
  }
}
