/**
 * Bundles the Azure Functions app: functions/azure/entries/*.ts → dist/app/entries/<name>.js, one entry per
 * function, ESM, with code splitting so the lazily imported adapters, the bot and their SDKs become
 * chunks (dist/app/chunks/) that load on first use only. Run: tsx functions/azure/build/bundle.ts [--minify]
 */
import { copyFile, mkdir, readFile, readdir, rm, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, transform, type Metafile } from 'esbuild';

export const ROOT = fileURLToPath(new URL('../../../', import.meta.url));

/**
 * Never bundled. @azure/functions-core is provided by the Functions worker at run time. The rest serve
 * only the embedded adapters (SQLite bus/records, eSpeak NG, Azurite) that the Azure settings never
 * select; they are NOT shipped in the package: an app missing e.g. SERVICEBUS_CONNECTION_STRING fails
 * with ERR_MODULE_NOT_FOUND for better-sqlite3 on first use instead of silently running on SQLite.
 */
export const EXTERNAL = ['@azure/functions-core', 'better-sqlite3', 'espeak-ng', 'azurite'];

// CommonJS dependencies bundled into ESM still call require(): for node builtins, and for
// @azure/functions-core, which the worker serves through Module.prototype.require, so it must stay a
// real CommonJS require. __dirname/__filename are rewritten (define) rather than declared in the
// banner: a declaration there collides with bundled ESM modules that declare their own.
const BANNER =
  "import { createRequire as __talkbackCreateRequire } from 'node:module';\n" +
  'const require = __talkbackCreateRequire(import.meta.url);';

export interface BundleOptions {
  outdir?: string;
  /** Off by default: minified loaded no faster in bench:coldstart, and readable stack traces matter more. */
  minify?: boolean;
}

export async function bundleFunctions({ outdir = path.join(ROOT, 'dist/app'), minify = false }: BundleOptions = {}): Promise<Metafile> {
  const entriesDir = path.join(ROOT, 'functions/azure/entries');
  const entries = (await readdir(entriesDir)).filter((f) => f.endsWith('.ts'));
  await rm(outdir, { recursive: true, force: true });
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: entries.map((f) => ({ in: path.join(entriesDir, f), out: `entries/${path.basename(f, '.ts')}` })),
    outdir,
    // Outside entries/: the worker imports every file package.json's "main" glob matches.
    chunkNames: 'chunks/[name]-[hash]',
    bundle: true,
    splitting: true,
    format: 'esm',
    platform: 'node',
    target: 'node20',
    external: EXTERNAL,
    banner: { js: BANNER },
    define: { __dirname: 'import.meta.dirname', __filename: 'import.meta.filename' },
    minify,
    // Maps without the sources themselves: stack traces map to file:line (run node with
    // --enable-source-maps) at a fraction of the size.
    sourcemap: true,
    sourcesContent: false,
    metafile: true,
    logLevel: 'warning',
  });
  await checkSyntax(Object.keys(result.metafile.outputs).filter((f) => f.endsWith('.js')));
  await copyAssets(result.metafile);
  // Beside the app, not in it: maps source modules to their chunks (bench, inspection).
  await writeFile(`${outdir}.meta.json`, JSON.stringify(result.metafile));
  return result.metafile;
}

/**
 * Files a bundled package reads at run time beside its own code (`path.join(__dirname, …)`, which the
 * bundle makes the chunk's folder): copied next to the chunk that holds the package, and listed in
 * the metafile's outputs so that the package and its tests see them.
 */
const ASSETS: readonly { package: string; file: string; to: string }[] = [
  // The Service Bus SDK-type binding loads the host's Settlement gRPC service definition on first use.
  { package: 'node_modules/@azure/functions-extensions-servicebus/', file: 'node_modules/@azure/functions-extensions-servicebus/dist/proto/settlement.proto', to: 'proto/settlement.proto' },
];

async function copyAssets(meta: Metafile): Promise<void> {
  for (const asset of ASSETS) {
    const chunks = Object.entries(meta.outputs).filter(([, o]) => Object.keys(o.inputs).some((input) => input.startsWith(asset.package)));
    for (const [chunk] of chunks) {
      const target = path.join(path.dirname(chunk), asset.to);
      await mkdir(path.join(ROOT, path.dirname(target)), { recursive: true });
      await copyFile(path.join(ROOT, asset.file), path.join(ROOT, target));
      const { size } = await stat(path.join(ROOT, target));
      meta.outputs[target.split(path.sep).join('/')] = { bytes: size, inputs: {}, imports: [], exports: [], entryPoint: undefined };
    }
  }
}

/**
 * The banner is pasted in unparsed: if it declared a name a bundled module also declares, that chunk
 * would throw a SyntaxError only when first loaded, in production. Parse every output now instead.
 */
async function checkSyntax(files: string[]): Promise<void> {
  for (const file of files) {
    const code = await readFile(path.join(ROOT, file), 'utf8');
    try {
      await transform(code, { format: 'esm', loader: 'js', logLevel: 'silent' });
    } catch (error) {
      const text = (error as { errors?: { text: string }[] }).errors?.[0]?.text ?? String(error);
      throw new Error(`${file} does not parse: ${text}`);
    }
  }
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
