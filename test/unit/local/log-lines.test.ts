import { describe, expect, it } from 'vitest';
import { formatLogLine } from '../../../local/log-lines.js';

describe('log lines for a person watching npm start', () => {
  it('shows a settled message as one short status line', () => {
    const json = JSON.stringify({ level: 30, time: Date.UTC(2026, 10, 25, 15, 45, 11, 55), function: 'speech', eventId: '0f22c4f22382f9f2', outcome: 'complete', deliveryCount: 1, ms: 5762, msg: 'message complete' });
    expect(formatLogLine(json)).toBe('15:45:11.055 speech  0f22c4f2 complete #1 5762 ms\n');
  });
  it('keeps warnings and extra fields visible', () => {
    const json = JSON.stringify({ level: 40, time: 0, function: 'mail', eventId: 'abcdef0123', outcome: 'abandon', deliveryCount: 2, ms: 12, code: 'Throttled', delayMs: 2000 });
    expect(formatLogLine(json)).toBe('00:00:00.000 WARN mail    abcdef01 abandon #2 12 ms code=Throttled delayMs=2000\n');
  });
  it('quotes a field holding control characters: one record stays one line, no escape sequence reaches the terminal', () => {
    const json = JSON.stringify({ level: 40, time: 0, msg: 'request refused', reason: 'x\u001b[2J\n00:00:00.000 WARN forged' });
    const line = formatLogLine(json);
    expect(line.split('\n')).toHaveLength(2);
    expect(line).not.toContain('\u001b');
    expect(line).toContain('reason="x\\u001b[2J\\n00:00:00.000 WARN forged"');
  });
  it('passes through what is not JSON', () => {
    expect(formatLogLine('plain text')).toBe('plain text');
  });
});
