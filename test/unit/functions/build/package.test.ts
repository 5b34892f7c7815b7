import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { functions } from '../../../../functions/all.js';
import { bundleFunctions, ROOT } from '../../../../functions/build/bundle.js';
import { packageFunctions } from '../../../../functions/build/package.js';
import { FAKE_AZURE_SETTINGS } from '../../../support/fake-azure-settings.js';
import { runScript } from '../../../support/module-loads.js';
import { readZip } from '../../../support/zip.js';

// The modules of the Azure adapters and the bot (lazily imported, so each is its own chunk), and the class each exports.
const LAZY_AZURE: Record<string, string> = {
  'bot/bot-runtime.ts': 'BotRuntime',
  'adapters/bus/azure-service-bus-event-bus.ts': 'AzureServiceBusEventBus',
  'adapters/store/cosmos-interaction-store.ts': 'CosmosInteractionStore',
  'adapters/audio/azure-blob-audio-store.ts': 'AzureBlobAudioStore',
  'adapters/speech/azure-speech-synthesizer.ts': 'AzureSpeechSynthesizer',
  'adapters/mail/sendgrid-mailer.ts': 'SendGridMailer',
};

describe('npm run package (talkback-functions.zip)', () => {
  let dir: string;
  let appDir: string;
  let meta: Metafile;
  let zip: Map<string, Buffer>;
  const inZip = (output: string) => `dist/app/${path.relative(appDir, path.resolve(ROOT, output)).split(path.sep).join('/')}`;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'talkback-package-'));
    appDir = path.join(dir, 'app');
    meta = await bundleFunctions({ outdir: appDir });
    await packageFunctions(appDir, path.join(dir, 'talkback-functions.zip'));
    zip = await readZip(path.join(dir, 'talkback-functions.zip'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('holds host.json, a package.json without dependencies whose main globs one entry per function, and the bundle', async () => {
    expect(zip.get('host.json')?.toString()).toBe(await readFile(path.join(ROOT, 'host.json'), 'utf8'));
    const pkg = JSON.parse(zip.get('package.json')?.toString() ?? '{}') as Record<string, unknown>;
    expect(pkg).toMatchObject({ type: 'module', main: 'dist/app/entries/*.js', dependencies: {} });
    expect(pkg['scripts']).toBeUndefined();

    const entries = [...zip.keys()].filter((name) => /^dist\/app\/entries\/[^/]+\.js$/.test(name));
    expect(entries.sort()).toEqual(functions.map((f) => `dist/app/entries/${f.name}.js`).sort());
    const outputs = Object.keys(meta.outputs).map(inZip);
    expect(outputs.filter((name) => !zip.has(name))).toEqual([]);
    expect(zip.size).toBe(outputs.length + 2);
  });

  it('loads from the unzipped package with no node_modules: every entry, then the Azure adapters and the bot', async () => {
    const site = path.join(dir, 'site');
    for (const [name, data] of zip) {
      await mkdir(path.dirname(path.join(site, name)), { recursive: true });
      await writeFile(path.join(site, name), data);
    }
    const chunkOf = new Map(Object.entries(meta.outputs).flatMap(([out, o]) => (o.entryPoint ? [[o.entryPoint, out] as const] : [])));
    const lazy = Object.keys(LAZY_AZURE).map((source) => path.join(site, inZip(chunkOf.get(source) ?? source)));
    const entries = functions.map((f) => path.join(site, 'dist/app/entries', `${f.name}.js`));
    const body = `
      const { pathToFileURL } = await import('node:url');
      const exported = [];
      for (const file of ${JSON.stringify([...entries, ...lazy])}) {
        const exports = await import(pathToFileURL(file).href);
        exported.push(Object.entries(exports).filter(([, value]) => typeof value === 'function').map(([name]) => name));
      }
      report({ exported });`;
    const { exported } = await runScript<{ exported: string[][] }>({ body, env: FAKE_AZURE_SETTINGS, cwd: site });

    // Entries export nothing (they register); each lazy chunk exports its class.
    expect(exported.slice(0, entries.length)).toEqual(entries.map(() => []));
    expect(exported.slice(entries.length)).toEqual(Object.values(LAZY_AZURE).map((name) => expect.arrayContaining([name]) as unknown));
  });
});
