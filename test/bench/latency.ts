/**
 * npm run bench — latency of the local host as a user sees it, on this machine:
 *  - POST /api/messages → the bot's "received" reply arriving at the channel,
 *  - POST /api/messages → the staff .eml on disk (speech + blob + record + mail done).
 * Starts `npm start`'s host (its build, then dist/local/main.js) as a child process on a fresh data dir and free ports,
 * plays the channel itself, sends BENCH_MESSAGES (200) messages at BENCH_RATE per second (5),
 * prints median / p90 / p99 and writes bench-results/latency.json. The first message after start
 * (which waits for the speech engine to compile) is measured apart.
 */
import { spawn } from 'node:child_process';
import { watch } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { messageEventId } from '../../core/ids.js';
import { messageActivity, postActivity, startFakeChannel } from '../support/fake-channel.js';
import { startCommand } from '../support/host-process.js';

const COUNT = Number(process.env['BENCH_MESSAGES'] ?? 200);
const RATE = Number(process.env['BENCH_RATE'] ?? 5);

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function summary(values: number[]) {
  const sorted = [...values].sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 10) / 10;
  return { n: sorted.length, median: round(percentile(sorted, 50)), p90: round(percentile(sorted, 90)), p99: round(percentile(sorted, 99)), max: round(sorted.at(-1) ?? Number.NaN) };
}

async function main() {
  const dataDir = await mkdtemp(path.join(tmpdir(), 'talkback-bench-'));
  const outbox = path.join(dataDir, 'outbox');
  await mkdir(outbox, { recursive: true });
  const channel = await startFakeChannel();
  // Node itself, without npm: the host is this child, so stopping it stops the host.
  const child = spawn(process.execPath, await startCommand(), {
    env: { ...process.env, PORT: '0', AZURITE_BLOB_PORT: '0', TALKBACK_DATA_DIR: dataDir, LOG_LEVEL: process.env['BENCH_LOG_LEVEL'] ?? 'warn', LOG_FORMAT: 'json' },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (process.env['BENCH_LOG_LEVEL']) process.stderr.write(chunk);
      const match = /listening on (http:\/\/[^\s]+)/.exec(out);
      if (match?.[1]) resolve(match[1]);
    });
    child.once('exit', (code) => reject(new Error(`host exited with ${code}`)));
  });
  process.stdout.write(`host at ${url}; sending ${COUNT} messages at ${RATE}/s\n`);

  const sentAt = new Map<string, number>();
  const emlAt = new Map<string, number>();
  const watcher = watch(outbox, (_event, name) => {
    if (name?.endsWith('.eml') && !emlAt.has(name)) emlAt.set(name, performance.now());
  });
  // The first message after start pays for the speech engine's compilation: measure it apart.
  const warmName = `${messageEventId('emulator', 'bench-warm-up', 'warm')}.eml`;
  const warmStarted = performance.now();
  await postActivity(url, messageActivity({ serviceUrl: channel.serviceUrl, conversationId: 'bench-warm-up', activityId: 'warm', text: 'Warming up.' }));
  while (!emlAt.has(warmName)) await new Promise((r) => setTimeout(r, 20));
  const firstMessageEmlMs = Math.round(emlAt.get(warmName)! - warmStarted);
  emlAt.delete(warmName);
  const postMs: number[] = [];
  const replyMs: number[] = [];
  const sends: Promise<void>[] = [];
  for (let i = 0; i < COUNT; i += 1) {
    const conversationId = `bench-${i}`;
    const activityId = `act-${i}`;
    const text = i % 2 === 0 ? `Where is my order #${1000 + i}? I ordered it last week.` : `${i}번 주문의 배송 상태가 궁금합니다.`;
    const started = performance.now();
    sentAt.set(`${messageEventId('emulator', conversationId, activityId)}.eml`, started);
    sends.push(
      postActivity(url, messageActivity({ serviceUrl: channel.serviceUrl, conversationId, activityId, text })).then((r) => {
        if (r.status !== 200) throw new Error(`POST ${i} answered ${r.status}`);
        postMs.push(performance.now() - started);
        const reply = channel.received.find((a) => a.conversationId === conversationId && a.replyToId === activityId);
        if (reply) replyMs.push(reply.receivedAt - started);
      }),
    );
    if ((i + 1) % 50 === 0) process.stdout.write(`  sent ${i + 1}/${COUNT}\n`);
    await new Promise((r) => setTimeout(r, 1000 / RATE));
  }
  await Promise.all(sends);
  const deadline = Date.now() + 10 * 60_000;
  while (emlAt.size < COUNT && Date.now() < deadline) {
    process.stdout.write(`  emails on disk ${emlAt.size}/${COUNT}\r`);
    await new Promise((r) => setTimeout(r, 500));
  }
  watcher.close();
  const emlMs = [...emlAt].flatMap(([name, at]) => (sentAt.has(name) ? [at - sentAt.get(name)!] : []));
  const result = {
    date: new Date().toISOString(),
    messages: COUNT,
    ratePerSecond: RATE,
    postToBotReplyMs: summary(replyMs),
    postToHttpResponseMs: summary(postMs),
    postToEmlOnDiskMs: summary(emlMs),
    emailsWritten: emlAt.size,
    firstMessageAfterStartEmlMs: firstMessageEmlMs,
  };
  process.stdout.write(`\n${JSON.stringify(result, null, 2)}\n`);
  await mkdir('bench-results', { recursive: true });
  await writeFile('bench-results/latency.json', `${JSON.stringify(result, null, 2)}\n`);
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  await channel.stop();
  await rm(dataDir, { recursive: true, force: true });
}

main().catch((error: unknown) => {
  process.stderr.write(`${String((error as Error)?.stack ?? error)}\n`);
  process.exit(1);
});
