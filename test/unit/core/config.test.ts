import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../../core/config.js';

function problemsOf(env: Record<string, string>): { message: string; code: unknown; retryable: unknown; problems: unknown } {
  try {
    loadConfig(env);
  } catch (error) {
    const e = error as { message: string; code: unknown; retryable: unknown; details?: { problems?: unknown } };
    return { message: e.message, code: e.code, retryable: e.retryable, problems: e.details?.problems };
  }
  throw new Error('loadConfig accepted an invalid environment');
}

describe('loadConfig', () => {
  it('starts with no settings at all: embedded defaults, frozen', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      PORT: 3978,
      HOST: '127.0.0.1',
      TALKBACK_DATA_DIR: '.talkback',
      MAX_DELIVERY_COUNT: 10,
      STAFF_EMAILS: ['staff@localhost'],
      MAIL_FROM: 'talkback@localhost',
      SENDGRID_BASE_URL: 'https://api.sendgrid.com',
    });
    for (const azure of ['SERVICEBUS_CONNECTION_STRING', 'COSMOS_ENDPOINT', 'SENDGRID_API_KEY', 'SPEECH_KEY'] as const) {
      expect(config[azure]).toBeUndefined();
    }
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.STAFF_EMAILS)).toBe(true);
  });

  it('reads numbers from strings and treats a blank setting as absent', () => {
    const config = loadConfig({ PORT: '8080', MAX_CONCURRENT_CALLS: ' 8 ', COSMOS_ENDPOINT: '  ', SENDGRID_API_KEY: '' });
    expect(config.PORT).toBe(8080);
    expect(config.MAX_CONCURRENT_CALLS).toBe(8);
    expect(config.COSMOS_ENDPOINT).toBeUndefined();
    expect(config.SENDGRID_API_KEY).toBeUndefined();
  });

  it('splits STAFF_EMAILS on commas and semicolons, ignoring blanks', () => {
    expect(loadConfig({ STAFF_EMAILS: ' a@example.com; b@example.org ,, c@example.net;' }).STAFF_EMAILS).toEqual([
      'a@example.com',
      'b@example.org',
      'c@example.net',
    ]);
    expect(problemsOf({ STAFF_EMAILS: 'a@example.com, not-an-address' }).message).toMatch(/STAFF_EMAILS\.1: must be an e-mail address/);
    expect(problemsOf({ STAFF_EMAILS: ' ; , ' }).message).toMatch(/STAFF_EMAILS/);
  });

  it('lists every problem at once, as a permanent ConfigInvalid', () => {
    const failure = problemsOf({
      PORT: 'abc',
      COSMOS_ENDPOINT: 'https://acct.documents.azure.com:443/',
      SPEECH_REGION: 'koreacentral',
      LOG_LEVEL: 'loud',
    });
    expect(failure).toMatchObject({ code: 'ConfigInvalid', retryable: false, problems: 4 });
    expect(failure.message).toMatch(/^ {2}- PORT: /m);
    expect(failure.message).toMatch(/^ {2}- COSMOS_KEY: required when COSMOS_ENDPOINT is set$/m);
    expect(failure.message).toMatch(/^ {2}- SPEECH_KEY: required when SPEECH_REGION is set$/m);
    expect(failure.message).toMatch(/^ {2}- LOG_LEVEL: /m);
  });

  it.each([
    [{ COSMOS_KEY: 'k' }, 'COSMOS_ENDPOINT: required when COSMOS_KEY is set'],
    [{ SPEECH_KEY: 'k' }, 'SPEECH_REGION: required when SPEECH_KEY is set'],
    [{ MicrosoftAppId: 'app' }, 'MicrosoftAppPassword: required when MicrosoftAppId is set'],
    [{ MicrosoftAppId: 'app', MicrosoftAppPassword: 'p', MicrosoftAppType: 'SingleTenant' }, 'MicrosoftAppTenantId: required when MicrosoftAppType is not MultiTenant'],
    [{ RETRY_BASE_DELAY_MS: '5000', RETRY_MAX_DELAY_MS: '1000' }, 'RETRY_MAX_DELAY_MS: must be at least RETRY_BASE_DELAY_MS'],
    [{ COSMOS_CONNECTION_STRING: 'x' }, 'COSMOS_CONNECTION_STRING: must contain AccountEndpoint='],
    [{ AZURE_STORAGE_CONNECTION_STRING: 'x' }, 'AZURE_STORAGE_CONNECTION_STRING: is not a storage connection string'],
    [{ SERVICEBUS_CONNECTION_STRING: 'x' }, 'SERVICEBUS_CONNECTION_STRING: must contain Endpoint=sb://'],
  ])('reports a cross-setting rule alongside an unrelated invalid setting: %o', (env, problem) => {
    const failure = problemsOf({ ...env, MAX_CONCURRENT_CALLS: '0' });
    expect(failure.problems).toBe(2);
    expect(failure.message).toContain(`- ${problem}`);
    expect(failure.message).toContain('- MAX_CONCURRENT_CALLS: ');
  });

  it('accepts the combinations the rules allow', () => {
    expect(() => loadConfig({ COSMOS_KEY: 'k', COSMOS_CONNECTION_STRING: 'AccountEndpoint=https://a/;AccountKey=k' })).not.toThrow();
    expect(() => loadConfig({ MicrosoftAppId: 'app', MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppTenantId: 't' })).not.toThrow();
    expect(() => loadConfig({ AZURE_STORAGE_CONNECTION_STRING: 'UseDevelopmentStorage=true' })).not.toThrow();
  });

  it('never repeats a secret value in its error message', () => {
    const failure = problemsOf({ COSMOS_CONNECTION_STRING: 'AccountKey=TopSecret123==', SERVICEBUS_CONNECTION_STRING: 'SharedAccessKey=Hush456' });
    expect(failure.problems).toBe(2);
    expect(failure.message).not.toContain('TopSecret123');
    expect(failure.message).not.toContain('Hush456');
  });

  it('selects an Azure service only with a complete, well-formed setting', () => {
    const config = loadConfig({
      COSMOS_ENDPOINT: 'https://acct.documents.azure.com:443/',
      COSMOS_KEY: 'k',
      SERVICEBUS_CONNECTION_STRING: 'Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=a;SharedAccessKey=b',
    });
    expect(config.COSMOS_ENDPOINT).toBe('https://acct.documents.azure.com:443/');
    expect(problemsOf({ COSMOS_ENDPOINT: 'not a url', COSMOS_KEY: 'k' }).message).toMatch(/COSMOS_ENDPOINT/);
  });
});

describe('loadConfig: bot identity', () => {
  it('refuses a password with a user-assigned managed identity, which botbuilder would only reject per request', () => {
    const attempt = () =>
      loadConfig({ MicrosoftAppId: 'id', MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppTenantId: 't', MicrosoftAppPassword: 'p' });
    expect(attempt).toThrowError(/MicrosoftAppPassword: must not be set with MicrosoftAppType=UserAssignedMSI/);
    expect(loadConfig({ MicrosoftAppId: 'id', MicrosoftAppType: 'UserAssignedMSI', MicrosoftAppTenantId: 't' }).MicrosoftAppId).toBe('id');
  });

  it('treats a blank number as unset, never as 0', () => {
    const config = loadConfig({ PORT: '', DUPLICATE_DETECTION_WINDOW_MS: ' ', SHUTDOWN_GRACE_MS: '', RECORD_TTL_DAYS: '' });
    expect(config.PORT).toBe(3978);
    expect(config.DUPLICATE_DETECTION_WINDOW_MS).toBe(600_000);
    expect(config.SHUTDOWN_GRACE_MS).toBe(10_000);
    expect(config.RECORD_TTL_DAYS).toBeUndefined();
  });

  it('requires real addresses when mail goes through SendGrid', () => {
    expect(() => loadConfig({ SENDGRID_API_KEY: 'SG.k' })).toThrowError(/MAIL_FROM: must be a verified sender[\s\S]*STAFF_EMAILS: must be real addresses/);
    expect(loadConfig({ SENDGRID_API_KEY: 'SG.k', MAIL_FROM: 'bot@example.com', STAFF_EMAILS: 'ops@example.com' }).MAIL_FROM).toBe('bot@example.com');
  });
});
