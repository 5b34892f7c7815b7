import { describe, expect, it } from 'vitest';
import { addAttempt, addSuccessAfterFailures } from '../../../core/record-changes.js';
import { emptyRecord, interactionRecordSchema, type Attempt } from '../../../core/record.js';

const key = { conversationId: 'conv-1', id: 'ev-1' };
const attempt = (n: number, outcome: Attempt['outcome'], fn = 'reply'): Attempt => ({
  function: fn,
  eventId: 'ev-2',
  deliveryCount: n,
  at: new Date(Date.UTC(2026, 0, 1, 0, 0, n)).toISOString(),
  outcome,
  ...(outcome === 'succeeded' ? {} : { code: 'ReplyFailed', message: 'forbidden' }),
});

describe('delivery attempts on the record', () => {
  it('appends attempts and, for a permanent failure, the failure in the same change', () => {
    let record = addAttempt(emptyRecord(key, attempt(0, 'retrying').at), key, attempt(1, 'retrying'));
    const failure = { function: 'reply', code: 'ReplyFailed', message: 'forbidden', at: attempt(2, 'failed').at, eventId: 'ev-2' };
    record = addAttempt(record, key, attempt(2, 'failed'), failure);
    expect(record?.attempts?.map((a) => a.outcome)).toEqual(['retrying', 'failed']);
    expect(record?.failures).toEqual([failure]);
    expect(interactionRecordSchema.parse(record)).toEqual(record);
  });

  it('keeps the record bounded', () => {
    let record = emptyRecord(key, attempt(0, 'retrying').at);
    for (let i = 0; i < 100; i++) record = addAttempt(record, key, attempt(i % 50, 'retrying'))!;
    expect(record.attempts).toHaveLength(30);
  });

  it('records a success only after a failure of the same function on the same event', () => {
    const fresh = emptyRecord(key, attempt(0, 'retrying').at);
    expect(addSuccessAfterFailures(fresh, key, attempt(1, 'succeeded'))).toBeUndefined();
    const failed = addAttempt(fresh, key, attempt(1, 'failed', 'mail'))!;
    expect(addSuccessAfterFailures(failed, key, attempt(2, 'succeeded'))).toBeUndefined();
    const replyFailed = addAttempt(failed, key, attempt(1, 'failed'))!;
    const after = addSuccessAfterFailures(replyFailed, key, attempt(1, 'succeeded'))!;
    expect(after.attempts?.at(-1)?.outcome).toBe('succeeded');
    expect(addSuccessAfterFailures(after, key, attempt(1, 'succeeded'))).toBeUndefined();
  });

  it('reads records written before attempts existed', () => {
    const { attempts: _, ...old } = { ...emptyRecord(key, attempt(0, 'retrying').at), attempts: undefined };
    expect(interactionRecordSchema.parse(old).attempts).toBeUndefined();
  });
});
