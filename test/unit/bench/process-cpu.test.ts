import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cpuOf, cpuPerMessage } from '../../bench/process-cpu.js';

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
});
