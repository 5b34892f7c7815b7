/**
 * npm run package — bundles the app (bundle.ts) and writes talkback-functions.zip, what zip deploy takes
 * (`az functionapp deployment source config-zip --src talkback-functions.zip`, with
 * WEBSITE_RUN_FROM_PACKAGE=1): host.json, a runtime package.json and dist/app/**.
 *
 * The runtime package.json has no dependencies: the bundle holds every package the Azure adapters
 * use. What it leaves external is @azure/functions-core (served by the Functions worker) and the
 * embedded-only better-sqlite3 / espeak-ng / azurite, which are not shipped (see EXTERNAL). Nothing
 * needs installing on the server; it has no scripts either, so a remote build has nothing to run.
 */
import { createWriteStream } from 'node:fs';
import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { fileURLToPath } from 'node:url';
import { ZipFile } from 'yazl';
import { bundleFunctions, ROOT } from './bundle.js';

/** Where the deployed package.json's "main" finds the entries, relative to the package root. */
export const APP_DIR = 'dist/app';
// Fixed timestamps: the same build gives the same zip.
const MTIME = new Date('2020-01-01T00:00:00Z');

export async function runtimePackageJson(): Promise<Record<string, unknown>> {
  const source = JSON.parse(await readFile(path.join(ROOT, 'package.json'), 'utf8')) as Record<string, unknown>;
  return {
    name: source['name'],
    version: source['version'],
    private: true,
    type: 'module',
    main: `${APP_DIR}/entries/*.js`,
    engines: source['engines'],
    dependencies: {},
  };
}

/** Zips `appDir` (a bundle from bundle.ts) as dist/app/ with host.json and the runtime package.json. */
export async function packageFunctions(appDir: string, outFile: string): Promise<string[]> {
  const zip = new ZipFile();
  const names: string[] = [];
  const add = (name: string, data: Buffer) => {
    zip.addBuffer(data, name, { mtime: MTIME, mode: 0o100644 });
    names.push(name);
  };
  add('host.json', await readFile(path.join(ROOT, 'host.json')));
  add('package.json', Buffer.from(`${JSON.stringify(await runtimePackageJson(), null, 2)}\n`));
  const files = (await readdir(appDir, { recursive: true, withFileTypes: true })).filter((e) => e.isFile());
  const relative = files.map((e) => path.relative(appDir, path.join(e.parentPath, e.name)).split(path.sep).join('/')).sort();
  for (const file of relative) add(`${APP_DIR}/${file}`, await readFile(path.join(appDir, file)));
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(outFile));
  return names;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const appDir = path.join(ROOT, APP_DIR);
  await bundleFunctions({ outdir: appDir });
  const outFile = path.join(ROOT, 'talkback-functions.zip');
  const names = await packageFunctions(appDir, outFile);
  const { size } = await stat(outFile);
  process.stdout.write(`${path.relative(ROOT, outFile)}: ${names.length} files, ${(size / 1024 / 1024).toFixed(2)} MiB\n`);
}
