import {
  CancellationDetails,
  ResultReason,
  SpeechConfig,
  SpeechSynthesisOutputFormat,
  SpeechSynthesizer as SdkSpeechSynthesizer,
  type SpeechSynthesisResult,
} from 'microsoft-cognitiveservices-speech-sdk';
import { TalkbackError } from '../../../core/errors.js';
import { redactSecrets } from '../../../core/redact.js';
import { DEFAULT_NEURAL_VOICES, type VoiceMap } from './ssml.js';
import type { SpeechSynthesizer, SynthesisRequest, SynthesizedAudio } from '../../ports.js';
import { ssmlFor } from './azure-speech-ssml.js';
import { translateSpeechCancellation } from './translate-speech-cancellation.js';
import { useNodeWebSocketClient } from './node-websocket.js';

export interface AzureSpeechSynthesizerOptions {
  /** A Speech resource key. */
  key: string;
  /** The resource's region, e.g. 'koreacentral'. */
  region: string;
  /** Neural voice per language; defaults ko-KR-SunHiNeural and en-US-JennyNeural. */
  voices?: VoiceMap;
  /**
   * Longest wait for one synthesis, queueing included (the SDK runs one request at a time per
   * synthesizer). Default 30 000. On a timeout the synthesizer is discarded and rebuilt.
   */
  timeoutMs?: number;
  /** A full WebSocket endpoint instead of the region's (sovereign clouds, private endpoints, tests). */
  endpoint?: string;
}

/** 100-nanosecond ticks per millisecond (the unit of SpeechSynthesisResult.audioDuration). */
const TICKS_PER_MS = 10_000;
/** Bytes per millisecond of the constant 48 kbit/s MP3 the adapter asks for. */
const MP3_BYTES_PER_MS = 48_000 / 8 / 1_000;

/**
 * The service reports the duration in its SessionEnd metadata (the SDK asks for it); should that
 * be missing, the constant bit rate gives it from the byte count.
 */
function durationMsOf(result: SpeechSynthesisResult, data: Buffer): number {
  const ticks = result.audioDuration;
  return typeof ticks === 'number' && ticks > 0 ? Math.round(ticks / TICKS_PER_MS) : Math.round(data.length / MP3_BYTES_PER_MS);
}

/**
 * SpeechSynthesizer on Azure Speech: SSML with a neural voice per language, MP3 24 kHz 48 kbit/s,
 * audio returned in memory (no audio output device). One SDK synthesizer, created on first use and
 * reused, so its WebSocket connection is reused too.
 */
export class AzureSpeechSynthesizer implements SpeechSynthesizer {
  private readonly voices: VoiceMap;
  private readonly timeoutMs: number;
  private readonly config: SpeechConfig;
  private readonly secrets: readonly string[];
  private sdk: SdkSpeechSynthesizer | undefined;
  private closed = false;

  constructor(options: AzureSpeechSynthesizerOptions) {
    useNodeWebSocketClient();
    if (options.key === '' || (options.region === '' && options.endpoint === undefined)) {
      throw new TalkbackError('ConfigInvalid', 'Azure Speech needs a key and a region');
    }
    this.voices = { ...DEFAULT_NEURAL_VOICES, ...options.voices };
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.secrets = [options.key];
    this.config =
      options.endpoint === undefined
        ? SpeechConfig.fromSubscription(options.key, options.region)
        : SpeechConfig.fromEndpoint(new URL(options.endpoint), options.key);
    this.config.speechSynthesisOutputFormat = SpeechSynthesisOutputFormat.Audio24Khz48KBitRateMonoMp3;
  }

  async synthesize(request: SynthesisRequest): Promise<SynthesizedAudio> {
    if (this.closed) throw new TalkbackError('SpeechFailed', 'the speech synthesizer is closed');
    const { ssml, voice } = ssmlFor(request, this.voices);
    const result = await this.speak(ssml);
    if (result.reason === ResultReason.SynthesizingAudioCompleted) {
      const data = Buffer.from(result.audioData);
      if (data.length === 0) {
        throw new TalkbackError('SpeechFailed', 'Azure Speech returned no audio');
      }
      return { data, contentType: 'audio/mpeg', durationMs: durationMsOf(result, data), voice };
    }
    if (result.reason === ResultReason.Canceled) {
      const details = CancellationDetails.fromResult(result);
      throw translateSpeechCancellation(details.reason, details.ErrorCode, details.errorDetails, this.secrets);
    }
    throw new TalkbackError('SpeechFailed', `Azure Speech: unexpected result ${ResultReason[result.reason]}`);
  }

  async close(): Promise<void> {
    this.closed = true;
    await this.discard();
  }

  private speak(ssml: string): Promise<SpeechSynthesisResult> {
    // audioConfig null: no speaker output, the audio comes back in result.audioData.
    const sdk = (this.sdk ??= new SdkSpeechSynthesizer(this.config, null));
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        // The SDK cannot cancel one request; drop this synthesizer so the next call starts clean.
        if (this.sdk === sdk) void this.discard();
        reject(new TalkbackError('Timeout', `Azure Speech: no result within ${this.timeoutMs} ms`));
      }, this.timeoutMs);
      sdk.speakSsmlAsync(
        ssml,
        (result) => {
          clearTimeout(timer);
          resolve(result);
        },
        (error) => {
          clearTimeout(timer);
          reject(new TalkbackError('SpeechFailed', redactSecrets(`Azure Speech: ${error}`, this.secrets)));
        },
      );
    });
  }

  private async discard(): Promise<void> {
    const sdk = this.sdk;
    this.sdk = undefined;
    if (sdk === undefined) return;
    await new Promise<void>((resolve) => sdk.close(resolve, () => resolve()));
  }
}
