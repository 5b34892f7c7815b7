import { EspeakSpeechSynthesizer } from '../../adapters/speech/espeak-speech-synthesizer.js';
import { runSpeechSynthesizerContract } from './speech-synthesizer.contract.js';

runSpeechSynthesizerContract({
  name: 'EspeakSpeechSynthesizer',
  create: async () => {
    const synthesizer = new EspeakSpeechSynthesizer();
    return { synthesizer, cleanup: () => synthesizer.close() };
  },
});

// ---- Azure Speech joins here once adapters/speech/azure-speech-synthesizer.ts exists: ----------
// runSpeechSynthesizerContract({
//   name: 'AzureSpeechSynthesizer',
//   skip:
//     process.env.SPEECH_KEY && process.env.SPEECH_REGION
//       ? undefined
//       : 'SPEECH_KEY and SPEECH_REGION are not set (Azure Speech has no local emulator)',
//   create: async () => {
//     const synthesizer = new AzureSpeechSynthesizer({
//       key: process.env.SPEECH_KEY ?? '',
//       region: process.env.SPEECH_REGION ?? '',
//       voices: { ko: 'ko-KR-SunHiNeural', en: 'en-US-JennyNeural' },
//     });
//     return { synthesizer, cleanup: () => synthesizer.close() };
//   },
// });
