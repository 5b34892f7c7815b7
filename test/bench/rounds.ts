/**
 * Repeated windows, summarised by their median. On a shared 2-core machine one 10-second window of
 * the same server moves by tens of percent (a 200 msg/s p99 of 13–30 ms, an echo bot at 580–1,410
 * rps at saturation, measured here); the median of BENCH_ROUNDS windows taken in turn with the
 * other loads is what the bench compares, and every round is kept in the results.
 */
import type { LoadResult } from './load-generator.js';
import type { CpuReading } from './process-cpu.js';

export const ROUNDS = rounds(process.env['BENCH_ROUNDS']);

function rounds(setting: string | undefined): number {
  const n = Number(setting || 3);
  if (!Number.isInteger(n) || n < 1) throw new Error(`BENCH_ROUNDS must be a whole number of at least 1, not "${setting}"`);
  return n;
}

/** " (round k of N)" for a progress line; nothing when there is one round. */
export function roundOf(k: number): string {
  return ROUNDS > 1 ? ` (round ${k} of ${ROUNDS})` : '';
}

export function median(values: number[]): number {
  const sorted = values.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
  if (sorted.length === 0) return Number.NaN;
  const mid = Math.floor(sorted.length / 2);
  const value = sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return Math.round(value * 100) / 100;
}

/**
 * A load window as the server measured saw it: with its CPU per acknowledged message where /proc tells
 * it. The main thread's share is the endpoint's cost; the process's includes whatever else ran meanwhile
 * (for talkback, its pipeline working through the backlog), so it is a per-ack figure only for the peers.
 */
export interface MeasuredLoad extends LoadResult {
  cpuPerAck?: CpuReading | undefined;
}

/** A window's rps, p50, p99 and CPU per ack as the medians of its rounds (each on its own); sent, ok, failed and seconds summed over the rounds, maxMs the largest, startedAt the first; and the rounds themselves. */
export interface LoadRounds extends MeasuredLoad {
  rounds: MeasuredLoad[];
}

export function medianOf(rounds: MeasuredLoad[]): LoadRounds {
  const sum = (pick: (r: LoadResult) => number) => rounds.reduce((total, r) => total + pick(r), 0);
  const statuses: Record<string, number> = {};
  for (const r of rounds) for (const [status, n] of Object.entries(r.statuses)) statuses[status] = (statuses[status] ?? 0) + n;
  return {
    sent: sum((r) => r.sent),
    ok: sum((r) => r.ok),
    failed: sum((r) => r.failed),
    statuses,
    seconds: Math.round(sum((r) => r.seconds) * 10) / 10,
    rps: median(rounds.map((r) => r.rps)),
    p50Ms: median(rounds.map((r) => r.p50Ms)),
    p99Ms: median(rounds.map((r) => r.p99Ms)),
    maxMs: Math.max(...rounds.map((r) => r.maxMs)),
    startedAt: Math.min(...rounds.map((r) => r.startedAt)),
    cpuPerAck: medianCpu(rounds.map((r) => r.cpuPerAck)),
    rounds,
  };
}

/** Each figure's median over the readings; undefined if any reading is missing. */
export function medianCpu(readings: (CpuReading | undefined)[]): CpuReading | undefined {
  if (readings.length === 0 || readings.some((r) => r === undefined)) return undefined;
  const known = readings as CpuReading[];
  return { processMs: median(known.map((r) => r.processMs)), mainThreadMs: median(known.map((r) => r.mainThreadMs)) };
}

/** "a (lo–hi)": a median with the spread of its rounds, for the printed table. */
export function spread(value: number, rounds: number[]): string {
  if (rounds.length < 2) return `${value}`;
  return `${value} (${Math.min(...rounds)}–${Math.max(...rounds)})`;
}
