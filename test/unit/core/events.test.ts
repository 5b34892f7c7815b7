import { describe, expect, it } from 'vitest';
import { parseEvent } from '../../../core/parse-event.js';
import { audioStoredEvent, mailSentEvent, messageReceivedEvent, replySentEvent } from '../../support/events.js';

function rejection(body: unknown): unknown {
  try {
    parseEvent(body);
  } catch (error) {
    return error;
  }
  throw new Error('parseEvent accepted an invalid body');
}

describe('parseEvent', () => {
  it('accepts every kind of event as it was built, through a JSON round trip', () => {
    for (const event of [messageReceivedEvent(), audioStoredEvent(), mailSentEvent(), replySentEvent()]) {
      expect(parseEvent(JSON.parse(JSON.stringify(event)))).toEqual(event);
    }
  });

  it('keeps unknown fields of the conversation reference (a proactive reply needs all of it)', () => {
    const event = messageReceivedEvent();
    const body = structuredClone(event) as { data: { reference: Record<string, unknown> } };
    body.data.reference['locale'] = 'ko-KR';
    const parsed = parseEvent(body);
    expect(parsed.subject === 'message.received' && parsed.data.reference['locale']).toBe('ko-KR');
  });

  const valid = audioStoredEvent();
  const invalid: [string, unknown][] = [
    ['null', null],
    ['a string', 'message.received'],
    ['an unknown subject', { ...valid, subject: 'audio.deleted' }],
    ['no id', { ...valid, id: undefined }],
    ['an empty correlation id', { ...valid, correlationId: '' }],
    ['a date that is not ISO', { ...valid, occurredAt: 'yesterday' }],
    ['an unsupported language', { ...valid, data: { ...valid.data, language: 'fr' } }],
    ['a negative byte count', { ...valid, data: { ...valid.data, bytes: -1 } }],
    ['audio.stored without its blob name', { ...valid, data: { ...valid.data, blobName: undefined } }],
    ['mail.sent without recipients', { ...mailSentEvent(), data: { ...mailSentEvent().data, recipients: [] } }],
  ];
  it.each(invalid)('rejects %s as a permanent EventInvalid', (_, body) => {
    expect(rejection(body)).toMatchObject({ name: 'TalkbackError', code: 'EventInvalid', retryable: false });
  });

  it('names the offending field in the message', () => {
    expect(rejection({ ...valid, data: { ...valid.data, bytes: -1 } })).toMatchObject({ message: expect.stringContaining('data.bytes') });
  });
});
