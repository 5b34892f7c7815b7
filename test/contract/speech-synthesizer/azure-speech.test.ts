import { AzureSpeechSynthesizer } from '../../../adapters/speech/azure/azure-speech-synthesizer.js';
import { runSpeechSynthesizerContract } from './speech-synthesizer.contract.js';

/**
 * The SpeechSynthesizer contract against the real Azure Speech service. Azure Speech has no local
 * emulator: without a key and region the suite skips and says why. Voices are the production defaults.
 */
const key = process.env.SPEECH_KEY;
const region = process.env.SPEECH_REGION;

runSpeechSynthesizerContract({
  name: 'AzureSpeechSynthesizer',
  skip: key && region ? undefined : 'SPEECH_KEY and SPEECH_REGION not set: no Azure Speech resource reachable from this machine',
  create: async () => {
    const synthesizer = new AzureSpeechSynthesizer({ key: key ?? '', region: region ?? '' });
    return { synthesizer, cleanup: () => synthesizer.close() };
  },
});
