import { availableParallelism } from 'node:os';
import { azurePorts } from '../../core/config.js';
import type { SpeechSynthesizer } from '../ports.js';
import type { Implementation } from '../registry.js';

/** The SpeechSynthesizer implementations: Azure Speech when SPEECH_KEY and SPEECH_REGION are set, else eSpeak NG. */
export const speechSynthesizers: readonly Implementation<SpeechSynthesizer>[] = [
  {
    id: 'azure-speech',
    selectedBy: (config) => azurePorts(config).speech,
    describe: (config) => `Azure Speech (${config.SPEECH_REGION})`,
    async build(config) {
      const { AzureSpeechSynthesizer } = await import('./azure/azure-speech-synthesizer.js');
      return new AzureSpeechSynthesizer({
        key: config.SPEECH_KEY ?? '',
        region: config.SPEECH_REGION ?? '',
        voices: { ko: config.SPEECH_VOICE_KO, en: config.SPEECH_VOICE_EN },
      });
    },
  },
  {
    id: 'espeak-ng',
    selectedBy: (config) => !azurePorts(config).speech,
    describe: (config) => `eSpeak NG (WASM, offline, up to ${config.SPEECH_WORKERS || availableParallelism()} threads)`,
    async build(config, deps) {
      const { EspeakSpeechSynthesizer } = await import('./espeak/espeak-speech-synthesizer.js');
      return new EspeakSpeechSynthesizer({
        idleTimeoutMs: config.SPEECH_IDLE_MS,
        pause: deps.synthesisPause,
        ...(config.SPEECH_WORKERS > 0 ? { threads: config.SPEECH_WORKERS } : {}),
      });
    },
  },
];
