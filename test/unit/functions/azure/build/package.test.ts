import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { Metafile } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { functions as declared } from '../../../../../functions/all.js';
import { staffConsole } from '../../../../../functions/console.js';

/** Every function the Azure app registers: the declared ones and the Azure-only staff console. */
const functions = [...declared, staffConsole];
import { bundleFunctions, ROOT } from '../../../../../functions/azure/build/bundle.js';
import { packageFunctions } from '../../../../../functions/azure/build/package.js';
import { FAKE_AZURE_SETTINGS } from '../../../../support/fake-azure-settings.js';
import { runScript } from '../../../../support/module-loads.js';
import { serviceBusModelBindingContent, startSettlementServer } from '../../../../support/settlement-server.js';
import { readZip } from '../../../../support/zip.js';

// The modules of the Azure adapters and the bot (lazily imported, so each is its own chunk), and the class each exports.
const LAZY_AZURE: Record<string, string> = {
  'bot/botbuilder-chat-endpoint.ts': 'BotbuilderChatEndpoint',
  'adapters/chat/botbuilder-chat-channel.ts': 'BotbuilderChatChannel',
  'adapters/bus/azure-service-bus-event-bus.ts': 'AzureServiceBusEventBus',
  'adapters/store/cosmos-interaction-store.ts': 'CosmosInteractionStore',
  'adapters/audio/azure-blob-audio-store.ts': 'AzureBlobAudioStore',
  'adapters/speech/azure/azure-speech-synthesizer.ts': 'AzureSpeechSynthesizer',
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

  it('runs unzipped with no node_modules: main registers every function with the worker, the Azure chunks load', async () => {
    const site = path.join(dir, 'site');
    for (const [name, data] of zip) {
      await mkdir(path.dirname(path.join(site, name)), { recursive: true });
      await writeFile(path.join(site, name), data);
    }
    const chunkOf = new Map(Object.entries(meta.outputs).flatMap(([out, o]) => (o.entryPoint ? [[o.entryPoint, out] as const] : [])));
    const lazy = Object.keys(LAZY_AZURE).map((source) => path.join(site, inZip(chunkOf.get(source) ?? source)));
    // As the Functions worker does: serve @azure/functions-core through Module.prototype.require, then
    // import every file that package.json "main" (a "dir/*.js" glob here) matches.
    const body = `
      const { default: Module } = await import('node:module');
      const { readdirSync, readFileSync } = await import('node:fs');
      const { pathToFileURL } = await import('node:url');
      const registered = [];
      const models = [];
      const coreApi = {
        version: '3.10.1', hostVersion: '4.1037.0', log: () => {}, Disposable: class {},
        registerHook: () => ({ dispose() {} }), getProgrammingModel: () => undefined,
        setProgrammingModel: (model) => models.push(model.name),
        registerFunction: (metadata) => { registered.push({ name: metadata.name, trigger: Object.values(metadata.bindings)[0] }); return { dispose() {} }; },
      };
      Module.prototype.require = new Proxy(Module.prototype.require, {
        apply: (target, self, args) => (args[0] === '@azure/functions-core' ? coreApi : Reflect.apply(target, self, args)),
      });
      const main = JSON.parse(readFileSync('package.json', 'utf8')).main;
      const dir = main.slice(0, main.lastIndexOf('/'));
      for (const file of readdirSync(dir).filter((f) => f.endsWith('.js')).sort()) await import(pathToFileURL(dir + '/' + file).href);
      const exported = [];
      for (const file of ${JSON.stringify(lazy)}) {
        const exports = await import(pathToFileURL(file).href);
        exported.push(Object.entries(exports).filter(([, value]) => typeof value === 'function').map(([name]) => name));
      }
      report({ models, registered, exported });`;
    type Registered = { name: string; trigger: Record<string, unknown> };
    const result = await runScript<{ models: string[]; registered: Registered[]; exported: string[][] }>({
      body,
      env: FAKE_AZURE_SETTINGS,
      cwd: site,
    });

    expect(result.models).toEqual(['@azure/functions']);
    const byName = new Map(result.registered.map((r) => [r.name, r.trigger]));
    expect([...byName.keys()].sort()).toEqual(functions.map((f) => f.name).sort());
    expect(byName.get('messages')).toMatchObject({ type: 'httpTrigger', route: 'messages', methods: ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'] });
    expect(byName.get('mail')).toMatchObject({ type: 'serviceBusTrigger', topicName: 'chat-events', subscriptionName: 'mail' });
    expect(byName.get('digest')).toMatchObject({ type: 'timerTrigger', schedule: '%DIGEST_SCHEDULE%' });
    expect(result.exported).toEqual(Object.values(LAZY_AZURE).map((name) => expect.arrayContaining([name]) as unknown));
  });
  it('with SERVICEBUS_SDK_BINDING=true, settles through the SDK-type binding unzipped: a bad message is dead-lettered at once with its code', async () => {
    const site = path.join(dir, 'site-sdk-binding');
    for (const [name, data] of zip) {
      await mkdir(path.dirname(path.join(site, name)), { recursive: true });
      await writeFile(path.join(site, name), data);
    }
    const settlement = await startSettlementServer();
    try {
      const content = serviceBusModelBindingContent({ not: 'an event' }, 0).toString('base64');
      // As the worker does: it is started with the host's gRPC address; it serves @azure/functions-core;
      // it imports the entries (the reply entry here), then runs an invocation whose trigger input is
      // model binding data, through the programming model @azure/functions registered with it.
      const body = `
        process.argv.splice(1, Infinity, 'worker.js', '--host', '127.0.0.1', '--port', '${settlement.port}', '--functions-grpc-max-message-length', '2147483647');
        const { default: Module } = await import('node:module');
        const { pathToFileURL } = await import('node:url');
        const registered = new Map();
        let model;
        const coreApi = {
          version: '3.10.1', hostVersion: '4.1037.0', log: () => {}, Disposable: class {},
          registerHook: () => ({ dispose() {} }), getProgrammingModel: () => model,
          setProgrammingModel: (m) => { model = m; },
          registerFunction: (metadata, handler) => { registered.set(metadata.name, { metadata, handler }); return { dispose() {} }; },
        };
        Module.prototype.require = new Proxy(Module.prototype.require, {
          apply: (target, self, args) => (args[0] === '@azure/functions-core' ? coreApi : Reflect.apply(target, self, args)),
        });
        await import(pathToFileURL('dist/app/entries/reply.js').href);
        const { metadata, handler } = registered.get('reply');
        const [triggerName, trigger] = Object.entries(metadata.bindings).find(([, b]) => b.type === 'serviceBusTrigger');
        const invocation = model.getInvocationModel({
          invocationId: 'invocation-1',
          metadata,
          request: {
            triggerMetadata: {},
            inputData: [{ name: triggerName, data: { modelBindingData: {
              content: Buffer.from('${content}', 'base64'), source: 'AzureServiceBusReceivedMessage',
              contentType: 'application/octet-stream', version: '1.0' } } }],
          },
          log: () => {},
        });
        const { context, inputs } = await invocation.getArguments();
        await invocation.invokeFunction(context, inputs, handler);
        report({ trigger });`;
      const result = await runScript<{ trigger: Record<string, unknown> }>({
        body,
        env: { ...FAKE_AZURE_SETTINGS, SERVICEBUS_SDK_BINDING: 'true' },
        cwd: site,
      });
      expect(result.trigger).toMatchObject({
        type: 'serviceBusTrigger',
        topicName: 'chat-events',
        subscriptionName: 'reply',
        autoCompleteMessages: false,
        properties: { supportsDeferredBinding: 'true' },
      });
      expect(settlement.calls).toEqual([
        { method: 'deadletter', locktoken: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown, deadletterReason: 'EventInvalid', deadletterErrorDescription: expect.any(String) as unknown },
      ]);
    } finally {
      await settlement.stop();
    }
  });
});
