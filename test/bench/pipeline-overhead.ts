/**
 * npm run bench:pipeline — the pipeline's own CPU per message, beside synthesis: what a drained message
 * costs on top of the speech engine (issue 7's drain target is the ratio of the two).
 *
 * The local host's composition (createPorts from the config: the SQLite bus and store, the folder audio
 * store, the outbox) runs its pumps on this thread, with two ports replaced: a speech engine that
 * answers with audio eSpeak synthesized once per text before the rounds (so synthesis costs nothing and
 * everything else is measured), and an in-memory chat channel (a reply's HTTP call to a channel costs
 * ~1 ms more, not counted here). Each round publishes BENCH_PIPELINE_MESSAGES (300) messages at once,
 * or BENCH_PIPELINE_RATE a second as a drain meets them (⅓ Korean, 40 conversations), and waits until
 * every subscription is empty; CPU time comes from /proc (Linux): the whole process, this thread, and
 * libuv's pool. BENCH_ROUNDS (5) rounds after a warm-up of 60; prints each and the medians, writes
 * bench-results/pipeline-overhead.json.
 *
 * Not the host's exact figure: there the pipeline runs on a worker thread with a 4 MB young generation
 * (more frequent scavenges) and the data folder is the host's; run it with the flags of `npm start`
 * (the script does). Compare runs of the same moment: the machine's speed moves these figures too.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import pino from 'pino';
import { createPorts } from '../../adapters/index.js';
import { MemoryChatChannel } from '../../adapters/chat/memory-chat-channel.js';
import type { SpeechSynthesizer, SynthesisRequest, SynthesizedAudio } from '../../adapters/ports.js';
import { EspeakSpeechSynthesizer } from '../../adapters/speech/espeak/espeak-speech-synthesizer.js';
import { loadConfig } from '../../core/config.js';
import { createLogger } from '../../core/logger.js';
import { subscriptions } from '../../functions/all.js';
import type { FunctionContext } from '../../functions/context.js';
import { startPipeline } from '../../local/pipeline.js';
import { messageReceivedEvent } from '../support/events.js';
import { cpuOf, cpuPerMessage, threadCpuOf, threadCpuPerMessage, type ThreadInfo } from './process-cpu.js';
import { median } from './rounds.js';

const MESSAGES = Number(process.env['BENCH_PIPELINE_MESSAGES'] ?? 300);
const ROUNDS = Number(process.env['BENCH_ROUNDS'] ?? 5);
/** Messages published per second (0: all at once). A host's drain meets them at its synthesis's pace, ~15 msg/s on 2 cores: each its own commits. */
const RATE = Number(process.env['BENCH_PIPELINE_RATE'] ?? 0);
const WARM = 60;
const TEXTS: ReadonlyArray<{ text: string; language: 'en' | 'ko' }> = [
  { text: 'Hello, is my order ready?', language: 'en' },
  { text: 'Could you tell me when the shop opens tomorrow morning?', language: 'en' },
  { text: '안녕하세요, 주문한 물건이 언제 도착하나요?', language: 'ko' },
];

/** Answers each text with the audio the real engine made for it once: synthesis costs nothing here. */
class PresynthesizedSpeech implements SpeechSynthesizer {
  private readonly audio = new Map<string, SynthesizedAudio>();
  async prepareTexts(): Promise<void> {
    const engine = new EspeakSpeechSynthesizer();
    try {
      for (const t of TEXTS) this.audio.set(t.text, await engine.synthesize(t));
    } finally {
      await engine.close();
    }
  }
  async synthesize(request: SynthesisRequest): Promise<SynthesizedAudio> {
    const audio = this.audio.get(request.text);
    if (!audio) throw new Error(`no audio prepared for ${JSON.stringify(request.text)}`);
    return { ...audio, data: Buffer.from(audio.data) };
  }
  async close(): Promise<void> {}
}

/** This process's threads for the figures: this one (the pumps, the stores, the mail) and libuv's pool (the syncs). */
const threadGroup = (thread: ThreadInfo) => (thread.main ? 'this thread' : thread.comm.startsWith('libuv-worker') ? 'libuv' : 'other');

interface Round {
  messages: number;
  seconds: number;
  /** CPU ms per message: the whole process, this thread (the pumps, the stores, the mail), libuv's pool (the syncs). */
  processMs?: number;
  threadMs?: number;
  libuvMs?: number;
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'talkback-pipeline-bench-'));
const config = loadConfig({ TALKBACK_DATA_DIR: dir, STAFF_EMAILS: 'a@example.test, b@example.test', LOG_LEVEL: 'warn' });
const logger = createLogger(config.LOG_LEVEL, pino.destination({ dest: 2, sync: true }));
const speech = new PresynthesizedSpeech();
await speech.prepareTexts();
// As the pipeline worker (local/pipeline-main.ts) makes them: its file calls on its own thread.
const ports = createPorts(config, { subscriptions, logger, blockingFileCalls: true, overrides: { speech, chat: new MemoryChatChannel() } });
const app: FunctionContext = { ports, config, logger, now: () => new Date(), settlement: 'pump', workerId: 'bench-pipeline' };
const pipeline = await startPipeline(app);
const bus = await ports.bus();
const peek = new Database(path.join(dir, 'bus.sqlite'), { readonly: true });
const countActive = peek.prepare("SELECT count(*) FROM messages WHERE state = 'active'").pluck();
const countDead = peek.prepare("SELECT count(*) FROM messages WHERE state = 'dead'").pluck();

async function round(count: number, tag: string): Promise<Round> {
  const started = performance.now();
  const cpu = cpuOf(process.pid);
  const threads = threadCpuOf(process.pid, threadGroup);
  for (let i = 0; i < count; i++) {
    const dueIn = RATE > 0 ? started + (i * 1000) / RATE - performance.now() : 0;
    if (dueIn > 0) await new Promise((resolve) => setTimeout(resolve, dueIn));
    const t = TEXTS[i % TEXTS.length]!;
    await bus.publish(messageReceivedEvent({ data: { text: t.text, language: t.language, conversationId: `${tag}-${i % 40}` } }));
  }
  while ((countActive.get() as number) > 0) await new Promise((resolve) => setTimeout(resolve, 20));
  const seconds = (performance.now() - started) / 1000;
  const perMessage = cpuPerMessage(cpu, cpuOf(process.pid), count);
  const byThread = threadCpuPerMessage(threads, threadCpuOf(process.pid, threadGroup), count);
  const dead = countDead.get() as number;
  if (dead > 0) throw new Error(`${dead} messages were dead-lettered: the figures would not be of a working pipeline`);
  return {
    messages: count,
    seconds: Math.round(seconds * 100) / 100,
    ...(perMessage && { processMs: perMessage.processMs, threadMs: perMessage.mainThreadMs }),
    ...(byThread && { libuvMs: byThread['libuv'] ?? 0 }),
  };
}

const show = (r: Round) =>
  `${r.messages} messages in ${r.seconds} s (${Math.round(r.messages / r.seconds)} msg/s); CPU ms per message: process ${r.processMs ?? '—'}, this thread ${r.threadMs ?? '—'}, libuv's pool ${r.libuvMs ?? '—'}`;

try {
  console.log(`warm-up: ${show(await round(WARM, 'warm'))}`);
  const rounds: Round[] = [];
  for (let k = 1; k <= ROUNDS; k++) {
    rounds.push(await round(MESSAGES, `round${k}`));
    console.log(`round ${k} of ${ROUNDS}: ${show(rounds.at(-1)!)}`);
  }
  const med = (pick: (r: Round) => number | undefined) => {
    const values = rounds.map(pick).filter((v): v is number => v !== undefined);
    return values.length > 0 ? median(values) : undefined;
  };
  const result = {
    date: new Date().toISOString(),
    node: process.version,
    cpus: os.cpus()[0]?.model,
    settings: { messages: MESSAGES, rounds: ROUNDS, ratePerSecond: RATE },
    median: { processMs: med((r) => r.processMs), threadMs: med((r) => r.threadMs), libuvMs: med((r) => r.libuvMs) },
    rounds,
  };
  console.log(`median CPU ms per message beside synthesis: process ${result.median.processMs ?? '—'}, this thread ${result.median.threadMs ?? '—'}, libuv's pool ${result.median.libuvMs ?? '—'}`);
  mkdirSync('bench-results', { recursive: true });
  writeFileSync('bench-results/pipeline-overhead.json', `${JSON.stringify(result, null, 2)}\n`);
} finally {
  await pipeline.stop(5_000);
  await ports.close();
  peek.close();
  rmSync(dir, { recursive: true, force: true });
}
