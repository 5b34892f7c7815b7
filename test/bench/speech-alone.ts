/**
 * The speech engine alone, for the bench's drain comparison: the embedded synthesizer with
 * `threads` threads speaks the same texts the bench posts, `threads × 2` at a time, at the pipeline
 * worker's CPU priority (the bench runs it under `npm start`'s Node flags). Before it is timed it
 * speaks `warm` other texts: the host's drains that the bench compares (the median of three, after the
 * first) run on threads that have spoken a drain already, and measured here a cold engine did ~15%
 * less than one warmed with 120 messages (19.0, 17.6, 13.6 msg/s against 21.8, 17.6, 20.9).
 * Usage: speech-alone.ts <count> <threads> [warm]. Prints {"messages","threads","warm","seconds","perSecond","cpuMsPerMessage"}.
 */
import { setPriority } from 'node:os';
import { EspeakSpeechSynthesizer } from '../../adapters/speech/espeak/espeak-speech-synthesizer.js';
import { benchText } from './load-generator.js';

const count = Number(process.argv[2] ?? 120);
const threads = Number(process.argv[3] ?? 2);
const warm = Number(process.argv[4] ?? 0);
// The pipeline worker's priority (PIPELINE_NICE, default 10), so that both compete alike with whatever else runs.
setPriority(0, Number(process.env['PIPELINE_NICE'] || 10));
const synthesizer = new EspeakSpeechSynthesizer({ threads });
/** Speaks the bench's texts `from`..`to` (exclusive), `threads × 2` at a time. */
async function speak(from: number, to: number): Promise<void> {
  let next = from;
  await Promise.all(
    Array.from({ length: threads * 2 }, async () => {
      while (next < to) {
        const { text, locale } = benchText(next++);
        await synthesizer.synthesize({ text, language: locale.startsWith('ko') ? 'ko' : 'en' });
      }
    }),
  );
}

// Warm every thread (each compiles its own WASM module), as the host's warm-up and first messages do,
await Promise.all(Array.from({ length: threads }, () => synthesizer.synthesize({ text: 'ready', language: 'en' })));
// then as a drain before did (other texts than the timed ones).
await speak(count, count + warm);
const started = performance.now();
const cpuBefore = process.cpuUsage();
await speak(0, count);
const seconds = (performance.now() - started) / 1000;
// The whole process's CPU (every thread: the synthesis threads' and this one's), as the bench reads the host's during a drain.
const cpu = process.cpuUsage(cpuBefore);
const cpuMsPerMessage = Math.round(((cpu.user + cpu.system) / 1000 / count) * 100) / 100;
await synthesizer.close();
process.stdout.write(`${JSON.stringify({ messages: count, threads, warm, seconds: Math.round(seconds * 10) / 10, perSecond: Math.round((count / seconds) * 100) / 100, cpuMsPerMessage })}\n`);
