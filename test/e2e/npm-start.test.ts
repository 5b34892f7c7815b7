import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, statSync, truncateSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { messageActivity, postActivity, startFakeChannel, waitFor } from '../support/fake-channel.js';
import { tempDataDir } from '../support/host.js';
import { exited, spawnHost } from '../support/host-process.js';

/** `npm start` itself (its build to dist/, then the host), in its own process group, as a terminal runs it. */
function npmStart(env: Record<string, string>) {
  const child = spawn('npm', ['start', '--silent'], {
    env: { ...process.env, PORT: '0', AZURITE_BLOB_PORT: '0', LOG_LEVEL: 'warn', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: true,
  });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  return { child, output: () => out };
}

const listening = (run: { child: ChildProcess; output: () => string }) =>
  waitFor(() => /listening on (http:\/\/\S+)/.exec(run.output())?.[1], 90_000, `npm start to listen:\n${run.output()}`);

describe('npm start', () => {
  it('stops cleanly on one Ctrl-C sent to its whole process group (npm relays it a second time)', async () => {
    const data = await tempDataDir();
    const channel = await startFakeChannel();
    const run = npmStart({ TALKBACK_DATA_DIR: data.dir });
    try {
      const url = await listening(run);
      expect(run.output()).toMatch(/built \d+ files to dist\/ .* in \d+ ms/);
      const posted = await postActivity(url, messageActivity({ serviceUrl: channel.serviceUrl, conversationId: 'stop-1', activityId: 'a1', text: 'stop test' }));
      expect(posted.status).toBe(200);
      const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
        run.child.once('exit', (code, signal) => resolve({ code, signal })),
      );
      process.kill(-(run.child.pid ?? 0), 'SIGINT');
      // npm ends itself with the signal it got (as a shell does), once its child has exited.
      expect([{ code: 0, signal: null }, { code: null, signal: 'SIGINT' }]).toContainEqual(await ended);
      expect(run.output()).toContain('SIGINT: finishing in-flight work');
      expect(run.output()).toContain('stopped cleanly');
      expect(run.output()).not.toContain('stopping now');
      // The host released its data folder: it ran its whole stop.
      expect(existsSync(path.join(data.dir, 'talkback.lock'))).toBe(false);
    } finally {
      if (run.child.exitCode === null && run.child.signalCode === null) process.kill(-(run.child.pid ?? 0), 'SIGKILL');
      await channel.stop();
      await data.remove();
    }
  }, 180_000);

  it('refuses a second host on the same data folder, naming the first; a taken port is one clear line', async () => {
    const data = await tempDataDir();
    const first = await spawnHost({ TALKBACK_DATA_DIR: data.dir });
    try {
      const second = await spawnHost({ TALKBACK_DATA_DIR: data.dir }).then(
        () => undefined,
        (error: Error) => error.message,
      );
      expect(second).toMatch(new RegExp(`DataFolderLocked: the data folder .* is in use by another talkback host \\(pid ${first.child.pid}`));
      expect(second).not.toMatch(/\n\s+at /);
      const other = await tempDataDir();
      const port = new URL(first.url).port;
      const taken = await spawnHost({ TALKBACK_DATA_DIR: other.dir, PORT: port }).then(
        () => undefined,
        (error: Error) => error.message,
      );
      expect(taken).toMatch(new RegExp(`PortInUse: 127\\.0\\.0\\.1:${port} is already in use`));
      expect(taken).not.toMatch(/\n\s+at /);
      await other.remove();
    } finally {
      first.child.kill('SIGTERM');
      await exited(first.child);
      await data.remove();
    }
  }, 180_000);

  it('takes over the lock of a killed host; refuses to start on a folder whose bus was truncated', async () => {
    const data = await tempDataDir();
    const channel = await startFakeChannel();
    try {
      const first = await spawnHost({ TALKBACK_DATA_DIR: data.dir });
      const post = (url: string, i: number) =>
        postActivity(url, messageActivity({ serviceUrl: channel.serviceUrl, conversationId: `t-${i}`, activityId: `a-${i}`, text: `message ${i}` }));
      for (let i = 0; i < 10; i += 1) expect((await post(first.url, i)).status).toBe(200);
      first.child.kill('SIGKILL');
      await exited(first.child);
      // The killed host's lock file is still there: the next host sees its pid is gone and takes over.
      expect(existsSync(path.join(data.dir, 'talkback.lock'))).toBe(true);
      const second = await spawnHost({ TALKBACK_DATA_DIR: data.dir });
      for (let i = 10; i < 30; i += 1) expect((await post(second.url, i)).status).toBe(200);
      second.child.kill('SIGTERM');
      await exited(second.child);
      // A clean stop folds the write-ahead log into bus.sqlite: cutting the file now loses acknowledged messages.
      const bus = path.join(data.dir, 'bus.sqlite');
      expect(existsSync(`${bus}-wal`) && statSync(`${bus}-wal`).size > 0).toBe(false);
      truncateSync(bus, Math.floor(statSync(bus).size / 3));
      const refused = await spawnHost({ TALKBACK_DATA_DIR: data.dir }).then(
        () => 'started',
        (error: Error) => error.message,
      );
      expect(refused).toMatch(/DataFolderInvalid: the data folder .* is not whole: bus\.sqlite is damaged: .*move the folder aside/);
      truncateSync(bus, 0);
      const empty = await spawnHost({ TALKBACK_DATA_DIR: data.dir }).then(
        () => 'started',
        (error: Error) => error.message,
      );
      expect(empty).toMatch(/bus\.sqlite is empty/);
    } finally {
      await channel.stop();
      await data.remove();
    }
  }, 300_000);
});
