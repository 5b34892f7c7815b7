import { describe, expect, it } from 'vitest';
import { followUpEventId, messageEventId, randomId } from '../../../core/ids.js';

describe('event ids', () => {
  it('gives the same activity the same id, so a channel retry is one event', () => {
    const id = messageEventId('msteams', 'conv-1', 'act-1');
    expect(id).toMatch(/^[0-9a-f]{32}$/);
    expect(messageEventId('msteams', 'conv-1', 'act-1')).toBe(id);
  });

  it('gives different activities, conversations and channels different ids', () => {
    const ids = [
      messageEventId('msteams', 'conv-1', 'act-1'),
      messageEventId('msteams', 'conv-1', 'act-2'),
      messageEventId('msteams', 'conv-2', 'act-1'),
      messageEventId('facebook', 'conv-1', 'act-1'),
    ];
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('keeps parts apart: moving characters across a boundary changes the id', () => {
    expect(messageEventId('ab', 'c', 'd')).not.toBe(messageEventId('a', 'bc', 'd'));
    expect(messageEventId('a', 'b|1:c', 'd')).not.toBe(messageEventId('a|1:b', 'c', 'd'));
    expect(messageEventId('', 'ab', 'c')).not.toBe(messageEventId('a', 'b', 'c'));
  });

  it('derives follow-up ids from the subject and the source, distinct from the source', () => {
    const source = messageEventId('webchat', 'conv-1', 'act-1');
    const audio = followUpEventId('audio.stored', source);
    expect(followUpEventId('audio.stored', source)).toBe(audio);
    expect(new Set([source, audio, followUpEventId('mail.sent', source), followUpEventId('audio.stored', `${source}x`)]).size).toBe(4);
  });

  it('makes random ids unique', () => {
    const ids = Array.from({ length: 1000 }, randomId);
    expect(new Set(ids).size).toBe(1000);
  });
});
