import { setTimeout as sleep } from 'node:timers/promises';

/** At most `limit` sends in any `windowMs` (a sliding window). */
export interface SendWindow {
  limit: number;
  windowMs: number;
}

/**
 * Microsoft Teams' documented limits for one bot in one conversation (thread): 7 per second,
 * 8 per 2 seconds, 60 per 30 seconds, 1,800 per hour. Teams answers 429 past them.
 */
export const TEAMS_CONVERSATION_WINDOWS: readonly SendWindow[] = [
  { limit: 7, windowMs: 1_000 },
  { limit: 8, windowMs: 2_000 },
  { limit: 60, windowMs: 30_000 },
  { limit: 1_800, windowMs: 3_600_000 },
];

export interface ConversationSendLimiterOptions {
  windows?: readonly SendWindow[];
  /** Milliseconds on any monotonic scale (default performance.now); tests pass a fake clock. */
  now?: () => number;
  wait?: (ms: number) => Promise<void>;
}

interface Lane {
  /** Start times of past sends, oldest first, kept for the longest window. */
  sent: number[];
  /** The send in progress (or the last one): the next one starts after it settles. */
  tail: Promise<void>;
  queued: number;
}

/**
 * A per-conversation send limiter shared by every sender in the process: the bot's in-turn replies
 * ("received", welcome) and the proactive audio replies. Sends to one conversation go one at a time,
 * in call order, each started only when it keeps every window; a send's slot counts from when it
 * starts. One at a time is what Teams asks for within a conversation, keeps replies in order, and
 * makes the slot times exact: nothing else to this conversation can start while one is in flight.
 * Other conversations never wait on each other.
 */
export class ConversationSendLimiter {
  private readonly windows: readonly SendWindow[];
  private readonly now: () => number;
  private readonly wait: (ms: number) => Promise<void>;
  private readonly longestMs: number;
  private readonly lanes = new Map<string, Lane>();
  private lastSweep = Number.NEGATIVE_INFINITY;

  constructor(options: ConversationSendLimiterOptions = {}) {
    this.windows = options.windows ?? TEAMS_CONVERSATION_WINDOWS;
    this.now = options.now ?? (() => performance.now());
    this.wait = options.wait ?? ((ms) => sleep(ms).then(() => undefined));
    this.longestMs = Math.max(0, ...this.windows.map((w) => w.windowMs));
  }

  /** Runs `send` when the conversation's windows allow it; resolves or rejects as `send` does. */
  async run<T>(conversationKey: string, send: () => Promise<T>): Promise<T> {
    this.sweep();
    const lane = this.lane(conversationKey);
    const previous = lane.tail;
    let done!: () => void;
    lane.tail = new Promise<void>((resolve) => (done = resolve));
    lane.queued += 1;
    try {
      await previous;
      for (let delay = this.delayMs(lane); delay > 0; delay = this.delayMs(lane)) await this.wait(delay);
      lane.sent.push(this.now());
      return await send();
    } finally {
      lane.queued -= 1;
      done();
      this.forgetIdle(conversationKey, lane);
    }
  }

  /** How long the next send to this conversation would wait now (0 = at once); for tests and logs. */
  pendingDelayMs(conversationKey: string): number {
    const lane = this.lanes.get(conversationKey);
    return lane ? this.delayMs(lane) : 0;
  }

  /** Milliseconds until a send keeps every window. */
  private delayMs(lane: Lane): number {
    const now = this.now();
    while (lane.sent.length > 0 && (lane.sent[0] ?? now) <= now - this.longestMs) lane.sent.shift();
    let delay = 0;
    for (const { limit, windowMs } of this.windows) {
      // Sends that still count in this window: those later than now - windowMs.
      const inWindow = lane.sent.filter((t) => t > now - windowMs);
      if (inWindow.length < limit) continue;
      // The oldest send that must leave the window before one more fits.
      const leaving = inWindow[inWindow.length - limit] ?? now;
      delay = Math.max(delay, leaving + windowMs - now);
    }
    return delay;
  }

  private lane(key: string): Lane {
    let lane = this.lanes.get(key);
    if (!lane) {
      lane = { sent: [], tail: Promise.resolve(), queued: 0 };
      this.lanes.set(key, lane);
    }
    return lane;
  }

  /** Now and then, drops every idle conversation (one that is never sent to again would stay otherwise). */
  private sweep(): void {
    const now = this.now();
    if (now - this.lastSweep < 60_000) return;
    this.lastSweep = now;
    for (const [key, lane] of this.lanes) this.forgetIdle(key, lane);
  }

  /** A conversation with nothing queued and no send inside the longest window needs no memory. */
  private forgetIdle(key: string, lane: Lane): void {
    if (lane.queued > 0) return;
    const last = lane.sent[lane.sent.length - 1];
    if (last === undefined || last <= this.now() - this.longestMs) this.lanes.delete(key);
  }
}
