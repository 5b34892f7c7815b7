/**
 * Facebook Messenger's standard messaging window: a page may message a person only within 24 hours
 * of that person's last message. Message tags that once allowed more (CONFIRMED_EVENT_UPDATE,
 * POST_PURCHASE_UPDATE, ACCOUNT_UPDATE) were retired in 2026 and now fail; HUMAN_AGENT (7 days) is
 * for replies written by a person, never for an automated one like ours.
 */
export const FACEBOOK_WINDOW_MS = 24 * 60 * 60 * 1000;

/**
 * A reply must arrive inside the window, not just leave inside it: one that would be sent this close
 * to the end is treated as outside (the send itself, and Facebook's clock, take time).
 */
export const WINDOW_SAFETY_MARGIN_MS = 60 * 1000;

export const RETIRED_MESSAGE_TAGS = ['CONFIRMED_EVENT_UPDATE', 'POST_PURCHASE_UPDATE', 'ACCOUNT_UPDATE'] as const;

/** Channels whose replies must stay in a window after the customer's last message. */
export function hasMessagingWindow(channelId: string): boolean {
  return channelId === 'facebook';
}

/** When the window opened by the customer's last message closes for a reply sent now. */
export function messagingWindowClosesAt(lastCustomerMessageAt: Date): Date {
  return new Date(lastCustomerMessageAt.getTime() + FACEBOOK_WINDOW_MS - WINDOW_SAFETY_MARGIN_MS);
}

export function isOutsideMessagingWindow(lastCustomerMessageAt: Date, now: Date): boolean {
  return now.getTime() >= messagingWindowClosesAt(lastCustomerMessageAt).getTime();
}

/** The message tag an outgoing Messenger activity carries in its channelData (tag / messaging_type), if any. */
export function retiredTagOf(channelData: unknown): string | undefined {
  if (typeof channelData !== 'object' || channelData === null) return undefined;
  const tag = (channelData as { tag?: unknown }).tag;
  return typeof tag === 'string' && (RETIRED_MESSAGE_TAGS as readonly string[]).includes(tag.toUpperCase()) ? tag : undefined;
}

/** The latest of the times given (ISO strings or Dates); undefined when none is a valid time. */
export function latestTime(...times: (string | Date | undefined)[]): Date | undefined {
  const ms = times
    .map((t) => (t === undefined ? Number.NaN : typeof t === 'string' ? Date.parse(t) : t.getTime()))
    .filter((t) => !Number.isNaN(t));
  return ms.length === 0 ? undefined : new Date(Math.max(...ms));
}
