/**
 * The bench's load generator, run in its own process so it does not share an event loop with what
 * it measures. Argument: a JSON LoadSpec. Prints one JSON LoadResult line.
 *  - saturate: `connections` keep-alive connections, each sending its next message as soon as the
 *    previous one was answered, for `durationMs`;
 *  - rate: an open loop at `rate` messages per second for `durationMs`; each latency counts from
 *    the moment the message was due, so a server that falls behind is charged for the wait.
 * Every message is a distinct activity (its own conversation and id), ⅓ of them Korean.
 * The window starts `settleMs` after this process has loaded (default 1 s): a new node process with
 * tsx takes most of a core for its first few hundred ms, and measured from its first request that
 * start-up shared the 2 cores with whichever server it measured (README, "Benchmarks").
 */
import { Agent, request } from 'node:http';

export interface LoadSpec {
  url: string;
  serviceUrl: string;
  mode: 'saturate' | 'rate';
  connections?: number;
  rate?: number;
  durationMs: number;
  /** Makes ids unique across runs against the same data folder. */
  prefix: string;
  /** How long to wait, once loaded, before the window starts (default 1,000 ms). */
  settleMs?: number;
}

export interface LoadResult {
  sent: number;
  ok: number;
  failed: number;
  statuses: Record<string, number>;
  seconds: number;
  rps: number;
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
  /** When the window started (epoch ms): its first message was due then. */
  startedAt: number;
}

export function benchText(i: number): { text: string; locale: string } {
  return i % 3 === 2
    ? { text: `${i}번 주문의 배송 상태가 궁금합니다. 언제 도착하나요?`, locale: 'ko-KR' }
    : { text: `Where is my order #${1000 + i}? I ordered it last week.`, locale: 'en-US' };
}

export function benchActivity(serviceUrl: string, prefix: string, i: number): string {
  const { text, locale } = benchText(i);
  return JSON.stringify({
    type: 'message',
    id: `${prefix}-a${i}`,
    channelId: 'emulator',
    serviceUrl,
    timestamp: new Date().toISOString(),
    locale,
    from: { id: `user-${i}`, name: 'Bench Customer' },
    recipient: { id: 'bot-1', name: 'talkback' },
    conversation: { id: `${prefix}-c${i}` },
    text,
  });
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

async function run(spec: LoadSpec): Promise<LoadResult> {
  await new Promise((r) => setTimeout(r, spec.settleMs ?? 1_000));
  const target = new URL('/api/messages', spec.url);
  const agent = new Agent({ keepAlive: true, maxSockets: spec.mode === 'saturate' ? (spec.connections ?? 16) : 64 });
  const latencies: number[] = [];
  const statuses: Record<string, number> = {};
  let sent = 0;
  let counter = 0;
  const post = (due: number) =>
    new Promise<void>((resolve) => {
      const body = benchActivity(spec.serviceUrl, spec.prefix, counter++);
      sent += 1;
      const req = request(
        target,
        { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
        (res) => {
          res.resume();
          res.on('end', () => {
            const key = String(res.statusCode);
            statuses[key] = (statuses[key] ?? 0) + 1;
            if (res.statusCode === 200) latencies.push(performance.now() - due);
            resolve();
          });
        },
      );
      req.on('error', (error: NodeJS.ErrnoException) => {
        const key = error.code ?? 'error';
        statuses[key] = (statuses[key] ?? 0) + 1;
        resolve();
      });
      req.end(body);
    });

  const startedAt = Date.now();
  const started = performance.now();
  const end = started + spec.durationMs;
  if (spec.mode === 'saturate') {
    await Promise.all(
      Array.from({ length: spec.connections ?? 16 }, async () => {
        while (performance.now() < end) await post(performance.now());
      }),
    );
  } else {
    const interval = 1000 / (spec.rate ?? 50);
    const inFlight = new Set<Promise<void>>();
    let next = started;
    while (next < end) {
      const now = performance.now();
      while (next <= now && next < end) {
        const p = post(next);
        inFlight.add(p);
        void p.then(() => inFlight.delete(p));
        next += interval;
      }
      await new Promise((r) => setTimeout(r, Math.max(0, Math.min(5, next - performance.now()))));
    }
    await Promise.all(inFlight);
  }
  const seconds = (performance.now() - started) / 1000;
  agent.destroy();
  const sorted = latencies.sort((a, b) => a - b);
  const round = (n: number) => Math.round(n * 10) / 10;
  return {
    sent,
    ok: sorted.length,
    failed: sent - sorted.length,
    statuses,
    seconds: round(seconds),
    startedAt,
    rps: round(sorted.length / seconds),
    p50Ms: round(percentile(sorted, 50)),
    p99Ms: round(percentile(sorted, 99)),
    maxMs: round(sorted.at(-1) ?? Number.NaN),
  };
}

if (process.argv[1]?.endsWith('load-generator.ts') || process.argv[1]?.endsWith('load-generator.js')) {
  const spec = JSON.parse(process.argv[2] ?? '{}') as LoadSpec;
  run(spec).then(
    (result) => process.stdout.write(`${JSON.stringify(result)}\n`),
    (error: unknown) => {
      process.stderr.write(`${String((error as Error)?.stack ?? error)}\n`);
      process.exit(1);
    },
  );
}
