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

/** utime + stime, in ticks. */
function ticksOf(statFile: string): number {
  const fields = statFields(statFile);
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
