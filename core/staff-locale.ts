/**
 * What staff read, in their language (STAFF_LOCALE): the labels, sentences and subject lines of the
 * transcript email and the daily digest. User text never goes through these: callers escape it.
 */
export const STAFF_LOCALES = ['en', 'ko'] as const;
export type StaffLocale = (typeof STAFF_LOCALES)[number];

export interface StaffLabels {
  /** BCP 47 tag for Intl (dates, language names) and the email's lang attribute. */
  tag: string;
  newMessage: string;
  /** Before a notice staff must act on. */
  important: string;
  customer: string;
  channel: string;
  language: string;
  received: string;
  conversation: string;
  eventId: string;
  transcript: string;
  play: string;
  openConsole: string;
  audioAttached: (seconds: string) => string;
  audioLinkOnly: (seconds: string) => string;
  linkValidUntil: (time: string) => string;
  transcriptSubject: (who: string, channel: string, text: string) => string;
  footer: string;
  digestTitle: string;
  digestPeriod: (from: string, to: string) => string;
  digestSubject: (day: string, conversations: number, messages: number, failed: number, truncated: boolean) => string;
  digestSummary: (conversations: number, messages: number, failed: number) => string;
  digestTruncated: (shown: number) => string;
  digestEmpty: string;
  messages: (count: number) => string;
  failures: (count: number) => string;
  stagesDone: string;
  stageNames: Record<'received' | 'spoken' | 'emailed' | 'replied', string>;
  none: string;
  unknownCustomer: string;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

const en: StaffLabels = {
  tag: 'en',
  newMessage: 'New customer message',
  important: 'IMPORTANT',
  customer: 'Customer',
  channel: 'Channel',
  language: 'Language',
  received: 'Received',
  conversation: 'Conversation',
  eventId: 'Event id',
  transcript: 'Transcript',
  play: 'Play the audio',
  openConsole: 'Open in the console',
  audioAttached: (s) => `The audio (${s} s) is attached to this email and can also be played from the link.`,
  audioLinkOnly: (s) => `The audio (${s} s) is too large to attach: play it from the link.`,
  linkValidUntil: (t) => `The audio link is valid until ${t}.`,
  transcriptSubject: (who, channel, text) => `[talkback] ${who} (${channel}): ${text}`,
  footer: 'Sent by talkback to the staff list.',
  digestTitle: 'Daily digest',
  digestPeriod: (from, to) => `From ${from} to ${to}`,
  digestSubject: (day, c, m, f, truncated) =>
    `[talkback] digest ${day}: ${truncated ? 'more than ' : ''}${plural(c, 'conversation', 'conversations')}` +
    `${m === c && !truncated ? '' : `, ${plural(m, 'message', 'messages')}`}${f > 0 ? `, ${f} failed` : ''}`,
  digestSummary: (c, m, f) =>
    `${plural(c, 'conversation', 'conversations')}, ${plural(m, 'message', 'messages')}${f > 0 ? `, ${f} with failures` : ''}`,
  digestTruncated: (shown) => `Only the latest ${shown} messages are listed.`,
  digestEmpty: 'No messages in this period.',
  messages: (n) => plural(n, 'message', 'messages'),
  failures: (n) => plural(n, 'failure', 'failures'),
  stagesDone: 'Done',
  stageNames: { received: 'received', spoken: 'spoken', emailed: 'emailed', replied: 'replied' },
  none: 'none',
  unknownCustomer: 'unknown customer',
};

const ko: StaffLabels = {
  tag: 'ko',
  newMessage: '새 고객 메시지',
  important: '중요',
  customer: '고객',
  channel: '채널',
  language: '언어',
  received: '받은 시각',
  conversation: '대화',
  eventId: '이벤트 ID',
  transcript: '메시지 내용',
  play: '음성 듣기',
  openConsole: '콘솔에서 보기',
  audioAttached: (s) => `음성(${s}초)이 이 메일에 첨부되어 있으며 링크로도 들을 수 있습니다.`,
  audioLinkOnly: (s) => `음성(${s}초)은 첨부하기에 너무 커서 링크로만 들을 수 있습니다.`,
  linkValidUntil: (t) => `음성 링크는 ${t}까지 유효합니다.`,
  transcriptSubject: (who, channel, text) => `[talkback] ${who} 님 (${channel}): ${text}`,
  footer: 'talkback이 담당자 목록으로 보낸 메일입니다.',
  digestTitle: '일일 요약',
  digestPeriod: (from, to) => `${from} ~ ${to}`,
  digestSubject: (day, c, m, f, truncated) =>
    `[talkback] 일일 요약 ${day}: 대화 ${c}건${truncated ? ' 이상' : ''}, 메시지 ${m}건${f > 0 ? `, 실패 ${f}건` : ''}`,
  digestSummary: (c, m, f) => `대화 ${c}건, 메시지 ${m}건${f > 0 ? `, 실패가 있는 메시지 ${f}건` : ''}`,
  digestTruncated: (shown) => `최근 메시지 ${shown}건만 표시합니다.`,
  digestEmpty: '이 기간에는 메시지가 없습니다.',
  messages: (n) => `메시지 ${n}건`,
  failures: (n) => `실패 ${n}건`,
  stagesDone: '완료 단계',
  stageNames: { received: '수신', spoken: '음성 변환', emailed: '메일 발송', replied: '답장' },
  none: '없음',
  unknownCustomer: '알 수 없는 고객',
};

export const STAFF_LABELS: Record<StaffLocale, StaffLabels> = { en, ko };
