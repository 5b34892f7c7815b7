import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { cpuOf, cpuPerMessage } from '../../bench/process-cpu.js';

describe('the bench reading CPU time from /proc', () => {
  it.skipIf(!existsSync('/proc/self/stat'))('counts the CPU this process spends, on its main thread too', () => {
    const before = cpuOf(process.pid)!;
    const start = process.cpuUsage();
    // Spend 80 ms of CPU (not of wall time) on this thread.
    while ((process.cpuUsage(start).user + process.cpuUsage(start).system) / 1000 < 80) Math.sqrt(Math.random());
    const after = cpuOf(process.pid)!;
    expect(after.mainThreadMs - before.mainThreadMs).toBeGreaterThanOrEqual(60);
    expect(after.processMs - before.processMs).toBeGreaterThanOrEqual(after.mainThreadMs - before.mainThreadMs);
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
