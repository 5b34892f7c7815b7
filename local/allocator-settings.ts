/**
 * glibc's allocator settings for the local host (Linux; other C libraries ignore them): 2 arenas
 * instead of up to 8 per core, and blocks of 128 KB or more mapped on their own, so that freeing one
 * gives it back (glibc otherwise raises that threshold as such blocks are freed, and then keeps
 * them). The synthesis threads allocate many short-lived buffers; measured with
 * test/bench/speech-memory.ts: ~15 MB less per thread, ~40 MB less kept once the threads have ended.
 * What the environment already says is kept.
 */
export function allocatorEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  return { MALLOC_ARENA_MAX: '2', MALLOC_MMAP_THRESHOLD_: '131072', ...env };
}

type Execve = (file: string, args: string[], env: NodeJS.ProcessEnv) => never;

/**
 * glibc reads its settings when a process starts: without them, this process starts itself again in
 * place (process.execve, Node 22.15+: the same pid, arguments, flags and environment), once. Call it first thing,
 * before anything else is loaded. Elsewhere, or on an older Node, it runs on as it is.
 */
export function restartWithAllocatorSettings(): void {
  const env = allocatorEnvironment(process.env);
  if (process.platform !== 'linux' || Object.keys(env).every((key) => process.env[key] !== undefined)) return;
  const execve = (process as unknown as { execve?: Execve }).execve;
  if (typeof execve !== 'function') return;
  try {
    execve.call(process, process.execPath, [process.execPath, ...process.execArgv, ...process.argv.slice(1)], env);
  } catch {
    // Not permitted here (a sandbox): the host runs on without the settings.
  }
}
