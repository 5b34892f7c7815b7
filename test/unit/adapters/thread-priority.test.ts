import { existsSync, readlinkSync } from 'node:fs';
import { getPriority } from 'node:os';
import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { threadEntry } from '../../../adapters/thread-entry.js';

interface Report {
  thread: number;
  before: number;
  after: number;
}

function runLoweredThread(steps: number): Promise<Report> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(threadEntry(new URL('./fixtures/lowered-thread', import.meta.url)), { workerData: { steps } });
    worker.once('message', (report: Report) => {
      resolve(report);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}

// A nice value is per thread only on Linux; elsewhere the helpers leave the priority alone.
describe.runIf(process.platform === 'linux' && existsSync('/proc/thread-self'))('thread priority', () => {
  it('lowers only the calling thread, by the steps asked, from the priority it inherited', async () => {
    const main = Number(readlinkSync('/proc/thread-self').split('/').at(-1));
    const mainBefore = getPriority(main);
    const report = await runLoweredThread(3);
    expect(report.thread).not.toBe(main);
    expect(report.before).toBe(mainBefore); // a new thread starts with its creator's nice
    expect(report.after).toBe(Math.min(19, mainBefore + 3));
    expect(getPriority(main)).toBe(mainBefore);
  });

  it('stops at the lowest priority, 19', async () => {
    const report = await runLoweredThread(40);
    expect(report.after).toBe(19);
  });
});
