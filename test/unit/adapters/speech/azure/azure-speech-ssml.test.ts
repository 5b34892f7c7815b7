import { describe, expect, it } from 'vitest';
import { ssmlFor } from '../../../../../adapters/speech/azure/azure-speech-ssml.js';
import { DEFAULT_NEURAL_VOICES } from '../../../../../adapters/speech/azure/ssml.js';

/** Parses just enough of the SSML to see what the service will read: locale, voice, and the text. */
function read(ssml: string): { lang: string; voice: string; text: string } {
  const match = /^<speak [^>]*xml:lang="([^"]+)"><voice name="([^"]+)">([^<]*)<\/voice><\/speak>$/.exec(ssml);
  if (!match) throw new Error(`not the expected SSML shape: ${ssml}`);
  const unescape = (s: string) =>
    s.replace(/&(lt|gt|quot|apos|amp);/g, (_, name: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[name] ?? '');
  return { lang: match[1]!, voice: match[2]!, text: unescape(match[3]!) };
}

describe('ssmlFor (what AzureSpeechSynthesizer sends)', () => {
  it('speaks Korean with the configured Korean neural voice', () => {
    const { ssml, voice } = ssmlFor({ text: '안녕하세요, 주문 확인 부탁드립니다', language: 'ko' }, DEFAULT_NEURAL_VOICES);
    expect(voice).toBe('ko-KR-SunHiNeural');
    expect(read(ssml)).toEqual({ lang: 'ko-KR', voice: 'ko-KR-SunHiNeural', text: '안녕하세요, 주문 확인 부탁드립니다' });
  });

  it('speaks English with the configured English neural voice', () => {
    const voices = { ko: 'ko-KR-InJoonNeural', en: 'en-US-GuyNeural' };
    const { ssml, voice } = ssmlFor({ text: 'Is my order ready?', language: 'en' }, voices);
    expect(voice).toBe('en-US-GuyNeural');
    expect(read(ssml)).toEqual({ lang: 'en-US', voice: 'en-US-GuyNeural', text: 'Is my order ready?' });
  });

  it('sends user text only as escaped character data', () => {
    const text = `</voice><voice name="evil"><break time="60s"/> & "q" 'a' ]]> <![CDATA[x]]>`;
    const { ssml } = ssmlFor({ text, language: 'en' }, DEFAULT_NEURAL_VOICES);
    // One voice element, no element from the user's text, and the text reads back unchanged.
    expect(ssml.match(/<voice /g)).toHaveLength(1);
    expect(ssml).not.toContain('<break');
    expect(ssml).not.toContain('<![CDATA[');
    expect(read(ssml).text).toBe(text);
  });

  it('replaces characters XML forbids instead of sending an invalid document', () => {
    const { ssml } = ssmlFor({ text: 'first\u0000 second\u0007 third', language: 'en' }, DEFAULT_NEURAL_VOICES);
    expect(read(ssml).text).toBe('first  second  third');
  });

  it('refuses blank text as a permanent SpeechRejected before any request', () => {
    for (const text of ['', '  \n\t ', '\u0000\u0007']) {
      expect(() => ssmlFor({ text, language: 'ko' }, DEFAULT_NEURAL_VOICES)).toThrow(
        expect.objectContaining({ name: 'TalkbackError', code: 'SpeechRejected', retryable: false }),
      );
    }
  });
});
