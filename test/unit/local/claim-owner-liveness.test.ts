import { spawn } from 'node:child_process';
import { hostname } from 'node:os';
import { describe, expect, it } from 'vitest';
import { claimOwnerOf, ownerProcess, workerIdOf } from '../../../core/claim-owner.js';
import { takeClaim } from '../../../core/record-changes.js';
import { localClaimOwner } from '../../../local/claim-owner-liveness.js';

describe('claim owners', () => {
  it('name their process, and parse back', () => {
    const owner = claimOwnerOf(workerIdOf('local:/data/x', { host: 'box', pid: 42, nonce: 'ab' }), 'attempt-1');
    expect(owner).toBe('local:/data/x@box:42:ab#attempt-1');
    expect(ownerProcess(owner)).toEqual({ host: 'box', pid: 42, nonce: 'ab' });
    expect(ownerProcess('local:/data/x:5f2c-uuid')).toBeUndefined();
  });

  it('a dead process on this host is gone; a live one, an earlier process with our pid, and other hosts are told apart', async () => {
    const { workerId, ownerGone } = localClaimOwner('local:/data');
    expect(ownerGone(claimOwnerOf(workerId, 'a'))).toBe(false);
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)']);
    const pid = child.pid ?? 0;
    const childOwner = claimOwnerOf(workerIdOf('local:/data', { host: hostname(), pid, nonce: 'n1' }), 'a');
    expect(ownerGone(childOwner)).toBe(false);
    await new Promise((resolve) => {
      child.once('exit', resolve);
      child.kill('SIGKILL');
    });
    expect(ownerGone(childOwner)).toBe(true);
    expect(ownerGone(claimOwnerOf(workerIdOf('local:/data', { host: hostname(), pid: process.pid, nonce: 'earlier' }), 'a'))).toBe(true);
    expect(ownerGone(claimOwnerOf(workerIdOf('local:/data', { host: 'another-host', pid, nonce: 'n1' }), 'a'))).toBe(false);
    expect(ownerGone('legacy-owner:uuid')).toBe(false);
  });

  it('takeClaim takes over an unexpired claim only when its owner is gone', () => {
    const key = { conversationId: 'c', id: 'r' };
    const now = new Date('2026-01-01T00:00:00Z');
    const record = {
      id: 'r', conversationId: 'c', stages: {}, failures: [], appliedEvents: [], createdAt: now.toISOString(), updatedAt: now.toISOString(),
      claims: { reply: { owner: 'old', expiresAt: new Date(now.getTime() + 60_000).toISOString() } },
    };
    const request = { action: 'reply' as const, owner: 'new', leaseMs: 1000, now };
    expect(takeClaim(record, key, request).outcome).toBe('held');
    expect(takeClaim(record, key, { ...request, ownerGone: () => false }).outcome).toBe('held');
    const taken = takeClaim(record, key, { ...request, ownerGone: (o) => o === 'old' });
    expect(taken.outcome).toBe('claimed');
    expect(taken.next?.claims.reply?.owner).toBe('new');
  });
});
