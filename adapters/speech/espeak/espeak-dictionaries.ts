import type { EmbeddedFile } from './emscripten-embedded-files.js';

/**
 * The dictionaries eSpeak NG loads by itself for words written in another script: it switches
 * language for them (Hangul in an English text is read with the Korean dictionary, Latin letters
 * in a Korean text with the English one). Found by speaking every Unicode block up to U+2FFFF with
 * the en-us and ko voices and noting the files eSpeak opened; kept whatever the voices, so a
 * message speaks exactly as with every dictionary (test/unit/adapters/speech/espeak/ compares the
 * audio). Together ~1.4 MB of the 17 MB of dictionaries the package embeds (ru_dict alone is 8.5 MB).
 */
export const SCRIPT_DICTIONARIES: readonly string[] = ['en', 'ko', 'el', 'hy', 'hi', 'bn', 'pa', 'gu', 'ta', 'te', 'kn', 'ml', 'si', 'ka'];

const LANG = '/espeak-ng-data/lang/';
const DICTIONARY = /\/espeak-ng-data\/([^/]+)_dict$/;

/**
 * The dictionary a voice loads, as its language file says ('dictionary', else the first
 * 'language' up to its '-': en-us → en); undefined when no language file is that voice.
 */
export function voiceDictionary(voice: string, files: readonly EmbeddedFile[]): string | undefined {
  const name = (voice.split('+')[0] ?? '').toLowerCase();
  const file = files.find(({ path }) => {
    const at = path.indexOf(LANG);
    const relative = at < 0 ? undefined : path.slice(at + LANG.length).toLowerCase();
    return relative !== undefined && (relative === name || relative.endsWith(`/${name}`));
  });
  if (file === undefined) return undefined;
  const text = Buffer.from(file.bytes).toString('utf8');
  return /^dictionary\s+(\S+)/m.exec(text)?.[1] ?? /^language\s+([^\s-]+)/m.exec(text)?.[1];
}

/**
 * Which embedded files the voices need: all but the dictionaries of other languages. Undefined
 * (keep everything) when a voice has no language file to say which dictionary it loads.
 */
export function filesForVoices(voices: readonly string[], files: readonly EmbeddedFile[]): ((path: string) => boolean) | undefined {
  const wanted = new Set(SCRIPT_DICTIONARIES);
  for (const voice of voices) {
    const dictionary = voiceDictionary(voice, files);
    if (dictionary === undefined) return undefined;
    wanted.add(dictionary);
  }
  return (path) => {
    const dictionary = DICTIONARY.exec(path)?.[1];
    return dictionary === undefined || wanted.has(dictionary);
  };
}
