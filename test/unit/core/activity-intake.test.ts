import { describe, expect, it } from 'vitest';
import { admitActivity, isJsonContentType, MAX_ACTIVITY_BYTES } from '../../../core/activity-intake.js';
import { exceedsJsonDepth } from '../../../core/json-depth.js';
import { stripControlCharacters } from '../../../core/control-characters.js';

const JSON_TYPE = 'application/json';
const activity = (overrides: Record<string, unknown> = {}) => ({
  type: 'message',
  id: 'a-1',
  channelId: 'emulator',
  serviceUrl: 'http://127.0.0.1:9/',
  locale: 'en-US',
  from: { id: 'user-1', name: 'Ada' },
  recipient: { id: 'bot-1' },
  conversation: { id: 'conv-1' },
  text: 'hello',
  ...overrides,
});
const refusal = (body: unknown, type = JSON_TYPE) => {
  const result = admitActivity(type, typeof body === 'string' ? body : JSON.stringify(body));
  return result.ok ? undefined : { status: result.status, reason: result.reason };
};

describe('admitActivity', () => {
  it('admits a valid activity and keeps fields it does not read', () => {
    const result = admitActivity(JSON_TYPE, JSON.stringify(activity({ channelData: { tenant: { id: 't' } } })));
    expect(result.ok && result.activity.text).toBe('hello');
    expect(result.ok && result.activity['channelData']).toEqual({ tenant: { id: 't' } });
  });

  it('refuses anything but JSON with 415', () => {
    expect(refusal(activity(), 'text/plain')?.status).toBe(415);
    expect(refusal(activity(), 'application/x-www-form-urlencoded')?.status).toBe(415);
    expect(refusal(activity(), 'multipart/form-data; boundary=x')?.status).toBe(415);
    expect(refusal(activity(), '')?.status).toBe(415);
    expect(isJsonContentType('application/json; charset=utf-8')).toBe(true);
    expect(isJsonContentType('Application/JSON')).toBe(true);
    expect(isJsonContentType('application/json; charset=latin1')).toBe(false);
  });

  it('names the field whose type is wrong (400)', () => {
    expect(refusal(activity({ text: 5 }))).toEqual({ status: 400, reason: 'text: must be string' });
    expect(refusal(activity({ text: { a: 1 } }))?.reason).toBe('text: must be string');
    expect(refusal(activity({ id: 7 }))?.reason).toBe('id: must be string');
    expect(refusal(activity({ id: '' }))?.reason).toBe('id: must not be empty');
    expect(refusal(activity({ locale: 5 }))?.reason).toBe('locale: must be string');
    expect(refusal(activity({ locale: 'en US\r\nX: y' }))?.reason).toMatch(/^locale: /);
    expect(refusal(activity({ conversation: { id: 3 } }))?.reason).toBe('conversation.id: must be string');
    expect(refusal(activity({ conversation: { id: 'a\u0000b' } }))?.reason).toBe('conversation.id: must not contain control characters');
    expect(refusal(activity({ from: { id: [] } }))?.reason).toBe('from.id: must be string');
    expect(refusal(activity({ from: undefined }))?.reason).toBe('from.id: is required on a message');
    expect(refusal(activity({ serviceUrl: 'file:///etc/passwd' }))?.reason).toMatch(/^serviceUrl: /);
    expect(refusal(activity({ channelId: 'a b' }))?.reason).toMatch(/^channelId: /);
    expect(refusal(activity({ type: undefined }))?.reason).toBe('type: must be string');
    expect(refusal(activity({ recipient: 'bot' }))?.reason).toBe('recipient: must be object');
  });

  it('a refusal for a wrong field type names the channel and conversation the body claimed (for its log line)', () => {
    const result = admitActivity(JSON_TYPE, JSON.stringify(activity({ text: 123, conversation: { id: 'c-bad' } })));
    expect(result.ok ? undefined : result.claimed).toEqual({ channelId: 'emulator', conversationId: 'c-bad' });
    const unnamed = admitActivity(JSON_TYPE, JSON.stringify(activity({ channelId: 7, conversation: { id: 'x'.repeat(300) } })));
    expect(unnamed.ok ? undefined : unnamed.claimed).toEqual({});
    // Nothing that would fail the schema's own rules reaches a log line: no escape sequence, no forged line.
    const hostile = admitActivity(JSON_TYPE, JSON.stringify(activity({ text: 1, channelId: 'x\u001b[2J\nWARN forged', conversation: { id: 'c\nWARN forged' } })));
    expect(hostile.ok ? undefined : hostile.claimed).toEqual({});
  });

  it('refuses deep nesting before parsing, and oversize bodies', () => {
    const deep = JSON.stringify(activity({ conversation: { id: 'c', x: 'HERE' } })).replace('"HERE"', `${'['.repeat(5000)}${']'.repeat(5000)}`);
    expect(refusal(deep)).toEqual({ status: 400, reason: 'activity nested deeper than 64 levels' });
    expect(refusal(activity({ text: 'x'.repeat(MAX_ACTIVITY_BYTES) }))?.status).toBe(413);
    expect(refusal('{"type":')?.reason).toBe('body is not JSON');
    expect(refusal('[1]')?.reason).toBe('body is not an activity object');
  });

  it('strips control characters from the text, so control-only text is empty', () => {
    const result = admitActivity(JSON_TYPE, JSON.stringify(activity({ text: '\u0000\u0001\u0007\u001b\u200b\ufeff' })));
    expect(result.ok && result.activity.text).toBe('');
    const kept = admitActivity(JSON_TYPE, JSON.stringify(activity({ text: 'a\tb\nc\u0000d 안녕' })));
    expect(kept.ok && kept.activity.text).toBe('a\tb\ncd 안녕');
  });

  it('admits a conversation id with characters beyond Latin-1 (the reply path encodes its header)', () => {
    expect(admitActivity(JSON_TYPE, JSON.stringify(activity({ conversation: { id: '대화-1' } }))).ok).toBe(true);
  });
});

describe('exceedsJsonDepth', () => {
  it('counts brackets outside strings only', () => {
    expect(exceedsJsonDepth('{"a":[[1]]}', 3)).toBe(false);
    expect(exceedsJsonDepth('{"a":[[[1]]]}', 3)).toBe(true);
    expect(exceedsJsonDepth(JSON.stringify({ a: '[[[[[[[[[[', b: '\\"[[[[' }), 1)).toBe(false);
  });
});

describe('stripControlCharacters', () => {
  it('keeps tab, newline and printable text', () => {
    expect(stripControlCharacters('\u0085x\u202ey\r\n')).toBe('xy\r\n');
  });
});
