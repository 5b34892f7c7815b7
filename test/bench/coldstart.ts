/**
 * npm run bench:coldstart — module load of each deployed function entry, bundled vs unbundled, in
 * fresh node processes (the Functions worker imports every entry when it starts):
 *  - unbundled: the tsc output (dist/functions/azure/entries/<name>.js, packages from node_modules),
 *  - bundled: dist/app/entries/<name>.js (functions/azure/build/bundle.ts), and the same minified.
 * "import" is the entry alone; "+ first use" then imports the lazily loaded modules that the
 * function's first invocation loads (its adapters, the bot) with every Azure adapter selected.
 * The row "all" imports every entry, as the worker does at start-up, then every function's first use.
 * Times: median of COLDSTART_RUNS (7) processes without hooks; files: one extra run with a recorder.
 * Prints a table and writes bench-results/coldstart.json. Expects `npm run build:functions` first.
 */
import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Metafile } from 'esbuild';
import { bundleFunctions, ROOT } from '../../functions/azure/build/bundle.js';
import { FAKE_AZURE_SETTINGS } from '../support/fake-azure-settings.js';
import { runScript } from '../support/module-loads.js';

const RUNS = Number(process.env['COLDSTART_RUNS'] ?? 7);

const BOT = 'bot/botbuilder-chat-endpoint.ts';
const CHAT = 'adapters/chat/botbuilder-chat-channel.ts';
const BUS = 'adapters/bus/azure-service-bus-event-bus.ts';
const STORE = 'adapters/store/cosmos-interaction-store.ts';
const AUDIO = 'adapters/audio/azure-blob-audio-store.ts';
const SPEECH = 'adapters/speech/azure/azure-speech-synthesizer.ts';
const MAILER = 'adapters/mail/sendgrid-mailer.ts';
/** What each handler's first invocation imports, from the ports it calls (functions/<name>.ts). */
const FIRST_USE: Record<string, string[]> = {
  messages: [BOT, BUS],
  health: [],
  speech: [SPEECH, AUDIO, BUS],
  log: [STORE],
  mail: [STORE, AUDIO, MAILER, BUS],
  reply: [STORE, AUDIO, CHAT, BUS],
  digest: [STORE, MAILER],
};

interface Variant {
  name: string;
  entry: (fn: string) => string;
  module: (source: string) => string;
}

function bundled(name: string, dir: string, meta: Metafile): Variant {
  const chunkOf = new Map(Object.entries(meta.outputs).flatMap(([out, o]) => (o.entryPoint ? [[o.entryPoint, out] as const] : [])));
  return {
    name,
    entry: (fn) => path.join(dir, 'entries', `${fn}.js`),
    module: (source) => path.join(ROOT, chunkOf.get(source) ?? `missing chunk for ${source}`),
  };
}

interface Sample {
  importMs: number;
  firstUseMs: number;
  importFiles?: number;
  files?: number;
}

const body = (entries: string[], firstUse: string[], record: boolean) => `
  const url = (file) => new URL('file://' + file).href;
  let start = performance.now();
  for (const file of ${JSON.stringify(entries)}) await import(url(file));
  const importMs = performance.now() - start;
  const importFiles = ${record} ? loadedFiles().length : undefined;
  start = performance.now();
  for (const file of ${JSON.stringify(firstUse)}) await import(url(file));
  const firstUseMs = performance.now() - start;
  report({ importMs, firstUseMs, importFiles, files: ${record} ? loadedFiles().length : undefined });`;

const median = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return Math.round(sorted[Math.floor(sorted.length / 2)]! * 10) / 10;
};

async function main() {
  const appMeta = JSON.parse(await readFile(path.join(ROOT, 'dist/app.meta.json'), 'utf8')) as Metafile;
  const minDir = path.join(ROOT, 'dist/app-min');
  const minMeta = await bundleFunctions({ outdir: minDir, minify: true });
  const variants: Variant[] = [
    {
      name: 'unbundled',
      entry: (fn) => path.join(ROOT, 'dist/functions/azure/entries', `${fn}.js`),
      module: (source) => path.join(ROOT, 'dist', source.replace(/\.ts$/, '.js')),
    },
    bundled('bundled', path.join(ROOT, 'dist/app'), appMeta),
    bundled('bundled+minified', minDir, minMeta),
  ];
  const functions = (await readdir(path.join(ROOT, 'functions/azure/entries'))).map((f) => path.basename(f, '.ts'));
  const cases = [...functions.map((fn) => [fn, [fn]] as const), ['all', functions] as const];
  const results: { function: string; variant: string; samples: Sample[] }[] = [];
  for (const [fn, included] of cases) {
    const row = variants.map((v) => ({ function: fn, variant: v.name, samples: [] as Sample[] }));
    // Round-robin over the variants, so machine noise falls on all of them alike.
    for (let run = 0; run <= RUNS; run += 1) {
      for (const [i, v] of variants.entries()) {
        const record = run === RUNS;
        const firstUse = [...new Set(included.flatMap((f) => FIRST_USE[f] ?? []))];
        const script = body(included.map(v.entry), firstUse.map(v.module), record);
        row[i]!.samples.push(await runScript<Sample>({ body: script, env: FAKE_AZURE_SETTINGS, record, cwd: ROOT }));
      }
    }
    results.push(...row);
    process.stdout.write(`measured ${fn}\n`);
  }

  const table = results.map(({ function: fn, variant, samples }) => {
    const timed = samples.slice(0, RUNS);
    const counted = samples[RUNS]!;
    return {
      function: fn,
      variant,
      importMs: median(timed.map((s) => s.importMs)),
      importFiles: counted.importFiles ?? 0,
      withFirstUseMs: median(timed.map((s) => s.importMs + s.firstUseMs)),
      withFirstUseFiles: counted.files ?? 0,
    };
  });
  console.table(table);
  await mkdir(path.join(ROOT, 'bench-results'), { recursive: true });
  const file = path.join(ROOT, 'bench-results/coldstart.json');
  await writeFile(file, JSON.stringify({ runs: RUNS, node: process.version, at: new Date().toISOString(), table, results }, null, 2));
  process.stdout.write(`wrote ${pathToFileURL(file).href}\n`);
}

await main();
