/**
 * A pause on synthesis already under way, shared by the thread that sets it (the local host's pipeline
 * worker, while the chat endpoint is busy) and the pool's threads, which wait at their next pause point:
 * before eSpeak starts, and between the MP3 encoder's chunks (~20–30 ms of work each; encoding is most
 * of a message's synthesis). Without it a flood only stopped new syntheses, and those already taken ran
 * on beside the acknowledgements for their last few hundred ms.
 *
 * A render waits `budgetMs` at most in all, then finishes paused or not: its caller's call timeout
 * (OUTBOUND_TIMEOUT_MS) counts the wait, and a render that timed out would be tried again from the start.
 */
export class SynthesisPause {
  /** 1 while paused. Shared memory: the pool's threads read it without a message from this thread. */
  readonly flag = new Int32Array(new SharedArrayBuffer(Int32Array.BYTES_PER_ELEMENT));

  constructor(readonly budgetMs: number) {
    if (!(Number.isInteger(budgetMs) && budgetMs >= 0)) throw new RangeError(`budgetMs must be a whole number of ms, 0 or more; got ${budgetMs}`);
  }

  set(paused: boolean): void {
    Atomics.store(this.flag, 0, paused ? 1 : 0);
    if (!paused) Atomics.notify(this.flag, 0);
  }

  get paused(): boolean {
    return Atomics.load(this.flag, 0) === 1;
  }

  /** What a pool thread needs of it (a class does not cross to a thread; the shared memory does). */
  get shared(): SharedPause {
    return { flag: this.flag, budgetMs: this.budgetMs };
  }
}

export interface SharedPause {
  flag: Int32Array;
  budgetMs: number;
}

/**
 * In a pool thread, for one render: a pause point that blocks this thread while the pause is set,
 * until the render has waited `budgetMs` in all. Without a pause: a point that never waits.
 */
export function pausePoints(pause: SharedPause | undefined): () => void {
  if (!pause) return () => undefined;
  let left = pause.budgetMs;
  return () => {
    while (left > 0 && Atomics.load(pause.flag, 0) === 1) {
      const started = performance.now();
      Atomics.wait(pause.flag, 0, 1, left);
      left -= performance.now() - started;
    }
  };
}
