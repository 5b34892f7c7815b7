/**
 * A worker thread's module, from `base` (its URL without extension: `new URL('./x', import.meta.url)`). From the
 * build it is the plain JavaScript file. From TypeScript sources a thread needs tsx: a process started
 * with `--import tsx` passes it on to its threads, which then load the source themselves; otherwise
 * (vitest; a worker cannot be given a loader on Node 20) the thread runs a tiny module that registers
 * tsx and then imports the source (registered twice, a thread would run two loaders).
 */
export function threadEntry(base: URL): URL {
  const caller = import.meta.url;
  if (!caller.endsWith('.ts')) return new URL(`${base.href}.js`);
  const entry = `${base.href}.ts`;
  if (/(^| )--(import|loader|experimental-loader)[= ]tsx($| |\/)/.test(process.execArgv.join(' '))) return new URL(entry);
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `const { register } = await import(${JSON.stringify(tsx)}); register();
export default (await import(${JSON.stringify(entry)})).default;`;
  return new URL(`data:text/javascript;base64,${Buffer.from(boot).toString('base64')}`);
}
