import { readdirSync, readFileSync } from 'node:fs';
import { statFields } from './proc-stat.js';

/**
 * CPU time a process has used so far, in ms: all its threads, and its main thread alone (Linux /proc;
 * undefined elsewhere or once it has ended). In the local host the main thread is the chat endpoint
 * (intake) and the pipeline runs on worker threads, so the main thread's share is what intake costs.
 * A CPU time per message moves less with the neighbours on this shared machine than a latency does, but
 * it moves: the same host's drains read 100–166 ms per message across one stop's runs.
 */
export interface CpuReading {
  processMs: number;
  mainThreadMs: number;
}

/** /proc reports clock ticks of USER_HZ, which Linux fixes at 100 for user space. */
const MS_PER_TICK = 10;

/** utime + stime of a stat line's fields (statFields), in ms. */
function cpuMsOf(fields: string[]): number {
  return (Number(fields[11]) + Number(fields[12])) * MS_PER_TICK;
}

/** CPU ms per message, to 0.01 ms. */
function perMessage(ms: number, messages: number): number {
  return Math.round((ms / messages) * 100) / 100;
}

export function cpuOf(pid: number): CpuReading | undefined {
  try {
    return { processMs: cpuMsOf(statFields(`/proc/${pid}/stat`)), mainThreadMs: cpuMsOf(statFields(`/proc/${pid}/task/${pid}/stat`)) };
  } catch {
    return undefined;
  }
}

/** CPU ms per message between two readings (each figure to 0.01 ms); undefined without both readings or messages. */
export function cpuPerMessage(before: CpuReading | undefined, after: CpuReading | undefined, messages: number): CpuReading | undefined {
  if (!before || !after || messages <= 0) return undefined;
  return { processMs: perMessage(after.processMs - before.processMs, messages), mainThreadMs: perMessage(after.mainThreadMs - before.mainThreadMs, messages) };
}

/** One thread of a process, as /proc tells it. */
export interface ThreadInfo {
  comm: string;
  nice: number;
  /** The process's first thread (its id is the pid). */
  main: boolean;
}

/** CPU ms so far per group of a process's threads (`groupOf` names each thread's group); `process` is all of them. */
export interface ThreadGroupsReading {
  processMs: number;
  groups: Record<string, number>;
}

/**
 * Reads every thread of `pid` (/proc/<pid>/task; undefined elsewhere or once it has ended). A thread
 * that ends between two readings takes its CPU out of the groups, not out of `processMs` (the kernel
 * keeps an ended thread's time in the process's): threadCpuPerMessage names that part 'ended'.
 */
export function threadCpuOf(pid: number, groupOf: (thread: ThreadInfo) => string): ThreadGroupsReading | undefined {
  try {
    const processMs = cpuMsOf(statFields(`/proc/${pid}/stat`));
    const groups: Record<string, number> = {};
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      let fields: string[];
      let comm: string;
      try {
        fields = statFields(`/proc/${pid}/task/${tid}/stat`);
        comm = readFileSync(`/proc/${pid}/task/${tid}/comm`, 'utf8').trim();
      } catch {
        continue; // it ended while we read
      }
      const group = groupOf({ comm, nice: Number(fields[16]), main: Number(tid) === pid });
      groups[group] = (groups[group] ?? 0) + cpuMsOf(fields);
    }
    return { processMs, groups };
  } catch {
    return undefined;
  }
}

/** CPU ms per message of each group between two readings (to 0.01 ms), and 'ended': threads gone meanwhile. */
export function threadCpuPerMessage(before: ThreadGroupsReading | undefined, after: ThreadGroupsReading | undefined, messages: number): Record<string, number> | undefined {
  if (!before || !after || messages <= 0) return undefined;
  const out: Record<string, number> = {};
  let counted = 0;
  for (const [group, ms] of Object.entries(after.groups)) {
    // A group's threads may have started after the first reading (0 then) or ended before the second.
    const spent = Math.max(0, ms - (before.groups[group] ?? 0));
    out[group] = perMessage(spent, messages);
    counted += spent;
  }
  out['ended'] = perMessage(Math.max(0, after.processMs - before.processMs - counted), messages);
  return out;
}
