import { describe, expect, it } from 'vitest';
import { renderDigestEmail } from '../../../core/digest-email.js';
import { groupByConversation } from '../../../core/digest-groups.js';
import type { InteractionRecord } from '../../../core/record.js';

function record(id: string, conversationId: string, receivedAt: string, extra: Partial<InteractionRecord> = {}): InteractionRecord {
  return {
    id,
    conversationId,
    channelId: 'msteams',
    customer: { id: `user-${conversationId}`, name: `Name ${conversationId}` },
    language: 'ko',
    text: `text ${id}`,
    stages: { received: receivedAt },
    claims: {},
    failures: [],
    appliedEvents: [],
    createdAt: receivedAt,
    updatedAt: receivedAt,
    ...extra,
  };
}

const failure = { function: 'mail', code: 'MailRejected', message: 'refused', at: '2025-01-02T05:00:00.000Z', eventId: 'e' };

// Interleaved: c1 at 01:00 and 04:00, c2 at 02:00 (failed) and 03:00, c3 at 00:30 without a customer yet.
const RECORDS = [
  record('m4', 'c1', '2025-01-02T04:00:00.000Z', { stages: { received: '2025-01-02T04:00:00.000Z', spoken: '2025-01-02T04:00:02.000Z' } }),
  record('m2', 'c2', '2025-01-02T02:00:00.000Z', { failures: [failure], channelId: 'facebook' }),
  record('m1', 'c1', '2025-01-02T01:00:00.000Z'),
  record('m3', 'c2', '2025-01-02T03:00:00.000Z', { channelId: 'facebook' }),
  record('m0', 'c3', '2025-01-02T00:30:00.000Z', { customer: undefined, channelId: undefined, text: undefined }),
];

describe('digest grouping', () => {
  it("puts a conversation's messages together, oldest first, the most recently active conversation first", () => {
    const groups = groupByConversation(RECORDS);
    expect(groups.map((g) => [g.conversationId, g.messages.map((m) => m.id), g.failed])).toEqual([
      ['c1', ['m1', 'm4'], 0],
      ['c2', ['m2', 'm3'], 1],
      ['c3', ['m0'], 0],
    ]);
    expect(groups[1]).toMatchObject({ channelId: 'facebook', customer: { id: 'user-c2' }, lastAt: '2025-01-02T03:00:00.000Z' });
    expect(groups[2]?.customer).toBeUndefined();
  });
});

describe('renderDigestEmail', () => {
  const input = {
    records: RECORDS,
    from: new Date('2025-01-01T09:00:00.000Z'),
    to: new Date('2025-01-02T09:00:00.000Z'),
    consoleBaseUrl: 'http://127.0.0.1:3978',
  };

  it('English: counts in the subject, one block per conversation with its messages, failures and console links', async () => {
    const email = await renderDigestEmail({ ...input, staff: { locale: 'en', timeZone: 'Asia/Seoul' } });
    expect(email.subject).toBe('[talkback] digest 2025-01-02: 3 conversations, 5 messages, 1 failed');
    expect(email.html).not.toMatch(/<\/?mj-|\{\{\w+\}\}/);
    const blocks = email.text.split('\n\n').slice(1);
    expect(blocks).toHaveLength(3);
    expect(blocks[0]).toMatch(/^Name c1 \(user-c1\) · Microsoft Teams · 2 messages\n/);
    expect(blocks[0]!.indexOf('text m1')).toBeLessThan(blocks[0]!.indexOf('text m4'));
    expect(blocks[0]).toContain('Done: received, spoken');
    expect(blocks[1]).toMatch(/^Name c2 \(user-c2\) · Facebook Messenger · 2 messages · 1 failure\n/);
    expect(blocks[1]).toContain('mail MailRejected');
    expect(blocks[2]).toMatch(/^unknown customer · 1 message\n/);
    // 01:00 UTC is 10:00 in Seoul.
    expect(email.text).toContain('- Thu, Jan 2, 2025, 10:00:00 GMT+9: text m1');
    expect(email.text).toContain('From Wed, Jan 1, 2025, 18:00:00 GMT+9 to Thu, Jan 2, 2025, 18:00:00 GMT+9');
    expect(email.html).toContain('href="http://127.0.0.1:3978/interactions/m4"');
    expect(email.html).toContain('text m3');
  });

  it('Korean labels and subject', async () => {
    const email = await renderDigestEmail({ ...input, staff: { locale: 'ko', timeZone: 'Asia/Seoul' } });
    expect(email.subject).toBe('[talkback] 일일 요약 2025-01-02: 대화 3건, 메시지 5건, 실패 1건');
    expect(email.html).toContain('lang="ko"');
    expect(email.html).toContain('일일 요약');
    expect(email.text).toContain('메시지 2건 · 실패 1건');
    expect(email.text).toContain('완료 단계: 수신, 음성 변환');
  });

  it('escapes what customers wrote and says when the list was cut or empty', async () => {
    const hostile = record('m9', 'c9', '2025-01-02T04:00:00.000Z', {
      text: '<img src=x onerror=alert(1)> & "quoted"',
      customer: { id: 'u<9>', name: '<b>Eve</b>' },
    });
    const email = await renderDigestEmail({ ...input, records: [hostile], truncated: true });
    expect(email.html).not.toContain('<img');
    expect(email.html).not.toContain('<b>Eve');
    expect(email.html).toContain('&lt;img src=x onerror=alert(1)&gt; &amp; &quot;quoted&quot;');
    expect(email.html).toContain('&lt;b&gt;Eve&lt;/b&gt; (u&lt;9&gt;)');
    expect(email.subject).toBe('[talkback] digest 2025-01-02: more than 1 conversation, 1 message');
    expect(email.text).toContain('Only the latest 1 messages are listed.');
    const empty = await renderDigestEmail({ ...input, records: [] });
    expect(empty.subject).toBe('[talkback] digest 2025-01-02: 0 conversations');
    expect(empty.text).toContain('No messages in this period.');
  });
});
