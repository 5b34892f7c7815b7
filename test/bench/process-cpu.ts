import { readFileSync } from 'node:fs';

/**
 * CPU time a process has used so far, in ms: all its threads, and its main thread alone (Linux /proc;
 * undefined elsewhere or once it has ended). In the local host the main thread is the chat endpoint
 * (intake) and the pipeline runs on worker threads, so the main thread's share is what intake costs.
 * Unlike a latency on this shared machine, a CPU time per message hardly moves with the neighbours.
 */
export interface CpuReading {
  processMs: number;
  mainThreadMs: number;
}

/** /proc reports clock ticks of USER_HZ, which Linux fixes at 100 for user space. */
const MS_PER_TICK = 10;

function ticksOf(statFile: string): number {
  const stat = readFileSync(statFile, 'utf8');
  // Fields after "pid (comm) ": state is the 1st, utime the 12th, stime the 13th.
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  return Number(fields[11]) + Number(fields[12]);
}

export function cpuOf(pid: number): CpuReading | undefined {
  try {
    return { processMs: ticksOf(`/proc/${pid}/stat`) * MS_PER_TICK, mainThreadMs: ticksOf(`/proc/${pid}/task/${pid}/stat`) * MS_PER_TICK };
  } catch {
    return undefined;
  }
}

/** CPU ms per message between two readings (each figure to 0.01 ms); undefined without both readings or messages. */
export function cpuPerMessage(before: CpuReading | undefined, after: CpuReading | undefined, messages: number): CpuReading | undefined {
  if (!before || !after || messages <= 0) return undefined;
  const per = (ms: number) => Math.round((ms / messages) * 100) / 100;
  return { processMs: per(after.processMs - before.processMs), mainThreadMs: per(after.mainThreadMs - before.mainThreadMs) };
}
