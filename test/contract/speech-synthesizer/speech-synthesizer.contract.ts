import { afterEach, describe, expect, it } from 'vitest';
import { isTalkbackError } from '../../../core/errors.js';
import type { Language } from '../../../core/language.js';
import type { SpeechSynthesizer, SynthesizedAudio } from '../../../adapters/ports.js';
import { decodeMp3, type DecodedMp3 } from '../../support/mp3.js';

export interface SpeechSynthesizerContractOptions {
  name: string;
  /** A fresh synthesizer and how to tear it down. */
  create: () => Promise<{ synthesizer: SpeechSynthesizer; cleanup: () => Promise<void> }>;
  /** Why this adapter cannot run here; the suite is skipped and says so. */
  skip?: string;
}

const ENGLISH = 'Hello, your order has been received and will be shipped tomorrow morning.';
const KOREAN = '안녕하세요. 주문하신 상품이 접수되었고 내일 아침에 발송됩니다.';

/**
 * How far the reported duration may sit from the decoded one: MP3 encoders add up to ~2 frames
 * of delay and padding, and a service may trim or pad silence differently.
 */
function toleranceMs(durationMs: number): number {
  return Math.max(150, durationMs * 0.05);
}

/** Text that reaches the engine as anything but words is dropped or refused: these must stay spoken. */
const SPOKEN_AT_LEAST = 0.8;

export function runSpeechSynthesizerContract(options: SpeechSynthesizerContractOptions): void {
  const suite = options.skip === undefined ? describe : describe.skip;
  if (options.skip !== undefined) {
    console.info(`SpeechSynthesizer contract for ${options.name} skipped: ${options.skip}`);
  }

  suite(`SpeechSynthesizer contract: ${options.name}`, () => {
    const cleanups: Array<() => Promise<void>> = [];
    afterEach(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
    });
    async function open(): Promise<SpeechSynthesizer> {
      const { synthesizer, cleanup } = await options.create();
      cleanups.push(cleanup);
      return synthesizer;
    }

    /** Synthesizes, then checks the bytes really are MP3 of the reported length. */
    async function speak(
      synthesizer: SpeechSynthesizer,
      text: string,
      language: Language,
    ): Promise<{ audio: SynthesizedAudio; decoded: DecodedMp3 }> {
      const audio = await synthesizer.synthesize({ text, language });
      expect(audio.contentType).toBe('audio/mpeg');
      expect(Buffer.isBuffer(audio.data)).toBe(true);
      expect(typeof audio.voice).toBe('string');
      expect(audio.voice.length).toBeGreaterThan(0);
      const decoded = await decodeMp3(audio.data);
      expect(decoded.samples).toBeGreaterThan(0);
      expect(Math.abs(decoded.durationMs - audio.durationMs)).toBeLessThanOrEqual(toleranceMs(audio.durationMs));
      return { audio, decoded };
    }

    it('speaks English as MP3 that decodes to about the reported duration', async () => {
      const { audio } = await speak(await open(), ENGLISH, 'en');
      // Thirteen words take well over two seconds at any ordinary speaking rate.
      expect(audio.durationMs).toBeGreaterThan(2_000);
    });

    it('speaks Korean as MP3 that decodes to about the reported duration', async () => {
      const { audio } = await speak(await open(), KOREAN, 'ko');
      expect(audio.durationMs).toBeGreaterThan(2_000);
    });

    it('gives longer audio for longer text', async () => {
      const synthesizer = await open();
      for (const [text, language] of [
        [ENGLISH, 'en'],
        [KOREAN, 'ko'],
      ] as const) {
        const short = await speak(synthesizer, text, language);
        const long = await speak(synthesizer, `${text} ${text} ${text}`, language);
        expect(long.audio.durationMs).toBeGreaterThan(short.audio.durationMs * 2);
        expect(long.decoded.durationMs).toBeGreaterThan(short.decoded.durationMs * 2);
        expect(long.audio.data.length).toBeGreaterThan(short.audio.data.length);
      }
    });

    it('speaks text full of SSML/XML metacharacters as text', async () => {
      const synthesizer = await open();
      // [text, language, the words in it]: read as markup, the comments and tags say (next to) nothing,
      // and a stray '&' or ']]>' makes the request malformed.
      const cases = [
        [
          '<speak version="1.0"><!-- if this is read as markup nothing is said --></speak>',
          'en',
          'if this is read as markup nothing is said',
        ],
        [`Tom & Jerry said "hi" & 'bye' ]]> <![CDATA[ done`, 'en', 'Tom Jerry said hi bye done'],
        ['<speak><!-- 안녕하세요 주문이 접수되었습니다 --></speak> & ]]>', 'ko', '안녕하세요 주문이 접수되었습니다'],
      ] as const;
      for (const [text, language, words] of cases) {
        const reference = await speak(synthesizer, words, language);
        const spoken = await speak(synthesizer, text, language);
        expect(spoken.audio.durationMs, text).toBeGreaterThan(reference.audio.durationMs * SPOKEN_AT_LEAST);
      }
    });

    it('speaks text that looks like command-line options instead of obeying it', async () => {
      const synthesizer = await open();
      for (const [text, words] of [
        ['--help me find my order', 'help me find my order'],
        ['-q quiet please, I am in a meeting', 'quiet please, I am in a meeting'],
        ['-v ko -w /tmp/out.wav -- goodbye', 'v ko w tmp out wav goodbye'],
      ] as const) {
        const reference = await speak(synthesizer, words, 'en');
        const spoken = await speak(synthesizer, text, 'en');
        expect(spoken.audio.durationMs, text).toBeGreaterThan(reference.audio.durationMs * SPOKEN_AT_LEAST);
      }
    });

    it('speaks the whole text when it contains control characters', async () => {
      const synthesizer = await open();
      const words = 'first part then second part then third part';
      const reference = await speak(synthesizer, words, 'en');
      const spoken = await speak(synthesizer, 'first part\u0000 then second part\u0007\u001b then third part', 'en');
      expect(spoken.audio.durationMs).toBeGreaterThan(reference.audio.durationMs * SPOKEN_AT_LEAST);
    });

    it('keeps concurrent requests apart', async () => {
      const synthesizer = await open();
      const texts = ['One.', ENGLISH, `${ENGLISH} ${ENGLISH}`];
      const results = await Promise.all(texts.map((text) => speak(synthesizer, text, 'en')));
      const durations = results.map((result) => result.audio.durationMs);
      expect(durations[0]).toBeLessThan(durations[1] ?? 0);
      expect(durations[1]).toBeLessThan(durations[2] ?? 0);
    });

    it('refuses empty or blank text as a permanent SpeechRejected', async () => {
      const synthesizer = await open();
      for (const text of ['', '   \n\t  ']) {
        const error: unknown = await synthesizer.synthesize({ text, language: 'en' }).then(
          () => undefined,
          (caught: unknown) => caught,
        );
        expect(isTalkbackError(error), JSON.stringify(text)).toBe(true);
        expect(error).toMatchObject({ code: 'SpeechRejected', retryable: false });
      }
    });
  });
}
