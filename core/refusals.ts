/**
 * Requests the host refused (415, 400, 401, 413, 429, 503, a foreign Host header...): counted, and
 * the latest kept for the staff console. A refusal names its channel and conversation when the
 * request got far enough to tell them, and its reason; never a token or a message text.
 */
export interface Refusal {
  at: string;
  status: number;
  reason: string;
  route: string;
  channelId?: string | undefined;
  conversationId?: string | undefined;
}

/** What the staff console (issue 10) reads. */
export interface RefusalLog {
  record(refusal: Omit<Refusal, 'at'> & { at?: string }): void;
  /** Refusals since start, in total and by status. */
  counts(): { total: number; byStatus: Record<string, number> };
  /** The latest refusals, newest first. */
  latest(max?: number): Refusal[];
}

export class MemoryRefusalLog implements RefusalLog {
  private readonly ring: Refusal[] = [];
  private total = 0;
  private readonly byStatus: Record<string, number> = {};

  constructor(
    private readonly capacity = 200,
    private readonly now: () => Date = () => new Date(),
  ) {}

  record(refusal: Omit<Refusal, 'at'> & { at?: string }): void {
    this.total += 1;
    this.byStatus[String(refusal.status)] = (this.byStatus[String(refusal.status)] ?? 0) + 1;
    this.ring.push({ ...refusal, at: refusal.at ?? this.now().toISOString() });
    if (this.ring.length > this.capacity) this.ring.shift();
  }

  counts() {
    return { total: this.total, byStatus: { ...this.byStatus } };
  }

  latest(max = this.capacity): Refusal[] {
    return this.ring.slice(-Math.max(0, max)).reverse();
  }
}
