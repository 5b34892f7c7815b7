import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { BOT_SDKS } from '../../../support/bot-sdks.js';
import { FAKE_AZURE_SETTINGS } from '../../../support/fake-azure-settings.js';

/** The composition caches its services per module instance: each test loads a fresh one. */
async function freshAzureServices() {
  vi.resetModules();
  const { azureContext } = await import('../../../../functions/azure/azure-ports.js');
  return azureContext;
}

/** Bus, records, speech and mail have no embedded fallback in Azure. */
const { MicrosoftAppId: _id, MicrosoftAppPassword: _password, AZURE_STORAGE_CONNECTION_STRING: _storage, ...BACKENDS } = FAKE_AZURE_SETTINGS;

const STORAGE = 'DefaultEndpointsProtocol=https;AccountName=talkbacktest;AccountKey=dGVzdA==;EndpointSuffix=core.windows.net';

describe('azureContext (the Functions composition)', () => {
  let saved: NodeJS.ProcessEnv;

  beforeEach(() => {
    saved = process.env;
    // Only what each test sets: no setting of the machine running the tests leaks in.
    process.env = { LOG_LEVEL: 'silent' };
  });

  afterEach(() => {
    process.env = saved;
  });

  it('refuses to run the bot anonymously: no MicrosoftAppId is a permanent ConfigInvalid', async () => {
    process.env['AZURE_STORAGE_CONNECTION_STRING'] = STORAGE;
    const azureContext = await freshAzureServices();
    let thrown: unknown;
    try {
      azureContext();
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toMatchObject({ name: 'TalkbackError', code: 'ConfigInvalid', retryable: false });
    expect((thrown as Error).message).toContain('MicrosoftAppId');
    expect((thrown as Error).message).not.toContain('AZURE_STORAGE_CONNECTION_STRING');
  });

  it('lists every missing setting at once', async () => {
    const azureContext = await freshAzureServices();
    expect(() => azureContext()).toThrow(/MicrosoftAppId.*AZURE_STORAGE_CONNECTION_STRING.*SERVICEBUS_CONNECTION_STRING.*COSMOS_ENDPOINT.*SPEECH_KEY.*SENDGRID_API_KEY/);
  });

  it('builds the services once the app id, its password and a storage account are set', async () => {
    Object.assign(process.env, {
      ...BACKENDS,
      MicrosoftAppId: '00000000-0000-4000-8000-000000000001',
      MicrosoftAppPassword: 'secret',
      AZURE_STORAGE_CONNECTION_STRING: STORAGE,
    });
    const azureContext = await freshAzureServices();
    const services = azureContext();
    expect(services.config.MicrosoftAppId).toBe('00000000-0000-4000-8000-000000000001');
    expect(services.config.AZURE_STORAGE_CONNECTION_STRING).toBe(STORAGE);
    expect(azureContext()).toBe(services);
  });

  it.each(BOT_SDKS)('runs the bot on %s with the Agents SDK setting names, refusing a request without a token', async (sdk) => {
    Object.assign(process.env, {
      ...BACKENDS,
      BOT_SDK: sdk,
      clientId: '00000000-0000-4000-8000-000000000003',
      clientSecret: 'secret',
      AZURE_STORAGE_CONNECTION_STRING: STORAGE,
    });
    const context = (await freshAzureServices())();
    expect(context.config.MicrosoftAppId).toBe('00000000-0000-4000-8000-000000000003');
    expect(context.ports.describe().endpoint).toMatch(sdk === 'agents' ? /Agents SDK/ : /botbuilder/);
    expect(context.ports.describe().chat).toMatch(sdk === 'agents' ? /Agents SDK/ : /botbuilder/);
    const endpoint = await context.ports.endpoint();
    const activity = {
      type: 'message',
      id: 'act-1',
      channelId: 'msteams',
      serviceUrl: 'https://smba.trafficmanager.net/teams/',
      from: { id: 'user-1' },
      recipient: { id: 'bot-1' },
      conversation: { id: 'conv-1' },
      text: 'hello',
    };
    expect((await endpoint.process({ headers: {}, body: activity })).status).toBe(401);
    expect((await endpoint.process({ headers: { authorization: 'Bearer not-a-jwt' }, body: activity })).status).toBe(401);
  });

  it('reads process.env as it is at the first invocation, not at import', async () => {
    const azureContext = await freshAzureServices();
    Object.assign(process.env, BACKENDS);
    process.env['MicrosoftAppId'] = '00000000-0000-4000-8000-000000000002';
    process.env['MicrosoftAppPassword'] = 'secret';
    process.env['AZURE_STORAGE_CONNECTION_STRING'] = STORAGE;
    expect(azureContext().config.MicrosoftAppId).toBe('00000000-0000-4000-8000-000000000002');
  });

  it('takes ACS Email as the mailer instead of SendGrid, and refuses to start with both', async () => {
    const { SENDGRID_API_KEY: _sendgrid, ...withoutSendGrid } = BACKENDS;
    const ACS = { ACS_EMAIL_CONNECTION_STRING: 'endpoint=https://talkback.europe.communication.azure.com/;accesskey=bm90LWEta2V5' };
    const app = { MicrosoftAppId: '00000000-0000-4000-8000-000000000001', MicrosoftAppPassword: 'secret', AZURE_STORAGE_CONNECTION_STRING: STORAGE };
    Object.assign(process.env, withoutSendGrid, ACS, app);
    expect((await freshAzureServices())().config.ACS_EMAIL_CONNECTION_STRING).toBe(ACS.ACS_EMAIL_CONNECTION_STRING);
    process.env = { LOG_LEVEL: 'silent', ...BACKENDS, ...ACS, ...app };
    expect(await freshAzureServices()).toThrow(/SENDGRID_API_KEY: must not be set together with ACS_EMAIL_CONNECTION_STRING/);
  });

  it('makes the Functions app refuse to start: an entry without MicrosoftAppId does not register', async () => {
    Object.assign(process.env, BACKENDS, { AZURE_STORAGE_CONNECTION_STRING: STORAGE });
    vi.resetModules();
    await expect(import('../../../../functions/azure/entries/messages.js')).rejects.toMatchObject({ code: 'ConfigInvalid' });
  });
});
