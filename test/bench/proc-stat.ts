import { readFileSync } from 'node:fs';

/**
 * The fields of a /proc/<pid>/stat (or /proc/<pid>/task/<tid>/stat) line after "pid (comm) ", so that
 * [0] is the state, [1] the ppid, [11] utime, [12] stime and [16] nice (proc(5)'s fields 3, 4, 14, 15 and 19). The
 * comm may hold spaces and ')' itself, hence the last ')'. Throws when the file cannot be read.
 */
export function statFields(statFile: string): string[] {
  const stat = readFileSync(statFile, 'utf8');
  return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
}
