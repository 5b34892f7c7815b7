import { describe, expect, it } from 'vitest';
import { emptyRecord } from '../../../core/record.js';
import { describeJourney } from '../../../operations/journey.js';

describe('describeJourney', () => {
  const record = {
    ...emptyRecord({ conversationId: 'conv', id: 'ev 1' }, '2026-12-03T00:00:00.000Z'),
    channelId: 'msteams',
    language: 'ko' as const,
    text: '안녕하세요',
    stages: {
      received: '2026-12-03T00:00:00.000Z',
      spoken: '2026-12-03T00:00:02.000Z',
      emailed: '2026-12-03T00:00:03.000Z',
      replied: '2026-12-03T00:00:02.500Z',
    },
    audio: { blobName: 'audio/ev 1.mp3', contentType: 'audio/mpeg', bytes: 10, durationMs: 900, voice: 'ko' },
    claims: { reply: { owner: 'w', expiresAt: '2026-12-03T00:05:00.000Z', doneAt: '2026-12-03T00:00:02.500Z', result: 'card' } },
  };

  it('gives each stage its time and durations; a stage reached before a later-listed one counts from the one before it', () => {
    const journey = describeJourney(record, true);
    expect(journey.stages).toEqual([
      { stage: 'received', at: record.stages.received, afterReceivedMs: 0 },
      { stage: 'spoken', at: record.stages.spoken, afterReceivedMs: 2000, afterPreviousMs: 2000 },
      { stage: 'emailed', at: record.stages.emailed, afterReceivedMs: 3000, afterPreviousMs: 1000 },
      // Mail and reply run side by side after speech: replied counts from spoken, not from emailed.
      { stage: 'replied', at: record.stages.replied, afterReceivedMs: 2500, afterPreviousMs: 500 },
    ]);
  });

  it('links the page and the audio (escaped), and rebuilds the reply as the reply function sends it', () => {
    const journey = describeJourney(record, false);
    expect(journey.links).toEqual({ page: '/interactions/ev%201', audio: '/interactions/ev%201/audio' });
    expect(journey.reply?.format).toBe('card');
    expect(JSON.stringify(journey.reply?.attachments)).toContain('/interactions/ev%201/audio');
  });

  it('leaves stages not reached without a time', () => {
    const journey = describeJourney(emptyRecord({ conversationId: 'c', id: 'e' }, '2026-12-03T00:00:00.000Z'), false);
    expect(journey.stages.every((s) => s.at === undefined)).toBe(true);
    expect(journey.reply).toBeUndefined();
  });
});
