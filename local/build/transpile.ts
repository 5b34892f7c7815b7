/**
 * `npm start`'s build (npm's prestart hook): every source file of the app's folders transpiled by
 * esbuild to one JavaScript file each in dist/, same tree (local/main.ts → dist/local/main.js), ESM
 * for Node 22. No type check (that is `npm run typecheck`, part of `npm test`) and no bundling: the
 * host then runs plain JavaScript, without the tsx loader and its esbuild service in each process.
 * Run: node --import tsx local/build/transpile.ts (tsx's loader without its CLI: one process fewer)
 */
import { readFileSync } from 'node:fs';
import { mkdir, readFile, readdir, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** The app's source folders: tsconfig.build.json's include (the same files tsc builds); tests are not part of the build. */
export const SOURCE_FOLDERS: readonly string[] = (JSON.parse(readFileSync(path.join(ROOT, 'tsconfig.build.json'), 'utf8')) as { include: string[] }).include;

/** Where the entry of `npm start` lands: `node dist/local/main.js`. */
export const START_ENTRY = 'dist/local/main.js';

export interface TranspileResult {
  files: number;
  written: number;
  removed: number;
  ms: number;
}

export async function transpile({ root = ROOT, outdir = path.join(root, 'dist') } = {}): Promise<TranspileResult> {
  const startedAt = performance.now();
  const sources = (await Promise.all(SOURCE_FOLDERS.map((folder) => sourceFiles(root, folder)))).flat();
  const result = await build({
    absWorkingDir: root,
    entryPoints: sources,
    outbase: '.',
    outdir,
    bundle: false,
    format: 'esm',
    platform: 'node',
    target: 'node22',
    // tsconfig.json's "jsx": "react-jsx" with "jsxImportSource": "hono/jsx" (the console's pages).
    jsx: 'automatic',
    jsxImportSource: 'hono/jsx',
    write: false,
    logLevel: 'warning',
  });
  const outputs = new Set(result.outputFiles.map((file) => file.path));
  let written = 0;
  for (const file of result.outputFiles) {
    if (await replaceIfChanged(file.path, file.text)) written += 1;
  }
  let removed = 0;
  for (const folder of SOURCE_FOLDERS) {
    for (const stale of (await outputFiles(path.join(outdir, folder))).filter((file) => !outputs.has(file))) {
      await rm(stale, { force: true });
      removed += 1;
    }
  }
  return { files: outputs.size, written, removed, ms: Math.round(performance.now() - startedAt) };
}

/** The .ts and .tsx files under a folder (declaration files emit nothing). */
async function sourceFiles(root: string, folder: string): Promise<string[]> {
  const names = await readdir(path.join(root, folder), { recursive: true });
  return names
    .filter((name) => /\.tsx?$/.test(name) && !name.endsWith('.d.ts'))
    .map((name) => path.join(folder, name))
    .sort();
}

/** The .js files already under an output folder: those no source produces any more are removed. */
async function outputFiles(dir: string): Promise<string[]> {
  const names = await readdir(dir, { recursive: true }).catch(() => [] as string[]);
  return names.filter((name) => name.endsWith('.js')).map((name) => path.join(dir, name));
}

/**
 * Writes a module only when its text changed, through a rename: a host already running from dist/
 * (its worker imports adapters on first use) never reads a half-written file.
 */
async function replaceIfChanged(file: string, text: string): Promise<boolean> {
  if ((await readFile(file, 'utf8').catch(() => undefined)) === text) return false;
  await mkdir(path.dirname(file), { recursive: true });
  const temp = `${file}.${process.pid}.tmp`;
  await writeFile(temp, text);
  await rename(temp, file);
  return true;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { files, written, removed, ms } = await transpile();
  const changes = removed > 0 ? `${written} written, ${removed} removed` : `${written} written`;
  process.stdout.write(`built ${files} files to dist/ (${changes}) in ${ms} ms\n`);
}
