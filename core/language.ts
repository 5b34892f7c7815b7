export const LANGUAGES = ['ko', 'en'] as const;
export type Language = (typeof LANGUAGES)[number];

const HANGUL = /[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af]/u;
const LETTER = /\p{L}/u;

/** Share of letters in the text that are Hangul (0 when there are no letters). */
export function hangulShare(text: string): number {
  let letters = 0;
  let hangul = 0;
  for (const ch of text) {
    if (!LETTER.test(ch)) continue;
    letters += 1;
    if (HANGUL.test(ch)) hangul += 1;
  }
  return letters === 0 ? 0 : hangul / letters;
}

/** Korean when the channel says the user's locale is ko-*, or when most of the letters are Hangul. */
export function chooseLanguage(text: string, locale: string | undefined): Language {
  if (locale !== undefined && /^ko(-|_|$)/i.test(locale)) return 'ko';
  return hangulShare(text) > 0.5 ? 'ko' : 'en';
}
