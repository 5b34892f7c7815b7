import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

/** `npm start`'s entry (local/main.ts) as a child process, for tests that stop or kill it. */
export async function spawnHost(env: Record<string, string>): Promise<{ url: string; child: ChildProcess; output: () => string }> {
  // Node itself with tsx's loader, not the tsx CLI: the CLI runs the host in a grandchild that a
  // SIGKILL of the CLI would leave running.
  const child = spawn(process.execPath, ['--import', 'tsx', path.resolve('local/main.ts')], {
    // PIPELINE_NICE=0: on a machine busy with other work a lowered pipeline would only make the test slow.
    env: { ...process.env, PORT: '0', AZURITE_BLOB_PORT: '0', LOG_LEVEL: 'warn', PIPELINE_NICE: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    const onData = () => {
      const match = /listening on (http:\/\/[^\s]+)/.exec(out);
      if (match?.[1]) resolve(match[1]);
    };
    child.stdout?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`host exited with ${code}:\n${out}`)));
  });
  return { url, child, output: () => out };
}

export function exited(child: ChildProcess): Promise<number | null> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(child.exitCode);
  return new Promise((resolve) => child.once('exit', (code) => resolve(code)));
}
