import { TalkbackError } from '../../../core/errors.js';
import { renderSsml, type VoiceMap } from './ssml.js';
import type { SynthesisRequest } from '../../ports.js';

/** Characters that speak as nothing: with only these the service would return empty audio. */
// eslint-disable-next-line no-control-regex
const UNSPOKEN = /[\s\u0000-\u001f\u007f\ufffe\uffff]/g;

/**
 * The SSML the Azure adapter sends for a request, and the neural voice it names. The user's text
 * only ever appears as escaped character data (core/ssml.ts). Blank text is refused here, as a
 * permanent SpeechRejected, before any request is made.
 */
export function ssmlFor(request: SynthesisRequest, voices: VoiceMap): { ssml: string; voice: string } {
  const voice = voices[request.language];
  if (voice === undefined || voice === '') {
    throw new TalkbackError('SpeechRejected', `no Azure voice configured for language "${String(request.language)}"`);
  }
  if (request.text.replace(UNSPOKEN, '') === '') {
    throw new TalkbackError('SpeechRejected', 'nothing to speak: the text is empty');
  }
  return { ssml: renderSsml(request.text, request.language, voices), voice };
}
