import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../../core/config.js';
import type { BuildDeps } from '../../../../adapters/registry.js';
import { speechSynthesizers } from '../../../../adapters/speech/speech-synthesizers.js';
import { SynthesisPause } from '../../../../adapters/speech/synthesis-pause.js';

describe('speechSynthesizers', () => {
  it('builds the embedded synthesizer with the host pipeline\'s synthesis pause, which its threads then wait for', async () => {
    const espeak = speechSynthesizers.find((implementation) => implementation.id === 'espeak-ng')!;
    const pause = new SynthesisPause({ budgetMs: 700 });
    // The build reads nothing else of its dependencies.
    const synthesizer = await espeak.build(loadConfig({ SPEECH_WORKERS: '1' }), { synthesisPause: pause } as Partial<BuildDeps> as BuildDeps);
    try {
      const speak = () => synthesizer.synthesize({ text: 'Where is my order?', language: 'en' });
      await speak(); // compiled, and its thread up and warm
      pause.set(true);
      const started = Date.now();
      const audio = await speak();
      expect(Date.now() - started).toBeGreaterThanOrEqual(700);
      expect(audio.data.length).toBeGreaterThan(0);
    } finally {
      await synthesizer.close();
    }
  });
});
