import { EspeakSpeechSynthesizer } from '../../../adapters/speech/espeak/espeak-speech-synthesizer.js';
import { runSpeechSynthesizerContract } from './speech-synthesizer.contract.js';

runSpeechSynthesizerContract({
  name: 'EspeakSpeechSynthesizer',
  create: async () => {
    const synthesizer = new EspeakSpeechSynthesizer();
    return { synthesizer, cleanup: () => synthesizer.close() };
  },
});

// Azure Speech runs the same contract in speech-synthesizer.azure.test.ts (skipped without SPEECH_KEY/SPEECH_REGION).
