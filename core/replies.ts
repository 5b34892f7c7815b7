import type { Language } from './language.js';

/** Everything the bot says, in the customer's language. */
export const replies = {
  received: { ko: '메시지를 받았습니다. 곧 음성으로 답해 드릴게요.', en: 'Got your message — an audio reply is on its way.' },
  askForText: {
    ko: '텍스트 메시지를 보내 주세요. 첨부 파일만으로는 처리할 수 없습니다.',
    en: 'Please send your message as text — I can only read text, not attachments alone.',
  },
  welcome: {
    ko: '안녕하세요! 메시지를 보내 주시면 확인 후 음성으로 답해 드립니다.',
    en: 'Hello! Send me a message and I will confirm it and answer with an audio version.',
  },
  audioReady: { ko: '메시지를 음성으로 들어 보세요.', en: 'Here is your message as audio.' },
  listen: { ko: '듣기', en: 'Listen' },
  slowDown: {
    ko: '메시지가 너무 빠르게 도착하고 있습니다. 잠시 후에 다시 보내 주세요.',
    en: 'You are sending messages faster than I can take them. Please wait a moment and send again.',
  },
} as const satisfies Record<string, Record<Language, string>>;

export function tooLong(language: Language, max: number, actual: number): string {
  return language === 'ko'
    ? `메시지가 너무 깁니다 (${actual}자). ${max}자 이내로 보내 주세요.`
    : `Your message is too long (${actual} characters). Please keep it within ${max} characters.`;
}
