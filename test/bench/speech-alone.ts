/**
 * The speech engine alone, for the bench's drain comparison: the embedded synthesizer with
 * `threads` threads speaks the same texts the bench posts, `threads × 2` at a time, at the pipeline
 * worker's CPU priority (the bench runs it under `npm start`'s Node flags).
 * Usage: speech-alone.ts <count> <threads>. Prints {"messages","threads","seconds","perSecond","cpuMsPerMessage"}.
 */
import { setPriority } from 'node:os';
import { EspeakSpeechSynthesizer } from '../../adapters/speech/espeak/espeak-speech-synthesizer.js';
import { benchText } from './load-generator.js';

const count = Number(process.argv[2] ?? 120);
const threads = Number(process.argv[3] ?? 2);
// The pipeline worker's priority (PIPELINE_NICE, default 10), so that both compete alike with whatever else runs.
setPriority(0, Number(process.env['PIPELINE_NICE'] || 10));
const synthesizer = new EspeakSpeechSynthesizer({ threads });
// Warm every thread (each compiles its own WASM module), as the host's warm-up and first messages do.
await Promise.all(Array.from({ length: threads }, () => synthesizer.synthesize({ text: 'ready', language: 'en' })));
const started = performance.now();
const cpuBefore = process.cpuUsage();
let next = 0;
await Promise.all(
  Array.from({ length: threads * 2 }, async () => {
    while (next < count) {
      const { text, locale } = benchText(next++);
      await synthesizer.synthesize({ text, language: locale.startsWith('ko') ? 'ko' : 'en' });
    }
  }),
);
const seconds = (performance.now() - started) / 1000;
// The whole process's CPU (every thread: the synthesis threads' and this one's), as the bench reads the host's during a drain.
const cpu = process.cpuUsage(cpuBefore);
const cpuMsPerMessage = Math.round(((cpu.user + cpu.system) / 1000 / count) * 100) / 100;
await synthesizer.close();
process.stdout.write(`${JSON.stringify({ messages: count, threads, seconds: Math.round(seconds * 10) / 10, perSecond: Math.round((count / seconds) * 100) / 100, cpuMsPerMessage })}\n`);
