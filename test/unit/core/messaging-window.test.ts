import { describe, expect, it } from 'vitest';
import {
  FACEBOOK_WINDOW_MS,
  hasMessagingWindow,
  isOutsideMessagingWindow,
  latestTime,
  messagingWindowClosesAt,
  retiredTagOf,
  WINDOW_SAFETY_MARGIN_MS,
} from '../../../core/messaging-window.js';

const last = new Date('2026-12-01T10:00:00.000Z');
const after = (ms: number) => new Date(last.getTime() + ms);

describe('the Messenger 24-hour standard window', () => {
  it('applies to Facebook only', () => {
    expect(hasMessagingWindow('facebook')).toBe(true);
    for (const channel of ['msteams', 'webchat', 'emulator', 'directline']) expect(hasMessagingWindow(channel)).toBe(false);
  });

  it('is open within 24 hours of the last message, less the safety margin, and closed after', () => {
    expect(isOutsideMessagingWindow(last, after(0))).toBe(false);
    expect(isOutsideMessagingWindow(last, after(23 * 3_600_000))).toBe(false);
    expect(isOutsideMessagingWindow(last, after(FACEBOOK_WINDOW_MS - WINDOW_SAFETY_MARGIN_MS - 1))).toBe(false);
    expect(isOutsideMessagingWindow(last, after(FACEBOOK_WINDOW_MS - WINDOW_SAFETY_MARGIN_MS))).toBe(true);
    expect(isOutsideMessagingWindow(last, after(25 * 3_600_000))).toBe(true);
    expect(messagingWindowClosesAt(last).toISOString()).toBe('2026-12-02T09:59:00.000Z');
  });

  it('recognises the retired message tags, in any case, and nothing else', () => {
    expect(retiredTagOf({ tag: 'CONFIRMED_EVENT_UPDATE' })).toBe('CONFIRMED_EVENT_UPDATE');
    expect(retiredTagOf({ tag: 'post_purchase_update' })).toBe('post_purchase_update');
    expect(retiredTagOf({ tag: 'ACCOUNT_UPDATE' })).toBe('ACCOUNT_UPDATE');
    expect(retiredTagOf({ tag: 'HUMAN_AGENT' })).toBeUndefined();
    expect(retiredTagOf({})).toBeUndefined();
    expect(retiredTagOf(undefined)).toBeUndefined();
  });

  it('takes the latest of several times, ignoring missing and unreadable ones', () => {
    expect(latestTime('2026-12-01T10:00:00.000Z', undefined, new Date('2026-12-01T11:00:00.000Z'), 'garbage')?.toISOString()).toBe(
      '2026-12-01T11:00:00.000Z',
    );
    expect(latestTime(undefined)).toBeUndefined();
  });
});
