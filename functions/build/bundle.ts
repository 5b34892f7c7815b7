/**
 * Bundles the Azure Functions app: functions/entries/*.ts → dist/app/entries/<name>.js, one entry per
 * function, ESM, with code splitting so the lazily imported adapters, the bot and their SDKs become
 * chunks (dist/app/chunks/) that load on first use only. Run: tsx functions/build/bundle.ts [--minify]
 */
import { readdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Metafile } from 'esbuild';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Never bundled. @azure/functions-core is provided by the Functions worker at run time. The rest serve
 * only the embedded adapters (SQLite bus/records, eSpeak NG, Azurite) that the Azure settings never
 * select; they are NOT shipped in the package: an app missing e.g. SERVICEBUS_CONNECTION_STRING fails
 * with ERR_MODULE_NOT_FOUND for better-sqlite3 on first use instead of silently running on SQLite.
 */
export const EXTERNAL = ['@azure/functions-core', 'better-sqlite3', 'espeak-ng', 'azurite'];

// CommonJS dependencies bundled into ESM still call require() (for node builtins and
// @azure/functions-core, which the worker serves through Module.prototype.require) and may read
// __filename/__dirname: give every output file those three.
const BANNER = [
  "import { createRequire as __talkbackCreateRequire } from 'node:module';",
  "import { fileURLToPath as __talkbackFileURLToPath } from 'node:url';",
  'const require = __talkbackCreateRequire(import.meta.url);',
  'const __filename = __talkbackFileURLToPath(import.meta.url);',
  "const __dirname = __talkbackFileURLToPath(new URL('.', import.meta.url));",
].join('\n');

export interface BundleOptions {
  outdir?: string;
  minify?: boolean;
}

export async function bundleFunctions({ outdir = path.join(ROOT, 'dist/app'), minify = false }: BundleOptions = {}): Promise<Metafile> {
  const entriesDir = path.join(ROOT, 'functions/entries');
  const entries = (await readdir(entriesDir)).filter((f) => f.endsWith('.ts'));
  await rm(outdir, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: entries.map((f) => ({ in: path.join(entriesDir, f), out: `entries/${path.basename(f, '.ts')}` })),
    outdir,
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: EXTERNAL,
    banner: { js: BANNER },
    minify,
    sourcemap: true,
    metafile: true,
    logLevel: 'warning',
  });
  // Beside the app, not in it: maps source modules to their chunks (bench, inspection).
  await writeFile(`${outdir}.meta.json`, JSON.stringify(result.metafile));
  return result.metafile;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const outdir = path.join(ROOT, 'dist/app');
  const meta = await bundleFunctions({ outdir, minify: process.argv.includes('--minify') });
  const js = Object.entries(meta.outputs).filter(([file]) => file.endsWith('.js'));
  const kib = (bytes: number) => `${(bytes / 1024).toFixed(0)} KiB`;
  for (const [file, out] of js.filter(([file]) => file.includes('/entries/'))) {
    process.stdout.write(`${file}  ${kib(out.bytes)}\n`);
  }
  const total = js.reduce((sum, [, out]) => sum + out.bytes, 0);
  process.stdout.write(`${js.length} files, ${kib(total)} of JavaScript in ${path.relative(ROOT, outdir)}\n`);
}
