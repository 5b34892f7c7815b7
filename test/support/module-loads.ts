import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';

// Runs in the module hooks thread: appends every file the ESM loader loads (CommonJS files imported
// from ESM included) to a log, synchronously, so it is complete once the import that caused it resolves.
const HOOKS = `
import { appendFileSync } from 'node:fs';
let log;
export function initialize(data) { log = data.log; }
export async function load(url, context, nextLoad) {
  if (url.startsWith('file:')) appendFileSync(log, url + '\\n');
  return nextLoad(url, context);
}`;

// Prepended to a script: defines loadedFiles(), the paths loaded so far, ESM (via the hook) plus
// CommonJS (require.cache, which the ESM hooks do not see for require() inside CommonJS), and
// report(value), which prints the script's result. Without TALKBACK_LOAD_LOG it records nothing.
// Its own bindings are prefixed so that a script may import what it likes.
const PRELUDE = `
import { register as __register, createRequire as __createRequire } from 'node:module';
import { readFileSync as __readFileSync } from 'node:fs';
import { fileURLToPath as __fileURLToPath } from 'node:url';
const __loadLog = process.env.TALKBACK_LOAD_LOG;
if (__loadLog) __register('data:text/javascript,' + encodeURIComponent(${JSON.stringify(HOOKS)}), { data: { log: __loadLog } });
const loadedFiles = () => {
  const files = new Set(Object.keys(__createRequire(process.cwd() + '/').cache));
  for (const url of __readFileSync(__loadLog, 'utf8').split('\\n')) if (url) files.add(__fileURLToPath(url));
  return [...files];
};
const report = (value) => process.stdout.write('\\n' + JSON.stringify(value) + '\\n');
`;

export interface ScriptOptions {
  /** The script's body (ESM); it may call loadedFiles() and must call report(value) once. */
  body: string;
  env: Record<string, string>;
  /** Record loaded files (slows every module load a little: keep timing runs without it). */
  record?: boolean;
  /** Run under tsx, so the script may import .ts sources. */
  tsx?: boolean;
  cwd?: string;
}

/** Runs `body` in a fresh node process and returns what it reported. */
export async function runScript<T>({ body, env, record = false, tsx = false, cwd = process.cwd() }: ScriptOptions): Promise<T> {
  const dir = await mkdtemp(path.join(tmpdir(), 'talkback-loads-'));
  const childEnv: Record<string, string> = { PATH: process.env['PATH'] ?? '', TALKBACK_DATA_DIR: dir, ...env };
  if (record) childEnv['TALKBACK_LOAD_LOG'] = path.join(dir, 'loads.log');
  const args = [...(tsx ? ['--import', 'tsx'] : []), '--input-type=module', '-e', PRELUDE + body];
  try {
    const { code, stdout, stderr } = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve, reject) => {
      const child = spawn(process.execPath, args, { cwd, env: childEnv, stdio: ['ignore', 'pipe', 'pipe'] });
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      child.once('error', reject);
      child.once('close', (exitCode) => resolve({ code: exitCode, stdout, stderr }));
    });
    const last = stdout.trimEnd().split('\n').at(-1) ?? '';
    if (code !== 0 || !last.startsWith('{')) throw new Error(`script exited with ${code}:\n${stderr}\n${stdout}`);
    return JSON.parse(last) as T;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
