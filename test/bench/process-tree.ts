import { readdirSync, readFileSync } from 'node:fs';
import { statFields } from './proc-stat.js';

/** Resident memory in MB of a process and all its descendants (Linux /proc; 0 elsewhere). */
export function treeRssMb(rootPid: number): number {
  let entries: string[];
  try {
    entries = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  } catch {
    return 0;
  }
  const children = new Map<number, number[]>();
  for (const name of entries) {
    try {
      const ppid = Number(statFields(`/proc/${name}/stat`)[1]);
      const list = children.get(ppid) ?? [];
      list.push(Number(name));
      children.set(ppid, list);
    } catch {
      // the process ended meanwhile
    }
  }
  let kb = 0;
  const pending = [rootPid];
  while (pending.length > 0) {
    const pid = pending.pop()!;
    try {
      const match = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
      kb += Number(match?.[1] ?? 0);
    } catch {
      // gone
    }
    pending.push(...(children.get(pid) ?? []));
  }
  return Math.round(kb / 1024);
}
