import { isTalkbackError, TalkbackError } from '../../../core/errors.js';
import type { Language } from '../../../core/language.js';
import type { SpeechSynthesizer, SynthesisRequest, SynthesizedAudio } from '../../ports.js';
import { EspeakPool } from './espeak-pool.js';
import type { SynthesisPause } from '../synthesis-pause.js';

export interface EspeakSpeechSynthesizerOptions {
  /** eSpeak NG voice per language (`espeak-ng --voices`); defaults: ko → 'ko', en → 'en-us'. */
  voices?: Partial<Record<Language, string>>;
  /** MP3 bit rate, one of the MPEG-2 Layer III rates (eSpeak speaks at 22.05 kHz). Default 64. */
  bitrateKbps?: number;
  /** Words per minute, 80–450; eSpeak's own default is 175. */
  speed?: number;
  /**
   * Longest text accepted, in characters. Default 10 000 (~25 minutes of Korean speech): the WAV
   * is held in memory (~2.5 MB per minute), and 100 000 characters already make ~250 MB of it.
   */
  maxChars?: number;
  /** Synthesis threads at most (default: the cores available). */
  threads?: number;
  /** A synthesis thread idle this long ends (default 30 s); the next message starts one again. */
  idleTimeoutMs?: number;
  /** Pauses the syntheses under way while set (the local host's, while its chat endpoint is busy). */
  pause?: SynthesisPause | undefined;
}

const DEFAULT_VOICES: Record<Language, string> = { ko: 'ko', en: 'en-us' };
const MPEG2_BITRATES = [8, 16, 24, 32, 40, 48, 56, 64, 80, 96, 112, 128, 144, 160];
/** Voice names as eSpeak lists them ('en-us', 'gmw/en-US', 'en+f3'); never one that reads as an option. */
const VOICE_NAME = /^[A-Za-z0-9][A-Za-z0-9_+/-]*$/;

/**
 * What eSpeak receives: plain text without control characters (a NUL would end its input) and
 * without '[[', which its command line reads as the start of phoneme mnemonics. SSML is never
 * parsed because -m is never passed.
 */
export function espeakPlainText(text: string): string {
  return text
    .replace(/\p{Cc}/gu, ' ')
    .replace(/\[(?=\[)/g, '[ ')
    .trim();
}

/**
 * The embedded speech synthesizer: eSpeak NG compiled to WASM (offline, every voice built in),
 * encoded to MP3 with lamejs, on a pool of threads sized to the cores. Robotic next to Azure's neural voices, but needs no account.
 */
export class EspeakSpeechSynthesizer implements SpeechSynthesizer {
  private readonly voices: Record<Language, string>;
  private readonly bitrateKbps: number;
  private readonly engineOptions: string[];
  private readonly maxChars: number;
  private readonly pool: EspeakPool;
  private readonly pending = new Set<Promise<unknown>>();
  private closed = false;

  constructor(options: EspeakSpeechSynthesizerOptions = {}) {
    this.voices = { ...DEFAULT_VOICES, ...options.voices };
    for (const [language, voice] of Object.entries(this.voices)) {
      if (!VOICE_NAME.test(voice)) invalid(`eSpeak voice for ${language} is not a voice name: "${voice}"`);
    }
    this.bitrateKbps = options.bitrateKbps ?? 64;
    if (!MPEG2_BITRATES.includes(this.bitrateKbps)) {
      invalid(`bitrateKbps must be one of ${MPEG2_BITRATES.join(', ')}; got ${this.bitrateKbps}`);
    }
    const speed = options.speed;
    if (speed !== undefined && !(Number.isInteger(speed) && speed >= 80 && speed <= 450)) {
      invalid(`speed must be an integer from 80 to 450 words per minute; got ${speed}`);
    }
    this.engineOptions = speed === undefined ? [] : ['-s', String(speed)];
    this.maxChars = options.maxChars ?? 10_000;
    if (!(Number.isInteger(this.maxChars) && this.maxChars > 0)) invalid(`maxChars must be a positive integer`);
    if (options.threads !== undefined && !(Number.isInteger(options.threads) && options.threads > 0)) {
      invalid(`threads must be a positive integer; got ${options.threads}`);
    }
    if (options.idleTimeoutMs !== undefined && !(Number.isInteger(options.idleTimeoutMs) && options.idleTimeoutMs > 0)) {
      invalid(`idleTimeoutMs must be a positive integer; got ${options.idleTimeoutMs}`);
    }
    this.pool = new EspeakPool({
      voices: Object.values(this.voices),
      ...(options.threads === undefined ? {} : { threads: options.threads }),
      ...(options.idleTimeoutMs === undefined ? {} : { idleTimeoutMs: options.idleTimeoutMs }),
      pause: options.pause,
    });
  }

  /** How many syntheses run at once, at most. */
  get threads(): number {
    return this.pool.threads;
  }

  /** Synthesis threads alive now: none until the first message, none again once idle. */
  get liveThreads(): number {
    return this.pool.liveThreads;
  }

  /** Compiles the engine ahead of the first message, without starting a thread. */
  prepare(): Promise<void> {
    return this.pool.prepare();
  }

  async synthesize(request: SynthesisRequest): Promise<SynthesizedAudio> {
    if (this.closed) throw new TalkbackError('SpeechFailed', 'the speech synthesizer is closed');
    const voice = this.voices[request.language];
    if (voice === undefined) {
      throw new TalkbackError('SpeechRejected', `no eSpeak voice for language "${String(request.language)}"`);
    }
    const text = espeakPlainText(request.text);
    if (text === '') throw new TalkbackError('SpeechRejected', 'nothing to speak: the text is empty');
    if (text.length > this.maxChars) {
      throw new TalkbackError('SpeechRejected', `text too long to speak: ${text.length} > ${this.maxChars} characters`, {
        details: { chars: text.length, maxChars: this.maxChars },
      });
    }

    const work = this.speak(voice, text);
    this.pending.add(work);
    try {
      return await work;
    } catch (error) {
      if (isTalkbackError(error)) throw error;
      // The runtime or the encoder failed (compile, instantiate, a trap such as out of memory):
      // not the text's fault, so another attempt may succeed.
      const message = `eSpeak NG failed: ${describe(error)}`;
      throw new TalkbackError('SpeechFailed', message, { cause: error });
    } finally {
      this.pending.delete(work);
    }
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.allSettled([...this.pending]);
    await this.pool.close();
  }

  private async speak(voice: string, text: string): Promise<SynthesizedAudio> {
    const { data, durationMs } = await this.pool.render({ voice, options: this.engineOptions, text, bitrateKbps: this.bitrateKbps });
    return { data, contentType: 'audio/mpeg', durationMs, voice };
  }
}

function invalid(message: string): never {
  throw new TalkbackError('ConfigInvalid', message);
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
