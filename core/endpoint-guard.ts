/**
 * Outbound calls per endpoint (a channel's serviceUrl host): at most `maxConcurrent` at once (a call
 * past it waits for a slot, at most `maxWaitMs`), and an endpoint that let a call time out is treated
 * as down for `cooldownMs`, during which its calls — waiting ones included — are refused at once (a
 * retryable failure with Retry-After) instead of each holding a worker slot for a whole timeout. After the cool-down one probe call goes through; it succeeding reopens the
 * endpoint, another timeout doubles the cool-down (up to `maxCooldownMs`). So one dead channel costs
 * one slot per cool-down, never every slot, and other customers' replies keep flowing.
 */
export interface EndpointGuardOptions {
  maxConcurrent: number;
  cooldownMs: number;
  maxCooldownMs?: number;
  now?: () => number;
}

export type EndpointOutcome = 'ok' | 'timeout' | 'failed';

export type EndpointAdmission =
  | { admitted: true; done: (outcome: EndpointOutcome) => void }
  | { admitted: false; reason: 'busy' | 'unresponsive'; retryAfterMs: number };

interface EndpointState {
  inFlight: number;
  /** Calls waiting for a slot, oldest first: each is woken with whether to try again. */
  waiting: (() => void)[];
  /** While set and in the future: the endpoint is considered down. */
  downUntil: number;
  cooldownMs: number;
  probing: boolean;
}

export class EndpointGuard {
  private readonly endpoints = new Map<string, EndpointState>();
  private readonly now: () => number;

  constructor(private readonly options: EndpointGuardOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Waits up to `maxWaitMs` for a slot of a busy (but not down) endpoint. */
  async enter(endpoint: string, maxWaitMs = 0): Promise<EndpointAdmission> {
    const deadline = this.now() + maxWaitMs;
    for (;;) {
      const admission = this.tryEnter(endpoint);
      const waitMs = deadline - this.now();
      if (admission.admitted || admission.reason !== 'busy' || waitMs <= 0) return admission;
      const state = this.state(endpoint);
      await new Promise<void>((resolve) => {
        const wake = () => {
          clearTimeout(timer);
          resolve();
        };
        const timer = setTimeout(() => {
          state.waiting.splice(state.waiting.indexOf(wake), 1);
          resolve();
        }, waitMs);
        state.waiting.push(wake);
      });
    }
  }

  tryEnter(endpoint: string): EndpointAdmission {
    const state = this.state(endpoint);
    const now = this.now();
    if (state.downUntil > now) return { admitted: false, reason: 'unresponsive', retryAfterMs: state.downUntil - now };
    const recovering = state.downUntil > 0;
    if (recovering && state.probing) return { admitted: false, reason: 'unresponsive', retryAfterMs: state.cooldownMs };
    if (state.inFlight >= this.options.maxConcurrent) return { admitted: false, reason: 'busy', retryAfterMs: 1_000 };
    state.inFlight += 1;
    if (recovering) state.probing = true;
    let finished = false;
    return {
      admitted: true,
      done: (outcome) => {
        if (finished) return;
        finished = true;
        state.inFlight -= 1;
        if (recovering) state.probing = false;
        if (outcome === 'timeout') {
          state.cooldownMs = recovering ? Math.min(state.cooldownMs * 2, this.options.maxCooldownMs ?? 300_000) : this.options.cooldownMs;
          state.downUntil = this.now() + state.cooldownMs;
        } else if (outcome === 'ok') {
          state.downUntil = 0;
          state.cooldownMs = this.options.cooldownMs;
        }
        // One waiter tries again for the freed slot; if the endpoint just went down, every waiter does (and is refused).
        const woken = state.downUntil > 0 ? state.waiting.splice(0) : state.waiting.splice(0, 1);
        for (const wake of woken) wake();
        if (state.inFlight === 0 && state.downUntil === 0 && state.waiting.length === 0) this.endpoints.delete(endpoint);
      },
    };
  }

  /** Endpoints currently considered down (for health and the dashboard). */
  down(): string[] {
    const now = this.now();
    return [...this.endpoints].filter(([, s]) => s.downUntil > now).map(([e]) => e);
  }

  private state(endpoint: string): EndpointState {
    let state = this.endpoints.get(endpoint);
    if (!state) {
      state = { inFlight: 0, waiting: [], downUntil: 0, cooldownMs: this.options.cooldownMs, probing: false };
      this.endpoints.set(endpoint, state);
    }
    return state;
  }
}
