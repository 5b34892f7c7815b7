import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FAKE_AZURE_SETTINGS } from '../../../support/fake-azure-settings.js';
import { runScript } from '../../../support/module-loads.js';

// Every Azure adapter is selected (as in Azure), so a function that touched the wrong port would load its SDK.
const SDKS = {
  speech: `${path.sep}node_modules${path.sep}microsoft-cognitiveservices-speech-sdk${path.sep}`,
  cosmos: `${path.sep}node_modules${path.sep}@azure${path.sep}cosmos${path.sep}`,
  sendgrid: `${path.sep}node_modules${path.sep}@sendgrid${path.sep}`,
  blob: `${path.sep}node_modules${path.sep}@azure${path.sep}storage-blob${path.sep}`,
  // The Service Bus SDK-type binding (and its gRPC client): only with SERVICEBUS_SDK_BINDING=true.
  sdkBinding: `${path.sep}node_modules${path.sep}@azure${path.sep}functions-extensions-servicebus${path.sep}`,
  grpc: `${path.sep}node_modules${path.sep}@grpc${path.sep}`,
};
const BOTBUILDER = `${path.sep}node_modules${path.sep}botbuilder${path.sep}`;
const SERVICE_BUS = `${path.sep}node_modules${path.sep}@azure${path.sep}service-bus${path.sep}`;
/** The email toolkit (~600 modules): loaded by the first email rendered, never at import. */
const MJML = `${path.sep}node_modules${path.sep}mjml-core${path.sep}`;

const source = (file: string) => JSON.stringify(pathToFileURL(path.resolve(file)).href);
const loading = (files: string[], marker: string) => files.filter((f) => f.includes(marker)).length;

describe('cold start: a function loads only the SDKs it uses', () => {
  it('messages, handling a request, loads the bot and Service Bus but not Speech, Cosmos, SendGrid or Blob', async () => {
    // The entry as the worker loads it, then what a request does: the handler runs the bot (which,
    // with an app id and a token it cannot verify, refuses with 401 — no network), and the bot publishes
    // through the bus. (Without any token the handler refuses before loading the bot.)
    const body = `
      await import(${source('functions/azure/entries/messages.ts')});
      const { azureContext } = await import(${source('functions/azure/azure-ports.ts')});
      const { messages } = await import(${source('functions/messages.ts')});
      const app = azureContext();
      const activity = { type: 'message', id: 'a1', text: 'hello', channelId: 'emulator', serviceUrl: 'http://127.0.0.1:9',
        from: { id: 'user' }, recipient: { id: 'bot' }, conversation: { id: 'c1' } };
      const request = new Request('http://127.0.0.1/api/messages', { method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer not.a.token' }, body: JSON.stringify(activity) });
      const response = await messages.handler(request, app);
      await app.ports.bus();
      report({ status: response.status, files: loadedFiles() });`;
    const result = await runScript<{ status: number; files: string[] }>({ body, env: FAKE_AZURE_SETTINGS, record: true, tsx: true });

    expect(result.status).toBe(401);
    expect(loading(result.files, BOTBUILDER)).toBeGreaterThan(0);
    expect(loading(result.files, SERVICE_BUS)).toBeGreaterThan(0);
    for (const marker of [...Object.values(SDKS), MJML]) expect(result.files.filter((f) => f.includes(marker))).toEqual([]);
  });

  it.each(['reply', 'mail', 'digest'])('the %s entry loads no SDK when the worker imports it', async (name) => {
    const body = `
      await import(${source(`functions/azure/entries/${name}.ts`)});
      report({ files: loadedFiles() });`;
    const { files } = await runScript<{ files: string[] }>({ body, env: FAKE_AZURE_SETTINGS, record: true, tsx: true });

    expect(loading(files, `${path.sep}functions${path.sep}${name}.ts`)).toBe(1);
    for (const marker of [...Object.values(SDKS), BOTBUILDER, SERVICE_BUS, MJML]) {
      expect(files.filter((f) => f.includes(marker))).toEqual([]);
    }
  });

  it('with SERVICEBUS_SDK_BINDING=true a subscriber entry loads the SDK-type binding at import (before any message), the messages entry does not', async () => {
    const body = `
      await import(${source('functions/azure/entries/messages.ts')});
      const afterMessages = loadedFiles();
      await import(${source('functions/azure/entries/reply.ts')});
      report({ afterMessages, afterReply: loadedFiles() });`;
    const env = { ...FAKE_AZURE_SETTINGS, SERVICEBUS_SDK_BINDING: 'true' };
    const { afterMessages, afterReply } = await runScript<{ afterMessages: string[]; afterReply: string[] }>({ body, env, record: true, tsx: true });

    expect(loading(afterMessages, SDKS.sdkBinding)).toBe(0);
    expect(loading(afterReply, SDKS.sdkBinding)).toBeGreaterThan(0);
  });
});
