import { describe, expect, it } from 'vitest';
import { TalkbackError, codeForStatus, toTalkbackError, type ErrorCode } from '../../../core/errors.js';
import { FAILURE_POLICY, backoffMs, isRetryableCode } from '../../../core/failure-policy.js';

const pinned = { baseMs: 1_000, maxMs: 60_000, random: () => 0.5 };

describe('backoffMs', () => {
  const error = new TalkbackError('Timeout', 't');

  it('doubles from the base per delivery, with at most ±20% jitter, capped at the maximum', () => {
    expect([1, 2, 3, 4].map((n) => backoffMs(n, error, pinned))).toEqual([1_000, 2_000, 4_000, 8_000]);
    expect(backoffMs(3, error, { ...pinned, random: () => 0 })).toBe(3_200);
    expect(backoffMs(3, error, { ...pinned, random: () => 0.999_999 })).toBe(4_800);
    expect(backoffMs(10, error, { ...pinned, random: () => 0.999_999 })).toBe(60_000);
    // Jitter applies below the cap too: the wait stays within ±20% of it, never above it.
    expect(backoffMs(7, error, { ...pinned, maxMs: 50_000, random: () => 0 })).toBe(40_000);
  });

  it('treats a delivery count below 1 as the first delivery', () => {
    expect(backoffMs(0, error, pinned)).toBe(1_000);
  });

  it("uses the error's Retry-After when given, without jitter, capped at the maximum", () => {
    const throttled = new TalkbackError('Throttled', 'later', { retryAfterMs: 7_000 });
    expect(backoffMs(1, throttled, { ...pinned, random: () => 0 })).toBe(7_000);
    expect(backoffMs(5, throttled, pinned)).toBe(7_000);
    expect(backoffMs(1, throttled, { ...pinned, maxMs: 5_000 })).toBe(5_000);
    expect(backoffMs(1, new TalkbackError('Busy', 'now', { retryAfterMs: -5 }), pinned)).toBe(0);
  });
});

describe('the failure policy', () => {
  const codes = Object.keys(FAILURE_POLICY) as ErrorCode[];

  it('retries what may pass: throttling, timeouts, outages, contention, a lost lock, the *Failed codes and bugs', () => {
    expect(codes.filter((code) => isRetryableCode(code)).sort()).toEqual(
      [
        'Busy',
        'BusFailed',
        'ClaimHeld',
        'Internal',
        'LockLost',
        'MailFailed',
        'ReplyFailed',
        'ServiceUnavailable',
        'SpeechFailed',
        'StorageFailed',
        'Throttled',
        'Timeout',
        'TooEarly',
      ].sort(),
    );
  });

  it('never retries a refusal: invalid input or settings, 4xx, the *Rejected codes, channel rules, a given-up message', () => {
    expect(codes.filter((code) => !isRetryableCode(code)).sort()).toEqual(
      [
        'BadRequest',
        'BusRejected',
        'ConfigInvalid',
        'Conflict',
        'ConversationBlocked',
        'DataFolderInvalid',
        'DataFolderLocked',
        'EventInvalid',
        'GaveUp',
        'MailRejected',
        'MessageTooLong',
        'NotFound',
        'OutsideMessagingWindow',
        'PayloadTooLarge',
        'PortInUse',
        'PreconditionFailed',
        'ReplyRejected',
        'SpeechRejected',
        'StorageRejected',
        'Unauthorized',
      ].sort(),
    );
  });

  it("waits each code's own delay when it has one, else the exponential backoff (no code has its own today)", () => {
    for (const code of codes) {
      const own = FAILURE_POLICY[code].delayMs;
      expect(own).toBeUndefined();
      expect(backoffMs(2, new TalkbackError(code, 'x'), pinned)).toBe(own ?? 2_000);
    }
  });

  it('is the only source of TalkbackError#retryable, an own property that JSON (logs, records) keeps', () => {
    for (const code of codes) {
      const error = new TalkbackError(code, 'x', { retryAfterMs: 5 });
      expect(error.retryable).toBe(FAILURE_POLICY[code].retryable);
      expect(JSON.parse(JSON.stringify(error))).toMatchObject({ code, retryable: error.retryable, retryAfterMs: 5 });
    }
  });

  it('makes anything caught retryable, under the fallback code it is given', () => {
    expect(toTalkbackError(new Error('boom'))).toMatchObject({ code: 'Internal', retryable: true, message: 'boom' });
    expect(toTalkbackError('no', 'ReplyFailed')).toMatchObject({ code: 'ReplyFailed', retryable: true });
    const own = new TalkbackError('NotFound', 'gone');
    expect(toTalkbackError(own)).toBe(own);
  });
});

describe('codeForStatus', () => {
  it.each([
    [undefined, 'StorageFailed', true],
    [400, 'BadRequest', false],
    [401, 'Unauthorized', false],
    [403, 'Unauthorized', false],
    [404, 'NotFound', false],
    [408, 'Timeout', true],
    [409, 'Conflict', false],
    [412, 'PreconditionFailed', false],
    [413, 'StorageRejected', false],
    [416, 'StorageRejected', false],
    [429, 'Throttled', true],
    [500, 'ServiceUnavailable', true],
    [503, 'ServiceUnavailable', true],
  ] as const)('maps %s to %s (retryable %s): 408, 429, 5xx and no answer retried, every other 4xx not', (status, code, retryable) => {
    expect(codeForStatus(status, 'StorageFailed', 'StorageRejected')).toBe(code);
    expect(isRetryableCode(code)).toBe(retryable);
  });
});
