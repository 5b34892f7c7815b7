import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';

const TSX = ['--import', 'tsx'];

/** An npm script's command as arguments for this Node (`tsx x` → `--import tsx x`, `node x` → `x`), or undefined if there is none. */
export function scriptArgs(name: string): string[] | undefined {
  const scripts = (JSON.parse(readFileSync(path.resolve('package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;
  const script = scripts[name];
  if (script === undefined) return undefined;
  const [runner, ...rest] = script.split(/\s+/);
  if (runner === 'tsx') return [...TSX, ...rest];
  if (runner === 'node') return rest;
  throw new Error(`cannot run the ${name} script "${script}" without a wrapper`);
}

let built: Promise<string[]> | undefined;

/**
 * What `npm start` runs, without npm in between: its prestart (the build to dist/, once per process),
 * then the start command's arguments for this Node. A wrapper process would stand between a caller and
 * the host: a SIGKILL of it would leave the host running, and its memory would count in the host's RSS.
 */
export function startCommand(): Promise<string[]> {
  built ??= (async () => {
    const prestart = scriptArgs('prestart');
    if (prestart) await run(prestart);
    const start = scriptArgs('start');
    if (!start) throw new Error('package.json has no start script');
    return start;
  })();
  return built;
}

async function run(args: string[]): Promise<void> {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (out += c.toString()));
  const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
  if (code !== 0) throw new Error(`${args.join(' ')} exited with ${code}:\n${out}`);
}

/** `npm start`'s host (built first, see startCommand) as a child process, for tests that stop or kill it. */
export async function spawnHost(env: Record<string, string>): Promise<{ url: string; child: ChildProcess; output: () => string }> {
  const child = spawn(process.execPath, await startCommand(), {
    // PIPELINE_NICE=0, PIPELINE_YIELD_MS=0: on a machine busy with other work a lowered or yielding pipeline would only make the test slow.
    env: { ...process.env, PORT: '0', AZURITE_BLOB_PORT: '0', LOG_LEVEL: 'warn', PIPELINE_NICE: '0', PIPELINE_YIELD_MS: '0', ...env },
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
