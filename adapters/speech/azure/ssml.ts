import type { Language } from '../../../core/language.js';

export type VoiceMap = Readonly<Record<Language, string>>;

export const DEFAULT_NEURAL_VOICES: VoiceMap = { ko: 'ko-KR-SunHiNeural', en: 'en-US-JennyNeural' };

const XML_LOCALE: Record<Language, string> = { ko: 'ko-KR', en: 'en-US' };

/** Escapes text for XML character data and attribute values. `]]>` cannot survive: `>` is escaped. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => {
    switch (ch) {
      case '&':
        return '&amp;';
      case '<':
        return '&lt;';
      case '>':
        return '&gt;';
      case '"':
        return '&quot;';
      default:
        return '&apos;';
    }
  });
}

/** Characters that are not allowed in XML 1.0 at all (control characters other than tab, CR, LF). */
// eslint-disable-next-line no-control-regex
const XML_INVALID = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

/** SSML for the user's text: the voice chosen by language, the user's text only ever as character data. */
export function renderSsml(text: string, language: Language, voices: VoiceMap = DEFAULT_NEURAL_VOICES): string {
  const locale = XML_LOCALE[language];
  const voice = voices[language];
  const body = escapeXml(text.replace(XML_INVALID, ' '));
  return (
    `<speak version="1.0" xmlns="http://www.w3.org/2001/10/synthesis" xml:lang="${locale}">` +
    `<voice name="${escapeXml(voice)}">${body}</voice></speak>`
  );
}
