/**
 * What the console shows of refused chat requests (empty, too long, flood-limited, unauthenticated).
 * The intake records them (issue 9); the console only reads. Never holds a token or a message's text.
 */
export interface RefusedRequest {
  /** ISO time. */
  at: string;
  channel?: string;
  conversation?: string;
  reason: string;
}

export interface RefusedRequests {
  /** Refusals per reason (since the host started, or all time when the record is durable). */
  counts(): Promise<Record<string, number>>;
  /** The latest refusals, newest first. */
  latest(max: number): Promise<RefusedRequest[]>;
}
