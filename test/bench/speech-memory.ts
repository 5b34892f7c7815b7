/**
 * The eSpeak synthesizer's memory and first-message latency in one process, as the pipeline worker
 * runs it: RSS before anything, once the module is compiled (no thread), with one thread, with every
 * thread busy, and after the idle timeout; the time from a synthesize call on a pool with no thread
 * to its result (first ever: the module compiled but no thread ran; after idle: threads ran before).
 * Usage: node --expose-gc --import tsx test/bench/speech-memory.ts [threads] [idleMs]. Prints one JSON line.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { EspeakSpeechSynthesizer } from '../../adapters/speech/espeak/espeak-speech-synthesizer.js';
import { benchText } from './load-generator.js';

const threads = Number(process.argv[2] ?? 2);
const idleTimeoutMs = Number(process.argv[3] ?? 2_000);
const rss = async () => {
  await sleep(300);
  (globalThis as { gc?: () => void }).gc?.();
  await sleep(200);
  return Math.round(process.memoryUsage().rss / 1024 / 1024);
};
const speak = (i: number) => {
  const { text, locale } = benchText(i);
  return synthesizer.synthesize({ text, language: locale.startsWith('ko') ? 'ko' : 'en' });
};
const timed = async (text: string) => {
  const started = performance.now();
  await synthesizer.synthesize({ text, language: 'en' });
  return Math.round(performance.now() - started);
};

const synthesizer = new EspeakSpeechSynthesizer({ threads, idleTimeoutMs });
const out: Record<string, number> = { threads, idleTimeoutMs };
out['rssStartMb'] = await rss();
let started = performance.now();
await synthesizer.prepare();
out['prepareMs'] = Math.round(performance.now() - started);
out['rssPreparedMb'] = await rss();
out['firstMs'] = await timed('ready');
out['secondMs'] = await timed('ready');
for (let i = 0; i < 6; i += 1) await speak(i);
out['rssOneThreadMb'] = await rss();
// Every thread busy with the bench's messages (a third Korean), two at a time per thread.
let next = 0;
started = performance.now();
await Promise.all(
  Array.from({ length: threads * 2 }, async () => {
    while (next < threads * 20) await speak(next++);
  }),
);
out['busyMsgPerS'] = Math.round(((threads * 20) / (performance.now() - started)) * 1000 * 10) / 10;
out['liveThreadsBusy'] = synthesizer.liveThreads;
out['rssAllThreadsMb'] = await rss();
out['perThreadMb'] = Math.round((out['rssAllThreadsMb'] - out['rssPreparedMb']) / threads);
await sleep(idleTimeoutMs + 1_500);
out['liveThreadsIdle'] = synthesizer.liveThreads;
out['rssAfterIdleMb'] = await rss();
out['firstAfterIdleMs'] = await timed('ready');
await synthesizer.close();
process.stdout.write(`${JSON.stringify(out)}\n`);
