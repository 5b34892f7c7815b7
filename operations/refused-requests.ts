/**
 * What the console shows of refused chat requests (empty, too long, flood-limited, unauthenticated,
 * foreign Host...). The host's intake records them (issue 9's RefusalLog has this shape, so it can be
 * passed as is); the console only reads. Never holds a token or a message's text.
 */
export interface RefusedRequest {
  /** ISO time. */
  at: string;
  status: number;
  reason: string;
  route: string;
  channelId?: string | undefined;
  conversationId?: string | undefined;
}

export interface RefusedRequests {
  /** Refusals since the host started: in total and by HTTP status. */
  counts(): { total: number; byStatus: Record<string, number> } | Promise<{ total: number; byStatus: Record<string, number> }>;
  /** The latest refusals, newest first. */
  latest(max?: number): RefusedRequest[] | Promise<RefusedRequest[]>;
}
