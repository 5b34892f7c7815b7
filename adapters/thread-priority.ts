import { readlinkSync } from 'node:fs';
import { getPriority, setPriority } from 'node:os';

/** This thread's id for the scheduler (Linux: /proc/thread-self); undefined elsewhere. */
function threadId(): number | undefined {
  try {
    return Number(readlinkSync('/proc/thread-self').split('/').at(-1));
  } catch {
    return undefined; // not Linux
  }
}

/**
 * Sets this thread's CPU priority (nice, 0–19). On Linux a nice value is per thread, and the threads
 * it starts later inherit it. Elsewhere a priority is the whole process's, so it is left alone. A
 * priority that may not be set (a raise without the right) leaves the thread as it is.
 */
export function setThreadNice(nice: number): void {
  const thread = threadId();
  if (thread !== undefined) setNice(thread, nice);
}

/** Lowers this thread's priority by `steps` below the one it started with (inherited from the thread that made it). */
export function lowerThreadNice(steps: number): void {
  const thread = threadId();
  if (thread === undefined) return;
  let current: number;
  try {
    current = getPriority(thread);
  } catch {
    return;
  }
  setNice(thread, current + steps);
}

function setNice(thread: number, nice: number): void {
  try {
    setPriority(thread, Math.min(19, Math.max(-20, Math.round(nice))));
  } catch {
    // not permitted: the thread runs at the priority it has
  }
}
