import { TalkbackError } from '../../core/errors.js';

export interface SynthesisPauseOptions {
  /**
   * How long after its call began a synthesis may still be held, in ms: the call's timeout
   * (OUTBOUND_TIMEOUT_MS) counts the wait, and a call that timed out is synthesized again from the start.
   */
  budgetMs: number;
}

/**
 * A pause on synthesis already under way, shared by the thread that sets it (the local host's pipeline
 * worker, while the chat endpoint is busy) and the embedded synthesizer's threads (eSpeak NG), which
 * wait at their next pause point: before eSpeak starts, and between the MP3 encoder's chunks (~20–30 ms
 * of work each; encoding is most of a message's synthesis). Without it a flood only stopped new
 * syntheses, and those already taken ran on beside the acknowledgements for their last few hundred ms.
 * Azure Speech synthesizes in Azure: nothing of it runs here to pause.
 */
export class SynthesisPause {
  /** 1 while paused. Shared memory: the synthesis threads read it without a message from this thread. */
  readonly flag = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));
  readonly budgetMs: number;

  constructor(options: SynthesisPauseOptions) {
    if (!(Number.isInteger(options.budgetMs) && options.budgetMs >= 0)) {
      throw new TalkbackError('ConfigInvalid', `a synthesis pause's budget must be a whole number of ms, 0 or more; got ${options.budgetMs}`);
    }
    this.budgetMs = options.budgetMs;
  }

  set(paused: boolean): void {
    Atomics.store(this.flag, 0, paused ? 1 : 0);
    if (!paused) Atomics.notify(this.flag, 0);
  }

  get paused(): boolean {
    return Atomics.load(this.flag, 0) === 1;
  }

  /** What a synthesis thread needs of it (a class does not cross to a thread; the shared memory does). */
  get shared(): SharedPause {
    return { flag: this.flag };
  }

  /** When a synthesis called now stops waiting for the pause (epoch ms, the same clock in every thread). */
  deadlineFromNow(): number {
    return Date.now() + this.budgetMs;
  }
}

export interface SharedPause {
  flag: Int32Array;
}

/**
 * In a synthesis thread, for one synthesis: a pause point that blocks this thread while the pause is
 * set, until `deadline` (epoch ms; SynthesisPause.deadlineFromNow when the call began). Without a pause
 * or a deadline: a point that never waits.
 */
export function pausePointFor(pause: SharedPause | undefined, deadline: number | undefined): () => void {
  if (!pause || deadline === undefined) return () => undefined;
  return () => {
    for (let left = deadline - Date.now(); left > 0 && Atomics.load(pause.flag, 0) === 1; left = deadline - Date.now()) {
      Atomics.wait(pause.flag, 0, 1, left);
    }
  };
}
