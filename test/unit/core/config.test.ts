import { describe, expect, it } from 'vitest';
import { azureMailer, azurePorts, loadConfig } from '../../../core/config.js';

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

  it('leaves PIPELINE_BUSY_SYNTHESES unset (the cores but one) unless given, takes 0 (synthesis pauses while busy), refuses what is not a count', () => {
    expect(loadConfig({}).PIPELINE_BUSY_SYNTHESES).toBeUndefined();
    expect(loadConfig({ PIPELINE_BUSY_SYNTHESES: '' }).PIPELINE_BUSY_SYNTHESES).toBeUndefined();
    expect(loadConfig({ PIPELINE_BUSY_SYNTHESES: '0' }).PIPELINE_BUSY_SYNTHESES).toBe(0);
    expect(loadConfig({ PIPELINE_BUSY_SYNTHESES: '3' }).PIPELINE_BUSY_SYNTHESES).toBe(3);
    for (const bad of ['-1', '1.5', 'one', '257']) {
      expect(() => loadConfig({ PIPELINE_BUSY_SYNTHESES: bad })).toThrow(expect.objectContaining({ code: 'ConfigInvalid' }));
    }
  });

  it('ends an idle eSpeak synthesis thread after 30 s unless SPEECH_IDLE_MS says otherwise, within 1 s .. 1 h', () => {
    expect(loadConfig({}).SPEECH_IDLE_MS).toBe(30_000);
    expect(loadConfig({ SPEECH_IDLE_MS: '5000' }).SPEECH_IDLE_MS).toBe(5_000);
    for (const value of ['0', '999', '3600001', '1.5', 'soon']) {
      expect(problemsOf({ SPEECH_IDLE_MS: value }).message, value).toMatch(/^ {2}- SPEECH_IDLE_MS: /m);
    }
  });

  it('requires real addresses when mail goes through SendGrid', () => {
    expect(() => loadConfig({ SENDGRID_API_KEY: 'SG.k' })).toThrowError(/MAIL_FROM: must be a verified sender[\s\S]*STAFF_EMAILS: must be real addresses/);
    expect(loadConfig({ SENDGRID_API_KEY: 'SG.k', MAIL_FROM: 'bot@example.com', STAFF_EMAILS: 'ops@example.com' }).MAIL_FROM).toBe('bot@example.com');
  });

  describe('the bot SDK and its credentials under either name', () => {
    it('runs botbuilder unless BOT_SDK says agents, and refuses anything else', () => {
      expect(loadConfig({}).BOT_SDK).toBe('botbuilder');
      expect(loadConfig({ BOT_SDK: 'agents' }).BOT_SDK).toBe('agents');
      expect(problemsOf({ BOT_SDK: 'teams-ai' }).message).toMatch(/^ {2}- BOT_SDK: /m);
    });

    it('reads the Agents SDK names clientId / clientSecret / tenantId into the same settings', () => {
      const config = loadConfig({ clientId: 'app', clientSecret: 'shh', tenantId: 't', MicrosoftAppType: 'SingleTenant' });
      expect([config.MicrosoftAppId, config.MicrosoftAppPassword, config.MicrosoftAppTenantId]).toEqual(['app', 'shh', 't']);
      expect(Object.keys(config)).not.toContain('clientSecret');
    });

    it('accepts both names with the same value and mixes of the two', () => {
      expect(loadConfig({ MicrosoftAppId: 'app', clientId: 'app', clientSecret: 'shh' }).MicrosoftAppPassword).toBe('shh');
      expect(loadConfig({ clientId: 'app', MicrosoftAppPassword: 'shh' }).MicrosoftAppId).toBe('app');
    });

    it('refuses to start when the two names disagree, listing each conflict without repeating a secret', () => {
      const failure = problemsOf({ MicrosoftAppId: 'app-1', clientId: 'app-2', MicrosoftAppPassword: 'Secret-One', clientSecret: 'Secret-Two', MicrosoftAppTenantId: 't1', tenantId: 't2' });
      expect(failure.problems).toBe(3);
      expect(failure.message).toMatch(/^ {2}- clientId: conflicts with MicrosoftAppId/m);
      expect(failure.message).toMatch(/^ {2}- clientSecret: conflicts with MicrosoftAppPassword/m);
      expect(failure.message).toMatch(/^ {2}- tenantId: conflicts with MicrosoftAppTenantId/m);
      expect(failure.message).not.toMatch(/Secret-One|Secret-Two/);
    });

    it('applies the credential rules to the Agents SDK names too', () => {
      expect(problemsOf({ clientId: 'app' }).message).toMatch(/MicrosoftAppPassword: required when MicrosoftAppId is set/);
      expect(problemsOf({ clientId: 'app', clientSecret: 'p', MicrosoftAppType: 'SingleTenant' }).message).toMatch(/MicrosoftAppTenantId: required/);
      expect(problemsOf({ clientId: 'app', clientSecret: 'p', tenantId: 't', MicrosoftAppType: 'UserAssignedMSI' }).message).toMatch(
        /MicrosoftAppPassword: must not be set with MicrosoftAppType=UserAssignedMSI/,
      );
    });
  });

  it('staff settings: English and UTC by default, the console on the local host', () => {
    expect(loadConfig({})).toMatchObject({ STAFF_LOCALE: 'en', STAFF_TIME_ZONE: 'UTC', CONSOLE_BASE_URL: 'http://127.0.0.1:3978' });
    expect(loadConfig({ PORT: '8080' }).CONSOLE_BASE_URL).toBe('http://127.0.0.1:8080');
    const config = loadConfig({ STAFF_LOCALE: 'ko', STAFF_TIME_ZONE: ' asia/seoul ', CONSOLE_BASE_URL: 'https://talkback.example.com/staff/' });
    expect(config).toMatchObject({ STAFF_LOCALE: 'ko', STAFF_TIME_ZONE: 'Asia/Seoul', CONSOLE_BASE_URL: 'https://talkback.example.com/staff' });
  });

  it('refuses to start with a time zone Intl does not know, an unknown locale or a console URL that is not http(s)', () => {
    const { message, code } = problemsOf({ STAFF_TIME_ZONE: 'Korea/Seoul-ish', STAFF_LOCALE: 'fr', CONSOLE_BASE_URL: 'javascript:alert(1)' });
    expect(code).toBe('ConfigInvalid');
    expect(message).toContain('STAFF_TIME_ZONE: "Korea/Seoul-ish" is not an IANA time zone');
    expect(message).toMatch(/STAFF_LOCALE: .*"en"\|"ko"/);
    expect(message).toContain('CONSOLE_BASE_URL:');
    expect(problemsOf({ STAFF_TIME_ZONE: '+09:00x' }).message).toContain('STAFF_TIME_ZONE');
  });

  it('on Azure, WEBSITE_TIME_ZONE (when an IANA name) must be the staff time zone, so the digest fires when staff expect', () => {
    expect(problemsOf({ STAFF_TIME_ZONE: 'Asia/Seoul', WEBSITE_TIME_ZONE: 'Europe/London' }).message).toContain(
      'WEBSITE_TIME_ZONE: must be the same zone as STAFF_TIME_ZONE',
    );
    expect(loadConfig({ STAFF_TIME_ZONE: 'Asia/Seoul', WEBSITE_TIME_ZONE: 'Asia/Seoul' }).STAFF_TIME_ZONE).toBe('Asia/Seoul');
    // Windows plans take Windows zone names, which Intl cannot compare.
    expect(loadConfig({ STAFF_TIME_ZONE: 'Asia/Seoul', WEBSITE_TIME_ZONE: 'Korea Standard Time' }).STAFF_TIME_ZONE).toBe('Asia/Seoul');
  });
});

describe('ACS Email settings', () => {
  const CONNECTION_STRING = 'endpoint=https://talkback.europe.communication.azure.com/;accesskey=QUNTLXNlY3JldC1rZXk=';
  const real = { MAIL_FROM: 'DoNotReply@mail.example.com', STAFF_EMAILS: 'ops@example.com' };

  it('selects ACS Email with a connection string or an endpoint (managed identity), 30 a minute by default', () => {
    const withKey = loadConfig({ ACS_EMAIL_CONNECTION_STRING: CONNECTION_STRING, ...real });
    expect(azureMailer(withKey)).toBe('acs-email');
    expect(azurePorts(withKey).mailer).toBe(true);
    expect(withKey.ACS_EMAIL_MAX_PER_MINUTE).toBe(30);
    const withIdentity = loadConfig({ ACS_EMAIL_ENDPOINT: 'https://talkback.europe.communication.azure.com', ACS_EMAIL_MAX_PER_MINUTE: '100', ...real });
    expect(azureMailer(withIdentity)).toBe('acs-email');
    expect(withIdentity.ACS_EMAIL_MAX_PER_MINUTE).toBe(100);
    expect(azureMailer(loadConfig({ SENDGRID_API_KEY: 'SG.k', ...real }))).toBe('sendgrid');
    expect(azureMailer(loadConfig({}))).toBeUndefined();
    expect(azurePorts(loadConfig({})).mailer).toBe(false);
  });

  it('refuses SendGrid and ACS Email together: one mailer, never a silent pick', () => {
    expect(() => loadConfig({ SENDGRID_API_KEY: 'SG.k', ACS_EMAIL_CONNECTION_STRING: CONNECTION_STRING, ...real })).toThrowError(
      /SENDGRID_API_KEY: must not be set together with ACS_EMAIL_CONNECTION_STRING \/ ACS_EMAIL_ENDPOINT: one mailer, never a silent pick/,
    );
    expect(() => loadConfig({ SENDGRID_API_KEY: 'SG.k', ACS_EMAIL_ENDPOINT: 'https://acs.example.com', ...real })).toThrowError(/one mailer/);
  });

  it('requires a verified sender and real staff addresses, as for SendGrid', () => {
    expect(() => loadConfig({ ACS_EMAIL_CONNECTION_STRING: CONNECTION_STRING })).toThrowError(
      /MAIL_FROM: must be a verified sender address of the ACS Email domain[\s\S]*STAFF_EMAILS: must be at most 50 real addresses/,
    );
    expect(() => loadConfig({ ACS_EMAIL_ENDPOINT: 'https://acs.example.com', STAFF_EMAILS: 'ops@example.com' })).toThrowError(/MAIL_FROM/);
  });

  it('refuses more than 50 staff addresses, counting each address once', () => {
    const staff = (n: number) => Array.from({ length: n }, (_, i) => `s${i}@example.com`);
    const settings = (emails: string[]) => ({ ACS_EMAIL_CONNECTION_STRING: CONNECTION_STRING, MAIL_FROM: real.MAIL_FROM, STAFF_EMAILS: emails.join(',') });
    expect(loadConfig(settings([...staff(50), 'S0@example.com'])).STAFF_EMAILS).toHaveLength(51);
    expect(() => loadConfig(settings(staff(51)))).toThrowError(/STAFF_EMAILS: must be at most 50/);
  });

  it('keeps the attachment within what fits in a 10 MB request', () => {
    const settings = { ACS_EMAIL_CONNECTION_STRING: CONNECTION_STRING, ...real };
    expect(loadConfig({ ...settings, MAIL_ATTACH_MAX_BYTES: String(7 * 1024 * 1024) }).MAIL_ATTACH_MAX_BYTES).toBe(7_340_032);
    expect(() => loadConfig({ ...settings, MAIL_ATTACH_MAX_BYTES: '8000000' })).toThrowError(/MAIL_ATTACH_MAX_BYTES: must be at most 7340032/);
    // Without ACS the outbox takes any size.
    expect(loadConfig({ MAIL_ATTACH_MAX_BYTES: '8000000' }).MAIL_ATTACH_MAX_BYTES).toBe(8_000_000);
  });

  it('refuses a malformed connection string without repeating it, both ways of signing in at once, and a plain-http endpoint', () => {
    const malformed = problemsOf({ ACS_EMAIL_CONNECTION_STRING: 'https://acs.example.com;key=U2VjcmV0S2V5MTIz', ...real });
    expect(malformed.message).toMatch(/ACS_EMAIL_CONNECTION_STRING: must be "endpoint=https:\/\/<resource>/);
    expect(malformed.message).not.toContain('U2VjcmV0S2V5MTIz');
    expect(problemsOf({ ACS_EMAIL_CONNECTION_STRING: CONNECTION_STRING, ACS_EMAIL_ENDPOINT: 'https://acs.example.com', ...real }).message).toMatch(
      /ACS_EMAIL_ENDPOINT: must not be set together with ACS_EMAIL_CONNECTION_STRING/,
    );
    expect(problemsOf({ ACS_EMAIL_ENDPOINT: 'http://acs.example.com', ...real }).message).toMatch(/ACS_EMAIL_ENDPOINT: must be https:\/\//);
    expect(problemsOf({ ACS_EMAIL_MAX_PER_MINUTE: '0' }).message).toMatch(/ACS_EMAIL_MAX_PER_MINUTE/);
  });
});
