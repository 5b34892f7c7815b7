import { describe, expect, it } from 'vitest';
import { chooseLanguage, hangulShare } from '../../../core/language.js';

describe('chooseLanguage', () => {
  it('trusts a Korean locale whatever the text', () => {
    expect(chooseLanguage('Hello there', 'ko-KR')).toBe('ko');
    expect(chooseLanguage('Hello there', 'ko_KR')).toBe('ko');
    expect(chooseLanguage('Hello there', 'KO')).toBe('ko');
    expect(chooseLanguage('😀', 'ko-KR')).toBe('ko');
  });

  it('does not take a locale that only starts with "ko" (Konkani) for Korean', () => {
    expect(chooseLanguage('Hello there', 'kok-IN')).toBe('en');
  });

  it('chooses Korean when most letters are Hangul, including compatibility jamo', () => {
    expect(chooseLanguage('안녕하세요, 주문 확인 부탁드려요', 'en-US')).toBe('ko');
    expect(chooseLanguage('주문번호 12345 확인 OK?', undefined)).toBe('ko');
    expect(chooseLanguage('ㅋㅋㅋ ㅎㅎ', undefined)).toBe('ko');
  });

  it('chooses English for English text and for mixed text where Hangul is not the majority', () => {
    expect(chooseLanguage('Is my order ready?', undefined)).toBe('en');
    expect(chooseLanguage('Hello 안녕', undefined)).toBe('en');
    expect(hangulShare('ab가나')).toBe(0.5);
    expect(chooseLanguage('ab가나', undefined)).toBe('en');
    expect(chooseLanguage('a가나', undefined)).toBe('ko');
  });

  it('falls back to English when there are no letters at all', () => {
    expect(hangulShare('😀👍 123 !?')).toBe(0);
    expect(chooseLanguage('😀👍🏽', undefined)).toBe('en');
    expect(chooseLanguage('12345', 'en-US')).toBe('en');
  });
});
