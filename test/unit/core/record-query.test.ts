import { describe, expect, it } from 'vitest';
import { decodeCursor, encodeCursor, parseSearch } from '../../../core/record-query.js';
import { emptyRecord } from '../../../core/record.js';

describe('parseSearch (the console search box and the CLI)', () => {
  it('splits free text from channel, stage, missing, code and date filters', () => {
    expect(parseSearch('  김민지  channel:msteams stage:replied missing:emailed code:ReplyFailed date:2026-12-03 ')).toEqual({
      text: '김민지',
      channelId: 'msteams',
      stage: 'replied',
      missingStage: 'emailed',
      failureCode: 'ReplyFailed',
      from: new Date('2026-12-03T00:00:00Z'),
      to: new Date('2026-12-04T00:00:00Z'),
    });
    expect(parseSearch('2026-12-03')).toEqual({ from: new Date('2026-12-03T00:00:00Z'), to: new Date('2026-12-04T00:00:00Z') });
    expect(parseSearch('order ready')).toEqual({ text: 'order ready' });
    expect(parseSearch('')).toEqual({});
  });

  it('refuses an unknown stage or a bad date by code', () => {
    expect(() => parseSearch('stage:shipped')).toThrow(expect.objectContaining({ code: 'BadRequest' }));
    expect(() => parseSearch('from:yesterday')).toThrow(expect.objectContaining({ code: 'BadRequest' }));
  });

  it('round-trips a cursor and refuses a forged one', () => {
    const record = emptyRecord({ conversationId: 'c', id: 'ev-1' }, '2026-12-03T01:02:03.004Z');
    expect(decodeCursor(encodeCursor(record))).toEqual({ createdAt: '2026-12-03T01:02:03.004Z', id: 'ev-1' });
    expect(() => decodeCursor('not-a-cursor')).toThrow(expect.objectContaining({ code: 'BadRequest' }));
  });
});
