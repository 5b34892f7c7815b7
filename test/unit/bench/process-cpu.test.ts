import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { getPriority } from 'node:os';
import { cpuOf, cpuPerMessage, threadCpuOf, threadCpuPerMessage, type ThreadInfo } from '../../bench/process-cpu.js';

describe('the bench reading CPU time from /proc', () => {
  // process.threadCpuUsage (Node 22.19+): this thread's CPU alone, to hold /proc's main-thread figure against.
  const threadCpuUsage = (process as { threadCpuUsage?: () => NodeJS.CpuUsage }).threadCpuUsage?.bind(process);

  it.skipIf(!existsSync('/proc/self/stat') || !threadCpuUsage)('counts the CPU this thread spends, user and system time, and the whole process at least as much', () => {
    const before = cpuOf(process.pid)!;
    const start = threadCpuUsage!();
    const spent = () => {
      const now = threadCpuUsage!();
      return { user: (now.user - start.user) / 1000, system: (now.system - start.system) / 1000 };
    };
    // ~120 ms of CPU on this thread, much of it in the kernel (reading a /proc file is a system call's work).
    while (spent().user + spent().system < 120) readFileSync('/proc/self/stat');
    const after = cpuOf(process.pid)!;
    const { user, system } = spent();
    const mainMs = after.mainThreadMs - before.mainThreadMs;
    expect(system).toBeGreaterThan(20);
    // /proc counts in 10 ms ticks: each reading may be short by up to one.
    expect(Math.abs(mainMs - (user + system))).toBeLessThanOrEqual(25);
    expect(after.processMs - before.processMs).toBeGreaterThanOrEqual(mainMs);
  });

  it('reads nothing of a process that is not there', () => {
    expect(cpuOf(2 ** 22 + 1)).toBeUndefined();
  });

  it('divides the CPU between two readings by the messages', () => {
    expect(cpuPerMessage({ processMs: 1_000, mainThreadMs: 200 }, { processMs: 4_000, mainThreadMs: 900 }, 300)).toEqual({ processMs: 10, mainThreadMs: 2.33 });
    expect(cpuPerMessage(undefined, { processMs: 1, mainThreadMs: 1 }, 1)).toBeUndefined();
    expect(cpuPerMessage({ processMs: 1, mainThreadMs: 1 }, { processMs: 2, mainThreadMs: 2 }, 0)).toBeUndefined();
  });

  it.skipIf(!existsSync('/proc/self/task'))('groups the threads by what the caller makes of them: this one is the main thread, at its own priority', () => {
    const seen: ThreadInfo[] = [];
    const before = threadCpuOf(process.pid, (t) => (seen.push(t), t.main ? 'main' : 'other'))!;
    expect(seen.filter((t) => t.main)).toHaveLength(1);
    expect(seen.find((t) => t.main)!.nice).toBe(getPriority());
    const until = Date.now() + 60;
    while (Date.now() < until) readFileSync('/proc/self/stat');
    const after = threadCpuOf(process.pid, (t) => (t.main ? 'main' : 'other'))!;
    expect(after.groups['main']! - before.groups['main']!).toBeGreaterThanOrEqual(30);
    expect(after.processMs).toBeGreaterThanOrEqual(Object.values(after.groups).reduce((a, b) => a + b, 0) - 20);
    expect(threadCpuOf(2 ** 22 + 1, () => 'x')).toBeUndefined();
  });

  it('gives each group its CPU per message, a group that started meanwhile from 0, and what ended threads took as "ended"', () => {
    const before = { processMs: 1_000, groups: { a: 600, b: 300 } };
    const after = { processMs: 4_000, groups: { a: 2_100, b: 200, c: 300 } };
    // b lost a thread (its 300 ms before, more after): the groups account for 1,500 + 0 + 300 of 3,000.
    expect(threadCpuPerMessage(before, after, 100)).toEqual({ a: 15, b: 0, c: 3, ended: 12 });
    expect(threadCpuPerMessage(undefined, after, 1)).toBeUndefined();
    expect(threadCpuPerMessage(before, after, 0)).toBeUndefined();
  });
});
