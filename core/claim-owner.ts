/**
 * Who holds a claim: `<worker>@<host>:<pid>:<nonce>#<attempt>`. The worker part names the process
 * (host name, pid, and a nonce drawn at start, since a restarted container often gets the same
 * pid), the attempt part one handler run. A host that can see the owner's process is gone takes
 * its claims over at once instead of waiting for the lease to run out.
 */
export interface ClaimOwnerProcess {
  host: string;
  pid: number;
  nonce: string;
}

const SAFE = (s: string) => s.replace(/[@:#\s]/g, '_');

export function workerIdOf(prefix: string, process: ClaimOwnerProcess): string {
  return `${prefix}@${SAFE(process.host)}:${process.pid}:${SAFE(process.nonce)}`;
}

export function claimOwnerOf(workerId: string, attempt: string): string {
  return `${workerId}#${attempt}`;
}

/** The process an owner names; undefined for owners written before claims named their process. */
export function ownerProcess(owner: string): ClaimOwnerProcess | undefined {
  const match = /@([^@:#]+):(\d+):([^@:#]+)#[^#]*$/.exec(owner);
  if (!match) return undefined;
  return { host: match[1] ?? '', pid: Number(match[2]), nonce: match[3] ?? '' };
}
