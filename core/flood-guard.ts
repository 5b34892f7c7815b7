/**
 * A token bucket per conversation: `burst` messages at once, refilled at `perMinute`. An activity
 * over the limit is refused (HTTP 429 with Retry-After, nothing published); the first refusal in
 * each window of `windowMs` is marked `notify`, so the customer gets one polite reply per window
 * and a flood never becomes a flood of replies. Buckets idle long enough to be full again are
 * forgotten, so memory stays bounded by the conversations active within a refill period.
 */
export interface FloodGuardOptions {
  burst: number;
  perMinute: number;
  /** At most one "please slow down" reply per conversation per window. */
  notifyWindowMs: number;
  /** Most conversations tracked at once; the least recently seen are forgotten first. */
  maxConversations?: number;
}

export type FloodDecision =
  | { allowed: true }
  | { allowed: false; retryAfterMs: number; notify: boolean; refusedInWindow: number };

interface Bucket {
  tokens: number;
  at: number;
  notifiedAt: number;
  refused: number;
}

export class FloodGuard {
  private readonly buckets = new Map<string, Bucket>();
  private readonly msPerToken: number;
  private readonly maxConversations: number;

  constructor(private readonly options: FloodGuardOptions) {
    this.msPerToken = 60_000 / Math.max(1e-9, options.perMinute);
    this.maxConversations = options.maxConversations ?? 100_000;
  }

  take(conversation: string, now: number = Date.now()): FloodDecision {
    const bucket = this.refilled(conversation, now);
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return { allowed: true };
    }
    const retryAfterMs = Math.max(1, Math.ceil((1 - bucket.tokens) * this.msPerToken));
    const notify = now - bucket.notifiedAt >= this.options.notifyWindowMs;
    if (notify) {
      bucket.notifiedAt = now;
      bucket.refused = 0;
    }
    bucket.refused += 1;
    return { allowed: false, retryAfterMs, notify, refusedInWindow: bucket.refused };
  }

  get size(): number {
    return this.buckets.size;
  }

  private refilled(conversation: string, now: number): Bucket {
    let bucket = this.buckets.get(conversation);
    if (bucket) {
      this.buckets.delete(conversation);
      bucket.tokens = Math.min(this.options.burst, bucket.tokens + Math.max(0, now - bucket.at) / this.msPerToken);
      bucket.at = now;
    } else {
      bucket = { tokens: this.options.burst, at: now, notifiedAt: Number.NEGATIVE_INFINITY, refused: 0 };
      if (this.buckets.size >= this.maxConversations) this.forget(now);
    }
    // Re-inserted: the Map's order is least recently seen first.
    this.buckets.set(conversation, bucket);
    return bucket;
  }

  /** Drops full buckets (nothing to remember), then the least recently seen if still too many. */
  private forget(now: number): void {
    const fullAfterMs = this.options.burst * this.msPerToken;
    for (const [key, b] of this.buckets) {
      if (now - b.at >= Math.max(fullAfterMs, this.options.notifyWindowMs)) this.buckets.delete(key);
    }
    while (this.buckets.size >= this.maxConversations) {
      const oldest = this.buckets.keys().next();
      if (oldest.done) break;
      this.buckets.delete(oldest.value);
    }
  }
}
