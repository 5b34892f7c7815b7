import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { renderSsml } from '../../../../../adapters/speech/azure/ssml.js';

// fast-xml-parser arrives with @azure/service-bus (via @azure/core-xml); an independent XML parser
// is the point: the check must not share the escaping code it checks.
const parser = new XMLParser({ ignoreAttributes: false, trimValues: false, parseTagValue: false, parseAttributeValue: false });

function parsed(ssml: string): { speak: { voice: { '#text'?: string; '@_name': string }; '@_xml:lang': string } } {
  expect(XMLValidator.validate(ssml)).toBe(true);
  return parser.parse(ssml) as ReturnType<typeof parsed>;
}

describe('renderSsml', () => {
  it.each([
    '<speak>hi</speak>',
    'Tom & Jerry &amp; &#x41; &unknown;',
    'end of CDATA ]]> and <![CDATA[ start',
    'He said "hello" and \'bye\'',
    '</voice><voice name="evil">injected',
    '<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e "boom">]>&e;',
    '안녕하세요, 주문 확인 부탁드려요 😀 👍🏽',
    '  leading and trailing spaces  ',
  ])('keeps the user text as character data only: %s', (text) => {
    const doc = parsed(renderSsml(text, 'en'));
    expect(doc.speak.voice['#text']).toBe(text);
    expect(Object.keys(doc.speak.voice).sort()).toEqual(['#text', '@_name']);
  });

  it('chooses the voice and xml:lang by language', () => {
    expect(parsed(renderSsml('안녕', 'ko')).speak).toMatchObject({ '@_xml:lang': 'ko-KR', voice: { '@_name': 'ko-KR-SunHiNeural' } });
    expect(parsed(renderSsml('hi', 'en')).speak).toMatchObject({ '@_xml:lang': 'en-US', voice: { '@_name': 'en-US-JennyNeural' } });
  });

  it('escapes a configured voice name in its attribute', () => {
    const voice = 'x" onload="y\'<>&';
    expect(parsed(renderSsml('hi', 'en', { ko: 'ko', en: voice })).speak.voice['@_name']).toBe(voice);
  });

  it('replaces characters XML 1.0 forbids, so the document still parses', () => {
    const doc = parsed(renderSsml('bell\u0007 nul\u0000 esc\u001b ok\ttab', 'en'));
    expect(doc.speak.voice['#text']).toBe('bell  nul  esc  ok\ttab');
  });
});
