/**
 * npm run bench — the local host against two peers, side by side, in one run on this machine:
 *  - a bare node:http JSON echo, a bare botbuilder CloudAdapter echo bot, and talkback (`npm start`'s
 *    build, then its command run by node itself), all replying to the same connector sink (its own process);
 *  - each at saturation (16 connections, 10 s) and at fixed 50 and 200 msg/s for 10 s (ack p50/p99,
 *    achieved rps), from a load generator in its own process; talkback while its pipeline works
 *    through a backlog;
 *  - talkback's pipeline drain rate (120 messages, ⅓ Korean, posted → emailed and replied) next to
 *    the speech engine alone with the same number of synthesis threads, warmed with as many messages;
 *  - RSS (the host's whole process tree: one process since the pipeline became a thread) idle after start, just after the first messages, and under a
 *    2,000-message backlog;
 *  - talkback again on a data folder seeded with BENCH_HISTORY (20,000) finished interactions.
 * Every load window and every drain runs BENCH_ROUNDS (3) times and counts by its median (test/bench/rounds.ts);
 * the speech engine alone runs just before each of the empty folder's drains.
 * Writes bench-results/throughput.json and prints the table (markdown) with the machine it ran on.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { startCommand } from '../support/host-process.js';
import type { LoadResult, LoadSpec } from './load-generator.js';
import { type LoadRounds, type MeasuredLoad, median, medianCpu, medianOf, ROUNDS, roundOf, spread } from './rounds.js';
import { cpuOf, cpuPerMessage, threadCpuOf, threadCpuPerMessage, type CpuReading, type ThreadInfo } from './process-cpu.js';
import { treeRssMb } from './process-tree.js';

const DURATION_MS = Number(process.env['BENCH_DURATION_MS'] ?? 10_000);
const DRAIN_MESSAGES = Number(process.env['BENCH_DRAIN_MESSAGES'] ?? 120);
const BACKLOG = Number(process.env['BENCH_BACKLOG'] ?? 2_000);
const HISTORY = Number(process.env['BENCH_HISTORY'] ?? 20_000);
const SPEECH_WORKERS = Number(process.env['SPEECH_WORKERS'] || availableParallelism());
const TSX = ['--import', 'tsx'];
const log = (line: string) => process.stdout.write(`${line}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Starts a child that prints "listening on <url>"; resolves with its url. */
async function startServer(args: string[], env: Record<string, string> = {}): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(process.execPath, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const match = /listening on (http:\/\/[^\s)]+)/.exec(out);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`${args.join(' ')} exited with ${code}:\n${out}`)));
  });
  return { url, child };
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
  await exited;
  clearTimeout(timer);
}

/** Runs a bench script in its own process and parses the JSON line it prints last. */
async function runJson<T>(script: string, args: string[], nodeFlags: string[] = []): Promise<T> {
  const child = spawn(process.execPath, [...nodeFlags, ...TSX, path.resolve('test/bench', script), ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  const code = await new Promise<number | null>((r) => child.once('exit', r));
  if (code !== 0) throw new Error(`${script} exited with ${code}`);
  return JSON.parse(out.trim().split('\n').at(-1) ?? '{}') as T;
}

const load = (spec: LoadSpec) => runJson<LoadResult>('load-generator.ts', [JSON.stringify(spec)]);

/** A load window with the CPU the server `pid` used per acknowledged message meanwhile (the generator's settling second included: the server idles through it). */
async function measuredLoad(pid: number, spec: LoadSpec): Promise<MeasuredLoad> {
  const before = cpuOf(pid);
  const result = await load(spec);
  return { ...result, cpuPerAck: cpuPerMessage(before, cpuOf(pid), result.ok) };
}

interface Sink {
  url: string;
  count(prefix: string): Promise<{ replies: number; proactive: number; lastProactiveAt: number }>;
}

interface Windows {
  saturation: LoadRounds;
  rate50: LoadRounds;
  rate200: LoadRounds;
}

/**
 * The three loads, BENCH_ROUNDS times in turn (saturation, 50, 200 msg/s; again), each summarised by
 * the median of its rounds. `label` names the server in the progress lines, `tag` in the activities' ids.
 */
async function windows(label: string, tag: string, url: string, serviceUrl: string, pid: number): Promise<Windows> {
  const rounds: Record<keyof Windows, MeasuredLoad[]> = { saturation: [], rate50: [], rate200: [] };
  const base = { url, serviceUrl, durationMs: DURATION_MS };
  for (let k = 1; k <= ROUNDS; k++) {
    const of = roundOf(k);
    log(`${label}: saturation${of}`);
    rounds.saturation.push(await measuredLoad(pid, { ...base, mode: 'saturate', connections: 16, prefix: `${tag}-sat${k}` }));
    log(`${label}: 50 msg/s${of}`);
    rounds.rate50.push(await measuredLoad(pid, { ...base, mode: 'rate', rate: 50, prefix: `${tag}-r50-${k}` }));
    log(`${label}: 200 msg/s${of}`);
    rounds.rate200.push(await measuredLoad(pid, { ...base, mode: 'rate', rate: 200, prefix: `${tag}-r200-${k}` }));
  }
  return { saturation: medianOf(rounds.saturation), rate50: medianOf(rounds.rate50), rate200: medianOf(rounds.rate200) };
}

async function peers(sink: Sink) {
  const results: Record<string, Windows> = {};
  for (const kind of ['node-http', 'cloud-adapter']) {
    const server = await startServer([...TSX, path.resolve('test/bench/echo-servers.ts'), kind]);
    results[kind] = await windows(kind, kind, server.url, sink.url, server.child.pid!);
    await stop(server.child);
  }
  return results;
}

/**
 * Emails in the outbox and when the newest was written. Only names not seen before are stat'ed: the
 * bench polls this while the pipeline drains, and with 20,000 stored emails a stat of every file each
 * poll would be the bench, not talkback, growing with history.
 */
function outboxWatcher(outbox: string): () => { count: number; newestMs: number } {
  const seen = new Set<string>();
  let newestMs = 0;
  return () => {
    let names: string[] = [];
    try {
      names = readdirSync(outbox);
    } catch {
      // no outbox yet
    }
    for (const name of names) {
      if (!name.endsWith('.eml') || seen.has(name)) continue;
      seen.add(name);
      try {
        newestMs = Math.max(newestMs, statSync(path.join(outbox, name)).mtimeMs);
      } catch {
        // removed meanwhile
      }
    }
    return { count: seen.size, newestMs };
  };
}

async function waitUntil(check: () => Promise<boolean> | boolean, timeoutMs: number, what: string): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(200);
  }
}

interface SpeechAlone {
  perSecond: number;
  seconds: number;
  /** CPU (all its threads) per message spoken. */
  cpuMsPerMessage: number;
}

/**
 * The host's threads by what they do, told apart by their CPU priority (the host's defaults: the
 * pipeline worker at PIPELINE_NICE 10, its synthesis threads 5 steps lower, adapters/speech/espeak/
 * espeak-worker.ts): the chat endpoint is the main thread; libuv's pool runs the syncs and file reads;
 * 'v8 and other' is V8's platform threads (compilation) and Node's own.
 */
function hostThreadGroup(thread: ThreadInfo): string {
  if (thread.main) return 'endpoint';
  if (thread.comm.startsWith('libuv-worker')) return 'libuv';
  if (thread.nice === 15) return 'synthesis';
  if (thread.nice === 10) return 'pipeline';
  return 'v8 and other';
}

/** The median of each group over the rounds that read it. */
function medianGroups(readings: (Record<string, number> | undefined)[]): Record<string, number> | undefined {
  const read = readings.filter((r): r is Record<string, number> => r !== undefined);
  if (read.length === 0) return undefined;
  const groups = [...new Set(read.flatMap((r) => Object.keys(r)))];
  return Object.fromEntries(groups.map((g) => [g, median(read.map((r) => r[g] ?? 0))]));
}

/**
 * The pipeline's drain: DRAIN_MESSAGES posted at once, timed until every one is emailed and replied;
 * BENCH_ROUNDS times, one batch after the other. With `speechAlone`, the speech engine alone runs just
 * before each batch (the host idle meanwhile), so that each pair meets the machine as it is then.
 */
async function drainRounds(sink: Sink, base: { url: string; serviceUrl: string }, pid: number, tag: string, outbox: string, speechAlone?: () => Promise<SpeechAlone>) {
  const emlStats = outboxWatcher(outbox);
  const drains: number[] = [];
  const cpu: (CpuReading | undefined)[] = [];
  const byThread: (Record<string, number> | undefined)[] = [];
  const alone: SpeechAlone[] = [];
  for (let k = 1; k <= ROUNDS; k++) {
    const of = roundOf(k);
    if (speechAlone) {
      log(`speech alone: ${DRAIN_MESSAGES} messages on ${SPEECH_WORKERS} threads${of}`);
      alone.push(await speechAlone());
    }
    log(`talkback ${tag}: drain ${DRAIN_MESSAGES} messages${of}`);
    const prefix = `${tag}-drain${k}`;
    const emlBefore = emlStats().count;
    const cpuBefore = cpuOf(pid);
    const threadsBefore = threadCpuOf(pid, hostThreadGroup);
    // From the first message posted: not the load generator's own start (loading, then 1 s to settle).
    const { startedAt: drainStarted } = await load({ ...base, mode: 'rate', rate: DRAIN_MESSAGES * 2, durationMs: 500, prefix });
    let emails = emlStats();
    await waitUntil(
      async () => (await sink.count(prefix)).proactive >= DRAIN_MESSAGES && (emails = emlStats()).count - emlBefore >= DRAIN_MESSAGES,
      20 * 60_000,
      'the drain messages to be emailed and replied',
    );
    // The whole host's CPU (intake, pipeline, synthesis threads) per message, read within ~0.2 s of the drain's end.
    cpu.push(cpuPerMessage(cpuBefore, cpuOf(pid), DRAIN_MESSAGES));
    byThread.push(threadCpuPerMessage(threadsBefore, threadCpuOf(pid, hostThreadGroup), DRAIN_MESSAGES));
    const drainEnded = Math.max((await sink.count(prefix)).lastProactiveAt, emails.newestMs);
    drains.push(Math.round((DRAIN_MESSAGES / ((drainEnded - drainStarted) / 1000)) * 100) / 100);
  }
  return {
    drain: { messages: DRAIN_MESSAGES, perSecond: median(drains), rounds: drains, cpuMsPerMessage: medianCpu(cpu)?.processMs, cpuMsPerMessageByThread: medianGroups(byThread) },
    speechAlone: speechAlone
      ? { perSecond: median(alone.map((a) => a.perSecond)), rounds: alone.map((a) => a.perSecond), cpuMsPerMessage: median(alone.map((a) => a.cpuMsPerMessage)) }
      : undefined,
  };
}

async function talkback(sink: Sink, tag: string, dataDir: string, speechAlone?: () => Promise<SpeechAlone>) {
  const outbox = path.join(dataDir, 'outbox');
  const host = await startServer(await startCommand(), {
    PORT: '0',
    AZURITE_BLOB_PORT: '0',
    TALKBACK_DATA_DIR: dataDir,
    LOG_LEVEL: 'warn',
    LOG_FORMAT: 'json',
    SHUTDOWN_GRACE_MS: '2000',
  });
  const pid = host.child.pid!;
  const base = { url: host.url, serviceUrl: sink.url };
  try {
    // Idle after start: intake and pipeline worker up, nothing received yet (the worker loads while the intake listens).
    await sleep(10_000);
    const rssIdleMb = treeRssMb(pid);
    log(`talkback ${tag}: warm-up`);
    await load({ ...base, mode: 'rate', rate: SPEECH_WORKERS * 10, durationMs: 100, prefix: `${tag}-warm` });
    await waitUntil(async () => (await sink.count(`${tag}-warm`)).proactive >= 1, 180_000, 'the warm-up reply');
    await sleep(3_000);
    // ...and idle again just after its first messages (synthesis threads still alive).
    const rssWarmMb = treeRssMb(pid);

    const { drain, speechAlone: alone } = await drainRounds(sink, base, pid, tag, outbox, speechAlone);

    log(`talkback ${tag}: a ${BACKLOG}-message backlog`);
    let rssBacklogMb = 0;
    const sampler = setInterval(() => (rssBacklogMb = Math.max(rssBacklogMb, treeRssMb(pid))), 250);
    await load({ ...base, mode: 'rate', rate: BACKLOG / 2, durationMs: 2_000, prefix: `${tag}-backlog` });
    await sleep(10_000);
    clearInterval(sampler);
    let rssMaxMb = rssBacklogMb;
    const maxSampler = setInterval(() => (rssMaxMb = Math.max(rssMaxMb, treeRssMb(pid))), 250);
    // The loads while the pipeline works through the backlog (and what each saturation window adds to it).
    const loads = await windows(`talkback ${tag}`, tag, base.url, base.serviceUrl, pid);
    clearInterval(maxSampler);
    return {
      ...loads,
      drain,
      speechAlone: alone,
      rssIdleMb,
      rssWarmMb,
      rssBacklogMb,
      rssMaxMb,
    };
  } finally {
    await stop(host.child);
  }
}

const ratio = (a: number, b: number) => Math.round((a / b) * 100) / 100;
const ratioOf = (a: number | undefined, b: number | undefined) => (a === undefined || b === undefined || b === 0 ? null : ratio(a, b));

async function main() {
  const started = Date.now();
  const machine = {
    cpu: cpus()[0]?.model ?? 'unknown',
    cores: availableParallelism(),
    memoryGb: Math.round(totalmem() / 2 ** 30),
    node: process.version,
    loadAverageAtStart: loadavg().map((x) => Math.round(x * 100) / 100),
  };
  log(`machine: ${machine.cpu}, ${machine.cores} cores, load ${machine.loadAverageAtStart.join(' ')}`);
  const sinkServer = await startServer([...TSX, path.resolve('test/bench/connector-sink.ts')]);
  const sink: Sink = {
    url: sinkServer.url,
    count: async (prefix) => (await (await fetch(`${sinkServer.url}/count?prefix=${encodeURIComponent(prefix)}`)).json()) as Awaited<ReturnType<Sink['count']>>,
  };
  const work = await mkdtemp(path.join(tmpdir(), 'talkback-bench-'));
  try {
    const peerResults = await peers(sink);
    // Under `npm start`'s V8 flags (each thread collecting its own garbage), as the engine runs in the host (only flags without a separate value).
    const startFlags = (await startCommand()).filter((arg) => arg.startsWith('--') && arg !== '--expose-gc');
    // Warmed with a drain's worth of other messages first, as the host's threads are for the drains the median picks.
    const speechAlone = () => runJson<SpeechAlone>('speech-alone.ts', [String(DRAIN_MESSAGES), String(SPEECH_WORKERS), String(DRAIN_MESSAGES)], startFlags);
    const empty = await talkback(sink, 'empty', path.join(work, 'empty'), speechAlone);
    const alone = empty.speechAlone!;
    log(`seeding ${HISTORY} finished interactions`);
    const seeded = path.join(work, 'seeded');
    const seedStarted = Date.now();
    const seedChild = spawn(process.execPath, [...TSX, path.resolve('test/bench/seed-history.ts'), seeded, String(HISTORY)], { stdio: 'inherit' });
    if ((await new Promise((r) => seedChild.once('exit', r))) !== 0) throw new Error('seeding failed');
    const seedSeconds = Math.round((Date.now() - seedStarted) / 1000);
    const history = await talkback(sink, 'history', seeded);

    const echo = peerResults['cloud-adapter']!;
    const targets = {
      saturationVsEchoBot: { value: ratio(empty.saturation.rps, echo.saturation.rps), target: '>= 0.8' },
      rate200P99VsEchoBot: { value: ratio(empty.rate200.p99Ms, echo.rate200.p99Ms), target: '<= 2' },
      drainVsSpeechAlone: { value: ratio(empty.drain.perSecond, alone.perSecond), target: '>= 0.8' },
      drainWithHistory: { value: ratio(history.drain.perSecond, empty.drain.perSecond), target: '0.8 .. 1.2' },
      rate200P99WithHistory: { value: ratio(history.rate200.p99Ms, empty.rate200.p99Ms), target: '0.8 .. 1.2' },
      saturationWithHistory: { value: ratio(history.saturation.rps, empty.saturation.rps), target: '0.8 .. 1.2' },
      rssIdleMb: { value: empty.rssIdleMb, target: '<= 250' },
      rssBacklogMb: { value: empty.rssBacklogMb, target: '<= 400' },
    };
    // CPU per message: what a message costs, read from /proc (the neighbours on this shared machine move it less than a latency or a rate, but they move it).
    const intake = (x: LoadRounds) => x.cpuPerAck?.mainThreadMs;
    const costs = {
      intakeCpuPerAckVsEchoBotAtSaturation: ratioOf(intake(empty.saturation), intake(echo.saturation)),
      intakeCpuPerAckVsEchoBotAt200: ratioOf(intake(empty.rate200), intake(echo.rate200)),
      drainCpuPerMessageVsSpeechAlone: ratioOf(empty.drain.cpuMsPerMessage, alone.cpuMsPerMessage),
      intakeCpuPerAckWithHistoryAt200: ratioOf(intake(history.rate200), intake(empty.rate200)),
      intakeCpuPerAckWithHistoryAtSaturation: ratioOf(intake(history.saturation), intake(empty.saturation)),
      drainCpuPerMessageWithHistory: ratioOf(history.drain.cpuMsPerMessage, empty.drain.cpuMsPerMessage),
    };
    const result = {
      date: new Date().toISOString(),
      machine: { ...machine, loadAverageAtEnd: loadavg().map((x) => Math.round(x * 100) / 100) },
      settings: { durationMs: DURATION_MS, rounds: ROUNDS, drainMessages: DRAIN_MESSAGES, backlog: BACKLOG, history: HISTORY, speechWorkers: SPEECH_WORKERS, seedSeconds },
      peers: peerResults,
      speechAlone: { ...alone, nodeFlags: startFlags },
      talkback: { empty, history },
      targets,
      costs,
      totalSeconds: Math.round((Date.now() - started) / 1000),
    };
    await mkdir('bench-results', { recursive: true });
    await writeFile('bench-results/throughput.json', `${JSON.stringify(result, null, 2)}\n`);
    log(`\n${table(result)}`);
  } finally {
    await stop(sinkServer.child);
    await rm(work, { recursive: true, force: true });
  }
}

function table(r: {
  machine: { cpu: string; cores: number; memoryGb: number; node: string; loadAverageAtStart: number[]; loadAverageAtEnd: number[] };
  peers: Record<string, Windows>;
  speechAlone: { perSecond: number; rounds: number[]; cpuMsPerMessage: number };
  talkback: Record<'empty' | 'history', Awaited<ReturnType<typeof talkback>>>;
  targets: Record<string, { value: number; target: string }>;
  costs: Record<string, number | null>;
  settings: { speechWorkers: number; history: number; rounds: number };
}): string {
  const node = r.peers['node-http']!;
  const echo = r.peers['cloud-adapter']!;
  const { empty, history } = r.talkback;
  const rps = (x: LoadRounds) => spread(x.rps, x.rounds.map((round) => round.rps));
  const p99 = (x: LoadRounds) => spread(x.p99Ms, x.rounds.map((round) => round.p99Ms));
  const sat = (x: LoadRounds) => `${rps(x)} rps, p99 ${p99(x)} ms`;
  const fixed = (x: LoadRounds) => `${x.rps} rps, p50 ${x.p50Ms} / p99 ${p99(x)} ms`;
  const drain = (x: { perSecond: number; rounds: number[] }) => `${spread(x.perSecond, x.rounds)} msg/s`;
  const ms = (value: number | undefined) => (value === undefined ? '—' : `${value}`);
  const threads = (t: Record<string, number> | undefined) =>
    t ? `${['synthesis', 'pipeline', 'libuv', 'v8 and other', 'endpoint'].map((g) => ms(t[g])).join(' / ')}${t['ended'] ? ` (${t['ended']} in threads that ended)` : ''}` : '—';
  const cpu = (w: Windows) => `${ms(w.saturation.cpuPerAck?.mainThreadMs)} / ${ms(w.rate50.cpuPerAck?.mainThreadMs)} / ${ms(w.rate200.cpuPerAck?.mainThreadMs)}`;
  const rows = [
    `| load | bare node:http JSON echo | botbuilder CloudAdapter echo bot | talkback \`npm start\` | talkback, ${r.settings.history.toLocaleString('en-US')} stored |`,
    '|---|---|---|---|---|',
    `| 16 connections, 10 s (talkback: while draining a backlog) | ${sat(node.saturation)} | ${sat(echo.saturation)} | ${sat(empty.saturation)} (${ratio(empty.saturation.rps, echo.saturation.rps)}× echo bot) | ${sat(history.saturation)} |`,
    `| fixed 50 msg/s, 10 s | ${fixed(node.rate50)} | ${fixed(echo.rate50)} | ${fixed(empty.rate50)} | ${fixed(history.rate50)} |`,
    `| fixed 200 msg/s, 10 s | ${fixed(node.rate200)} | ${fixed(echo.rate200)} | ${fixed(empty.rate200)} | ${fixed(history.rate200)} |`,
    `| pipeline drain, posted → emailed and replied | — | — | ${drain(empty.drain)} (speech alone, ${r.settings.speechWorkers} threads: ${drain(r.speechAlone)} = ${ratio(empty.drain.perSecond, r.speechAlone.perSecond)}×) | ${drain(history.drain)} |`,
    `| CPU ms per ack, main thread (talkback: the chat endpoint): saturation / 50 / 200 msg/s | ${cpu(node)} | ${cpu(echo)} | ${cpu(empty)} | ${cpu(history)} |`,
    `| CPU ms per drained message, whole process | — | — | ${ms(empty.drain.cpuMsPerMessage)} (speech alone: ${ms(r.speechAlone.cpuMsPerMessage)}) | ${ms(history.drain.cpuMsPerMessage)} |`,
    `| CPU ms per drained message by thread: synthesis / pipeline / libuv's pool / V8 and other / chat endpoint | — | — | ${threads(empty.drain.cpuMsPerMessageByThread)} | ${threads(history.drain.cpuMsPerMessageByThread)} |`,
    `| RSS idle after start / 3 s after the first messages / under backlog / max | — | — | ${empty.rssIdleMb} / ${empty.rssWarmMb} / ${empty.rssBacklogMb} / ${empty.rssMaxMb} MB | ${history.rssIdleMb} / ${history.rssWarmMb} / ${history.rssBacklogMb} / ${history.rssMaxMb} MB |`,
  ];
  const targets = Object.entries(r.targets).map(([name, t]) => `- ${name}: ${t.value} (target ${t.target})`);
  const costs = Object.entries(r.costs).map(([name, value]) => `- ${name}: ${value ?? '— (no /proc)'}`);
  const m = r.machine;
  return [
    ...rows,
    '',
    r.settings.rounds > 1 ? `Each figure but RSS is the median of ${r.settings.rounds} rounds, taken in turn (their range in brackets for rps at saturation, every p99 and the drains); RSS is one reading, or the peak.` : 'One round of each.',
    '',
    `Machine: ${m.cpu}, ${m.cores} cores, ${m.memoryGb} GB, Node ${m.node}; load average ${m.loadAverageAtStart.join(' ')} at start, ${m.loadAverageAtEnd.join(' ')} at end.`,
    '',
    ...targets,
    '',
    'CPU per message, as ratios (not targets of their own: what the figures above cost, read from /proc):',
    ...costs,
  ].join('\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${String((error as Error)?.stack ?? error)}\n`);
  process.exit(1);
});
