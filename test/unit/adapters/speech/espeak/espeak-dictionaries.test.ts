import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { filesForVoices, SCRIPT_DICTIONARIES, voiceDictionary } from '../../../../../adapters/speech/espeak/espeak-dictionaries.js';
import { embeddedFiles } from '../../../../../adapters/speech/espeak/emscripten-embedded-files.js';

const files = embeddedFiles(readFileSync(join(dirname(createRequire(import.meta.url).resolve('espeak-ng')), 'espeak-ng.wasm')));
const DATA = '/usr/local/share/espeak-ng-data';

describe('the eSpeak dictionaries a set of voices needs', () => {
  it("reads a voice's dictionary from its language file, whichever way the voice is named", () => {
    expect(voiceDictionary('en-us', files)).toBe('en');
    expect(voiceDictionary('gmw/en-US', files)).toBe('en');
    expect(voiceDictionary('en+f3', files)).toBe('en');
    expect(voiceDictionary('ko', files)).toBe('ko');
    expect(voiceDictionary('nb', files)).toBe('no'); // its file says "dictionary no"
    expect(voiceDictionary('no-such-voice', files)).toBeUndefined();
  });

  it("keeps the voices' dictionaries, those eSpeak switches to for other scripts, and every other file", () => {
    const keep = filesForVoices(['en-us', 'ko', 'nb'], files)!;
    for (const dictionary of ['en', 'ko', 'no', ...SCRIPT_DICTIONARIES]) expect(keep(`${DATA}/${dictionary}_dict`), dictionary).toBe(true);
    for (const dictionary of ['ru', 'cmn', 'fr', 'de']) expect(keep(`${DATA}/${dictionary}_dict`), dictionary).toBe(false);
    for (const other of ['phondata', 'phontab', 'intonations', 'lang/ko', 'lang/gmq/nb', 'voices/!v/f3']) expect(keep(`${DATA}/${other}`), other).toBe(true);
  });

  it('keeps everything when a voice has no language file to say which dictionary it loads', () => {
    expect(filesForVoices(['en-us', 'mb-en1'], files)).toBeUndefined();
  });
});
