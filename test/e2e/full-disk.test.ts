import { execFileSync } from 'node:child_process';
import { mkdtempSync, openSync, rmSync, unlinkSync, writeSync, closeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { startTestHost } from '../support/host.js';

/** A real full disk: a 24 MB tmpfs as the data folder (needs permission to mount; skipped, saying so, without it). */
function mountTinyDisk(): { dir: string; unmount(): void } | string {
  const dir = mkdtempSync(path.join(tmpdir(), 'talkback-full-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=24m', 'tmpfs', dir], { stdio: 'pipe' });
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    return `cannot mount a tmpfs here (${(error as Error).message.split('\n')[0]}); the disk check is covered by test/unit/functions/health.test.ts`;
  }
  return {
    dir,
    unmount: () => {
      execFileSync('umount', [dir], { stdio: 'pipe' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

const disk = mountTinyDisk();

describe.skipIf(typeof disk === 'string')(`health on a full disk${typeof disk === 'string' ? ` (skipped: ${disk})` : ''}`, () => {
  it('answers 503 naming the disk once the data folder is full, 200 again once there is room', async () => {
    if (typeof disk === 'string') return;
    const { host } = await startTestHost(disk.dir, { HEALTH_MIN_FREE_MB: '1' });
    const filler = path.join(disk.dir, 'filler');
    try {
      const healthy = await fetch(`${host.url}/api/health`);
      expect(healthy.status).toBe(200);
      await healthy.text();
      // Fill the disk to the last block.
      const fd = openSync(filler, 'w');
      try {
        const block = Buffer.alloc(256 * 1024);
        for (;;) writeSync(fd, block);
      } catch (error) {
        expect((error as NodeJS.ErrnoException).code).toBe('ENOSPC');
      } finally {
        closeSync(fd);
      }
      const full = await fetch(`${host.url}/api/health`);
      const body = (await full.json()) as { failing?: string[] };
      expect(full.status).toBe(503);
      expect(body.failing).toContain('disk');
      unlinkSync(filler);
      const again = await fetch(`${host.url}/api/health`);
      expect(again.status).toBe(200);
      await again.text();
    } finally {
      await host.stop();
      disk.unmount();
    }
  });
});
