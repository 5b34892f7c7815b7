import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { claimOwnerOf, ownerProcess, workerIdOf } from '../core/claim-owner.js';

/**
 * This process as a claim owner, and whether another owner's process is gone. Only a process on
 * this machine can be seen: an owner on another host keeps its claim until the lease runs out.
 */
export function localClaimOwner(prefix: string, pid = process.pid) {
  const workerId = workerIdOf(prefix, { host: hostname(), pid, nonce: randomBytes(6).toString('hex') });
  const self = ownerProcess(claimOwnerOf(workerId, 'self'));
  const ownerGone = (owner: string): boolean => {
    const other = ownerProcess(owner);
    if (!self || !other || other.host !== self.host) return false;
    // The same pid with another nonce: an earlier process that had this pid (a restarted container), or
    // an earlier pipeline worker thread of this host, restarted after it died.
    if (other.pid === self.pid) return other.nonce !== self.nonce;
    return !isAlive(other.pid);
  };
  return { workerId, ownerGone };
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
