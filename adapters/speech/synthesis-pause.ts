import { TalkbackError } from '../../core/errors.js';

export interface SynthesisPauseOptions {
  /**
   * How long after its call began a synthesis may still be held, in ms: the call's timeout
   * (OUTBOUND_TIMEOUT_MS) counts the wait, and a call that timed out is synthesized again from the start.
   */
  budgetMs: number;
}

/** The shared cells: how many syntheses may run, how many hold a place to run, and a count of changes to wait on. */
const LIMIT = 0;
const RUNNING = 1;
const CHANGES = 2;
/** No limit: every synthesis runs. */
const UNLIMITED = 0x7fffffff;

/**
 * A limit on how many syntheses run at once, shared by the thread that sets it (the local host's
 * pipeline worker: 0 while the chat endpoint is saturated, the cores but one while it is busy) and the
 * embedded synthesizer's threads (eSpeak NG). A synthesis takes a place to run at its first pause point
 * and keeps it until it ends; at each later pause point a thread over the limit gives its place up and
 * waits for one. Pause points: before eSpeak starts, and between the MP3 encoder's chunks (~20–30 ms of
 * work each; encoding is most of a message's synthesis). Without it a flood only stopped new
 * syntheses, and those already taken ran on beside the acknowledgements for their last few hundred ms.
 * Azure Speech synthesizes in Azure: nothing of it runs here to pause.
 */
export class SynthesisPause {
  /** Shared memory: the synthesis threads read it without a message from this thread. */
  readonly cells = new Int32Array(new SharedArrayBuffer(3 * Int32Array.BYTES_PER_ELEMENT));
  readonly budgetMs: number;
  /** Renders called through `track` and not yet settled. */
  private inFlight = 0;

  constructor(options: SynthesisPauseOptions) {
    if (!(Number.isInteger(options.budgetMs) && options.budgetMs >= 0)) {
      throw new TalkbackError('ConfigInvalid', `a synthesis pause's budget must be a whole number of ms, 0 or more; got ${options.budgetMs}`);
    }
    this.budgetMs = options.budgetMs;
    Atomics.store(this.cells, LIMIT, UNLIMITED);
  }

  /** At most `limit` syntheses run from their next pause point on (0: all pause); undefined: no limit. */
  hold(limit: number | undefined): void {
    if (limit !== undefined && !(Number.isInteger(limit) && limit >= 0)) {
      throw new TalkbackError('ConfigInvalid', `a synthesis limit must be a whole number, 0 or more; got ${limit}`);
    }
    Atomics.store(this.cells, LIMIT, limit === undefined ? UNLIMITED : Math.min(limit, UNLIMITED));
    changed(this.cells);
  }

  /** Every synthesis pauses (true), or none (false). */
  set(paused: boolean): void {
    this.hold(paused ? 0 : undefined);
  }

  /** The limit now; undefined while there is none. */
  get limit(): number | undefined {
    const limit = Atomics.load(this.cells, LIMIT);
    return limit === UNLIMITED ? undefined : limit;
  }

  /** Whether every synthesis is paused. */
  get paused(): boolean {
    return this.limit === 0;
  }

  /** Syntheses holding a place to run now. */
  get running(): number {
    return Atomics.load(this.cells, RUNNING);
  }

  /**
   * Runs one synthesis call that a thread will make under this limit. Once none is in flight, no
   * thread can hold a place: the count is set back to 0, so that a thread that died holding one (it
   * could not give it back) does not keep another waiting.
   */
  async track<T>(call: () => Promise<T>): Promise<T> {
    this.inFlight += 1;
    try {
      return await call();
    } finally {
      this.inFlight -= 1;
      if (this.inFlight === 0 && Atomics.load(this.cells, RUNNING) !== 0) {
        Atomics.store(this.cells, RUNNING, 0);
        changed(this.cells);
      }
    }
  }

  /** What a synthesis thread needs of it (a class does not cross to a thread; the shared memory does). */
  get shared(): SharedPause {
    return { cells: this.cells };
  }

  /** When a synthesis called now stops waiting for a place (epoch ms, the same clock in every thread). */
  deadlineFromNow(): number {
    return Date.now() + this.budgetMs;
  }
}

export interface SharedPause {
  cells: Int32Array;
}

/** One synthesis's pause points (`point`), and the end of it (`release`: gives its place up). */
export interface SynthesisTurn {
  point: () => void;
  release: () => void;
}

const NO_TURN: SynthesisTurn = { point: () => undefined, release: () => undefined };

/**
 * In a synthesis thread, for one synthesis: pause points that block this thread while more syntheses
 * hold a place than the limit allows, until `deadline` (epoch ms; SynthesisPause.deadlineFromNow when
 * the call began), after which it runs on whatever the limit. Without a pause or a deadline: points
 * that never wait. Call `release` once the synthesis ends, however it ends.
 */
export function synthesisTurn(pause: SharedPause | undefined, deadline: number | undefined): SynthesisTurn {
  if (!pause || deadline === undefined) return NO_TURN;
  const { cells } = pause;
  let holding = false;
  const release = () => {
    if (!holding) return;
    holding = false;
    Atomics.sub(cells, RUNNING, 1);
    changed(cells);
  };
  const point = () => {
    if (holding && Atomics.load(cells, RUNNING) <= Atomics.load(cells, LIMIT)) return;
    // Over the limit (or not yet holding a place): give it up and take one once there is room.
    release();
    for (;;) {
      const seen = Atomics.load(cells, CHANGES);
      const running = Atomics.load(cells, RUNNING);
      const left = deadline - Date.now();
      if (running < Atomics.load(cells, LIMIT) || left <= 0) {
        if (Atomics.compareExchange(cells, RUNNING, running, running + 1) === running) {
          holding = true;
          return;
        }
        continue;
      }
      // Until the limit changes, a place is given up, or the deadline.
      Atomics.wait(cells, CHANGES, seen, left);
    }
  };
  return { point, release };
}

function changed(cells: Int32Array): void {
  Atomics.add(cells, CHANGES, 1);
  Atomics.notify(cells, CHANGES);
}
