import { z } from 'zod';
import { TalkbackError } from './errors.js';
import { canonicalTimeZone } from './time-zone.js';

/**
 * Every setting talkback reads, its default, parsed once at start-up. A bad or missing setting fails
 * start-up with every problem listed at once. A setting that is present selects the Azure adapter;
 * absent means the embedded default — never a silent fallback when a present setting is wrong.
 */
const optionalString = z
  .string()
  .transform((s) => s.trim())
  .transform((s) => (s === '' ? undefined : s))
  .optional();

/** A blank value means "not set" (as for strings), never 0. */
const blankAsUnset = (value: unknown) => (typeof value === 'string' && value.trim() === '' ? undefined : value);

const int = (fallback: number, min = 0, max = Number.MAX_SAFE_INTEGER) =>
  z.preprocess(blankAsUnset, z.coerce.number().int().min(min).max(max).default(fallback));

const emailList = z
  .string()
  .default('staff@localhost')
  .transform((s) => s.split(/[,;]/).map((e) => e.trim()).filter((e) => e !== ''))
  .pipe(z.array(z.string().regex(/^[^\s@<>]+@[^\s@<>]+$/, 'must be an e-mail address')).min(1));

const url = z.url({ protocol: /^https?$/ });

/** true/false (also 1/0, yes/no, any case); blank means the default. Anything else is an error, never a guess. */
const flag = (fallback: boolean) =>
  z.preprocess(
    (value) => (typeof value === 'string' ? (value.trim() === '' ? undefined : value.trim().toLowerCase()) : value),
    z
      .enum(['true', 'false', '1', '0', 'yes', 'no'])
      .transform((v) => v === 'true' || v === '1' || v === 'yes')
      .default(fallback),
  );

/** An IANA zone name Intl knows, in its canonical spelling. */
const timeZone = z
  .string()
  .trim()
  .default('UTC')
  .transform((name, ctx) => {
    const canonical = name === '' ? 'UTC' : canonicalTimeZone(name);
    if (canonical === undefined) {
      ctx.addIssue({ code: 'custom', message: `"${name}" is not an IANA time zone (e.g. Asia/Seoul, Europe/London, UTC)` });
      return z.NEVER;
    }
    return canonical;
  });

const fieldsSchema = z.object({
  PORT: int(3978, 0, 65535),
  HOST: z.string().default('127.0.0.1'),
  TALKBACK_DATA_DIR: z.string().min(1).default('.talkback'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  LOG_FORMAT: z.enum(['auto', 'json', 'lines']).default('auto'),
  MAX_MESSAGE_CHARS: int(2000, 1),
  MAX_CONCURRENT_CALLS: int(4, 1, 256),
  LOCK_DURATION_MS: int(30_000, 1_000),
  MAX_DELIVERY_COUNT: int(10, 1, 2000),
  DUPLICATE_DETECTION_WINDOW_MS: int(600_000, 0),
  RETRY_BASE_DELAY_MS: int(1_000, 1),
  RETRY_MAX_DELAY_MS: int(60_000, 1),
  SHUTDOWN_GRACE_MS: int(10_000, 0),
  CLAIM_LEASE_MS: int(300_000, 1_000),
  STAFF_EMAILS: emailList,
  MAIL_FROM: z.string().regex(/^[^\s@<>]+@[^\s@<>]+$/, 'must be an e-mail address').default('talkback@localhost'),
  MAIL_ATTACH_MAX_BYTES: int(1_048_576, 0),
  AUDIO_LINK_TTL_HOURS: int(72, 1, 24 * 365),
  AUDIO_CONTAINER: z.string().regex(/^[a-z0-9](?:[a-z0-9-]{1,61})[a-z0-9]$/, 'must be a valid container name').default('talkback'),
  /** The local host's audio store without AZURE_STORAGE_CONNECTION_STRING: files in the data folder served by the host, or Azurite. */
  LOCAL_AUDIO_STORE: z.preprocess(blankAsUnset, z.enum(['folder', 'azurite']).default('folder')),
  AZURITE_BLOB_PORT: int(10_000, 0, 65535),
  DIGEST_SCHEDULE: z.string().default('0 0 18 * * *'),
  CHANNEL_TIMEOUT_MS: int(10_000, 100, 120_000),
  CHANNEL_ENDPOINT_CONCURRENCY: int(2, 1, 256),
  CHANNEL_COOLDOWN_MS: int(30_000, 0),
  FLOOD_BURST: int(10, 1),
  FLOOD_PER_MINUTE: int(30, 1),
  FLOOD_NOTIFY_WINDOW_MS: int(60_000, 1_000),
  INTAKE_MAX_IN_FLIGHT: int(64, 1),
  OUTBOUND_TIMEOUT_MS: int(30_000, 100),
  HEALTH_MIN_FREE_MB: int(64, 0),
  PUBLIC_HOST: optionalString.pipe(
    z.string().regex(/^[A-Za-z0-9.-]+(?::\d{1,5})?$/, 'must be a host name, optionally with :port').optional(),
  ),
  STAFF_LOCALE: z.preprocess(blankAsUnset, z.enum(['en', 'ko']).default('en')),
  STAFF_TIME_ZONE: timeZone,
  /** Where staff open the console; without it, the local host's loopback URL (see loadConfig). */
  CONSOLE_BASE_URL: optionalString.pipe(url.optional()),
  /** Set by Azure App Service / Functions: the zone its timers read schedules in. Read only to check it. */
  WEBSITE_TIME_ZONE: optionalString,
  /** The staff console's shared secret (bearer token or login cookie); unset = console on loopback only. */
  CONSOLE_TOKEN: optionalString.pipe(z.string().min(16, 'must be at least 16 characters').optional()),
  /** Set by Azure App Service / Functions: the site's own host name, which the console answers to. */
  WEBSITE_HOSTNAME: optionalString,

  SERVICEBUS_CONNECTION_STRING: optionalString,
  /** Functions app only: settle Service Bus messages through the SDK-type binding (README "Service Bus settlement"). */
  SERVICEBUS_SDK_BINDING: flag(false),
  COSMOS_ENDPOINT: optionalString.pipe(url.optional()),
  COSMOS_KEY: optionalString,
  COSMOS_CONNECTION_STRING: optionalString,
  COSMOS_DATABASE: z.string().min(1).default('talkback'),
  COSMOS_CONTAINER: z.string().min(1).default('interactions'),
  RECORD_TTL_DAYS: z.preprocess(blankAsUnset, z.coerce.number().int().min(1).optional()),
  AZURE_STORAGE_CONNECTION_STRING: optionalString,
  SPEECH_KEY: optionalString,
  SPEECH_REGION: optionalString,
  SPEECH_VOICE_KO: z.string().min(1).default('ko-KR-SunHiNeural'),
  SPEECH_VOICE_EN: z.string().min(1).default('en-US-JennyNeural'),
  SPEECH_WORKERS: int(0, 0, 256),
  SPEECH_IDLE_MS: int(30_000, 1_000, 3_600_000),
  PIPELINE_NICE: int(10, 0, 19),
  PIPELINE_YIELD_MS: int(10_000, 0, 600_000),
  /** How many syntheses may run while the chat endpoint is busy (unset: the cores but one; 0: none, as while it is saturated). */
  PIPELINE_BUSY_SYNTHESES: z.preprocess(blankAsUnset, z.coerce.number().int().min(0).max(256).optional()),
  SENDGRID_API_KEY: optionalString,
  SENDGRID_BASE_URL: url.default('https://api.sendgrid.com'),
  ACS_EMAIL_CONNECTION_STRING: optionalString,
  ACS_EMAIL_ENDPOINT: optionalString.pipe(url.optional()),
  ACS_EMAIL_MAX_PER_MINUTE: int(30, 1, 100_000),
  MicrosoftAppId: optionalString,
  MicrosoftAppPassword: optionalString,
  MicrosoftAppType: z.enum(['MultiTenant', 'SingleTenant', 'UserAssignedMSI']).default('MultiTenant'),
  MicrosoftAppTenantId: optionalString,
  // The Microsoft 365 Agents SDK's names for the same three settings (either SDK reads either name).
  clientId: optionalString,
  clientSecret: optionalString,
  tenantId: optionalString,
  BOT_SDK: z.enum(['botbuilder', 'agents']).default('botbuilder'),
});

type Fields = z.output<typeof fieldsSchema>;

/**
 * A rule across settings. zod skips refinements once any setting is invalid, which would hide
 * these problems behind an unrelated one; `when` runs a rule unless a setting it reads is itself
 * invalid, so start-up lists every problem at once.
 */
function rule(reads: readonly (keyof Fields)[], path: keyof Fields, message: string, holds: (s: Fields) => boolean) {
  return {
    holds,
    params: {
      path: [path],
      message,
      when: (payload: z.core.ParsePayload) => !payload.issues.some((i) => reads.includes(i.path?.[0] as keyof Fields)),
    },
  };
}

const requiredWith = (missing: keyof Fields, given: keyof Fields, holds: (s: Fields) => boolean) =>
  rule([missing, given], missing, `required when ${given} is set`, holds);

/** ACS Email's per-message limits: recipients, and the largest attachment that keeps a request under 10 MB once base64-encoded. */
const ACS_EMAIL_MAX_RECIPIENTS = 50;
const ACS_EMAIL_MAX_ATTACH_BYTES = 7 * 1024 * 1024;

const acsEmailSet = (s: Pick<Fields, 'ACS_EMAIL_CONNECTION_STRING' | 'ACS_EMAIL_ENDPOINT'>) =>
  s.ACS_EMAIL_CONNECTION_STRING !== undefined || s.ACS_EMAIL_ENDPOINT !== undefined;

/** The bot's credentials under either name: MicrosoftAppId/… (Bot Framework SDK) or clientId/… (Agents SDK). */
const appId = (s: Fields) => s.MicrosoftAppId ?? s.clientId;
const appPassword = (s: Fields) => s.MicrosoftAppPassword ?? s.clientSecret;
const appTenantId = (s: Fields) => s.MicrosoftAppTenantId ?? s.tenantId;
const APP_ID = ['MicrosoftAppId', 'clientId'] as const;
const APP_PASSWORD = ['MicrosoftAppPassword', 'clientSecret'] as const;
const APP_TENANT = ['MicrosoftAppTenantId', 'tenantId'] as const;

/** Both names of one setting may be given only with the same value (the message never repeats a value: one is a secret). */
const sameUnderBothNames = ([old, current]: readonly [keyof Fields, keyof Fields]) =>
  rule([old, current], current, `conflicts with ${old}: give the setting under one name, or the same value under both`, (s) =>
    s[old] === undefined || s[current] === undefined || s[old] === s[current],
  );

const crossRules = [
  sameUnderBothNames(APP_ID),
  sameUnderBothNames(APP_PASSWORD),
  sameUnderBothNames(APP_TENANT),
  requiredWith('COSMOS_KEY', 'COSMOS_ENDPOINT', (s) => s.COSMOS_ENDPOINT === undefined || s.COSMOS_KEY !== undefined),
  rule(['COSMOS_KEY', 'COSMOS_ENDPOINT', 'COSMOS_CONNECTION_STRING'], 'COSMOS_ENDPOINT', 'required when COSMOS_KEY is set', (s) =>
    s.COSMOS_KEY === undefined || s.COSMOS_ENDPOINT !== undefined || s.COSMOS_CONNECTION_STRING !== undefined,
  ),
  requiredWith('SPEECH_REGION', 'SPEECH_KEY', (s) => s.SPEECH_KEY === undefined || s.SPEECH_REGION !== undefined),
  requiredWith('SPEECH_KEY', 'SPEECH_REGION', (s) => s.SPEECH_REGION === undefined || s.SPEECH_KEY !== undefined),
  rule([...APP_ID, 'MicrosoftAppType', ...APP_PASSWORD], 'MicrosoftAppPassword', 'required when MicrosoftAppId is set (or clientSecret with clientId)', (s) =>
    appId(s) === undefined || s.MicrosoftAppType === 'UserAssignedMSI' || appPassword(s) !== undefined,
  ),
  rule(['MicrosoftAppType', ...APP_PASSWORD], 'MicrosoftAppPassword', 'must not be set with MicrosoftAppType=UserAssignedMSI (the managed identity has no secret)', (s) =>
    s.MicrosoftAppType !== 'UserAssignedMSI' || appPassword(s) === undefined,
  ),
  rule([...APP_ID, 'MicrosoftAppType', ...APP_TENANT], 'MicrosoftAppTenantId', 'required when MicrosoftAppType is not MultiTenant (or tenantId)', (s) =>
    s.MicrosoftAppType === 'MultiTenant' || appId(s) === undefined || appTenantId(s) !== undefined,
  ),
  rule(['SENDGRID_API_KEY', 'MAIL_FROM'], 'MAIL_FROM', 'must be a verified sender address when SENDGRID_API_KEY is set (SendGrid rejects @localhost)', (s) =>
    s.SENDGRID_API_KEY === undefined || !/@localhost$/i.test(s.MAIL_FROM),
  ),
  rule(['SENDGRID_API_KEY', 'STAFF_EMAILS'], 'STAFF_EMAILS', 'must be real addresses when SENDGRID_API_KEY is set', (s) =>
    s.SENDGRID_API_KEY === undefined || !s.STAFF_EMAILS.some((e) => /@localhost$/i.test(e)),
  ),
  rule(['SENDGRID_API_KEY', 'ACS_EMAIL_CONNECTION_STRING', 'ACS_EMAIL_ENDPOINT'], 'SENDGRID_API_KEY', 'must not be set together with ACS_EMAIL_CONNECTION_STRING / ACS_EMAIL_ENDPOINT: one mailer, never a silent pick (remove one)', (s) =>
    s.SENDGRID_API_KEY === undefined || !acsEmailSet(s),
  ),
  rule(['ACS_EMAIL_CONNECTION_STRING', 'ACS_EMAIL_ENDPOINT'], 'ACS_EMAIL_ENDPOINT', 'must not be set together with ACS_EMAIL_CONNECTION_STRING (a key or the managed identity: pick one)', (s) =>
    s.ACS_EMAIL_CONNECTION_STRING === undefined || s.ACS_EMAIL_ENDPOINT === undefined,
  ),
  rule(['ACS_EMAIL_CONNECTION_STRING'], 'ACS_EMAIL_CONNECTION_STRING', 'must be "endpoint=https://<resource>.communication.azure.com/;accesskey=<key>"', (s) =>
    s.ACS_EMAIL_CONNECTION_STRING === undefined || /^endpoint=https?:\/\/[^;]+;accesskey=.+$/i.test(s.ACS_EMAIL_CONNECTION_STRING),
  ),
  rule(['ACS_EMAIL_ENDPOINT'], 'ACS_EMAIL_ENDPOINT', 'must be https:// (the managed identity\'s token is never sent in the clear)', (s) =>
    s.ACS_EMAIL_ENDPOINT === undefined || /^https:\/\//i.test(s.ACS_EMAIL_ENDPOINT),
  ),
  rule(['ACS_EMAIL_CONNECTION_STRING', 'ACS_EMAIL_ENDPOINT', 'MAIL_FROM'], 'MAIL_FROM', 'must be a verified sender address of the ACS Email domain when ACS_EMAIL_* is set (ACS rejects @localhost)', (s) =>
    !acsEmailSet(s) || !/@localhost$/i.test(s.MAIL_FROM),
  ),
  rule(['ACS_EMAIL_CONNECTION_STRING', 'ACS_EMAIL_ENDPOINT', 'STAFF_EMAILS'], 'STAFF_EMAILS', `must be at most ${ACS_EMAIL_MAX_RECIPIENTS} real addresses when ACS_EMAIL_* is set (ACS takes ${ACS_EMAIL_MAX_RECIPIENTS} recipients per email)`, (s) =>
    !acsEmailSet(s) || (!s.STAFF_EMAILS.some((e) => /@localhost$/i.test(e)) && new Set(s.STAFF_EMAILS.map((e) => e.toLowerCase())).size <= ACS_EMAIL_MAX_RECIPIENTS),
  ),
  rule(['ACS_EMAIL_CONNECTION_STRING', 'ACS_EMAIL_ENDPOINT', 'MAIL_ATTACH_MAX_BYTES'], 'MAIL_ATTACH_MAX_BYTES', `must be at most ${ACS_EMAIL_MAX_ATTACH_BYTES} when ACS_EMAIL_* is set (ACS takes 10 MB per email, and base64 adds a third)`, (s) =>
    !acsEmailSet(s) || s.MAIL_ATTACH_MAX_BYTES <= ACS_EMAIL_MAX_ATTACH_BYTES,
  ),
  rule(['RETRY_BASE_DELAY_MS', 'RETRY_MAX_DELAY_MS'], 'RETRY_MAX_DELAY_MS', 'must be at least RETRY_BASE_DELAY_MS', (s) =>
    s.RETRY_MAX_DELAY_MS >= s.RETRY_BASE_DELAY_MS,
  ),
  rule(['COSMOS_CONNECTION_STRING'], 'COSMOS_CONNECTION_STRING', 'must contain AccountEndpoint=', (s) =>
    s.COSMOS_CONNECTION_STRING === undefined || /AccountEndpoint=/i.test(s.COSMOS_CONNECTION_STRING),
  ),
  rule(['AZURE_STORAGE_CONNECTION_STRING'], 'AZURE_STORAGE_CONNECTION_STRING', 'is not a storage connection string', (s) =>
    s.AZURE_STORAGE_CONNECTION_STRING === undefined ||
    /(AccountName=|UseDevelopmentStorage=true|BlobEndpoint=)/i.test(s.AZURE_STORAGE_CONNECTION_STRING),
  ),
  rule(['WEBSITE_TIME_ZONE', 'STAFF_TIME_ZONE'], 'WEBSITE_TIME_ZONE', 'must be the same zone as STAFF_TIME_ZONE (the digest runs at DIGEST_SCHEDULE in that zone)', (s) =>
    // Only an IANA name can be compared; Windows plans take Windows zone names ("Korea Standard Time").
    s.WEBSITE_TIME_ZONE === undefined || canonicalTimeZone(s.WEBSITE_TIME_ZONE) === undefined || canonicalTimeZone(s.WEBSITE_TIME_ZONE) === s.STAFF_TIME_ZONE,
  ),
  rule(['SERVICEBUS_CONNECTION_STRING'], 'SERVICEBUS_CONNECTION_STRING', 'must contain Endpoint=sb://', (s) =>
    s.SERVICEBUS_CONNECTION_STRING === undefined || /Endpoint=sb:\/\//i.test(s.SERVICEBUS_CONNECTION_STRING),
  ),
];

export const settingsSchema = crossRules
  .reduce((schema, r) => schema.refine(r.holds, r.params), fieldsSchema)
  // One name from here on: the MicrosoftApp* fields hold the bot's credentials whichever name set them.
  .transform((s) => {
    const { clientId: _id, clientSecret: _secret, tenantId: _tenant, ...rest } = s;
    return {
      ...rest,
      MicrosoftAppId: appId(s),
      MicrosoftAppPassword: appPassword(s),
      MicrosoftAppTenantId: appTenantId(s),
      // The console's pages live under the base: no trailing slash, so `${base}/interactions/<id>` is one URL.
      CONSOLE_BASE_URL: (s.CONSOLE_BASE_URL ?? `http://127.0.0.1:${s.PORT}`).replace(/\/+$/, ''),
    };
  });

export type Settings = z.infer<typeof settingsSchema>;
export type Config = Readonly<Settings>;

/** Parses the environment once. Throws ConfigInvalid listing every problem. */
export function loadConfig(env: Record<string, string | undefined> = process.env): Config {
  const result = settingsSchema.safeParse(env);
  if (!result.success) {
    const problems = result.error.issues.map((i) => `  - ${i.path.join('.') || '(settings)'}: ${i.message}`);
    throw new TalkbackError('ConfigInvalid', `invalid configuration:\n${problems.join('\n')}`, {
      details: { problems: result.error.issues.length },
    });
  }
  return Object.freeze({
    ...result.data,
    STAFF_EMAILS: Object.freeze([...result.data.STAFF_EMAILS]) as string[],
  });
}

export type Port = 'bus' | 'store' | 'audio' | 'speech' | 'mailer';

/** The mail service the settings select — the rules above allow at most one — or undefined for the outbox folder. */
export function azureMailer(config: Config): 'sendgrid' | 'acs-email' | undefined {
  if (config.SENDGRID_API_KEY !== undefined) return 'sendgrid';
  return acsEmailSet(config) ? 'acs-email' : undefined;
}

/** Which ports the settings send to Azure: a present setting selects the Azure adapter. Decided here only. */
/** The audio store: Blob storage when a storage account is set, else the local host's own (LOCAL_AUDIO_STORE). */
export function audioStoreKind(config: Config): 'azure-blob' | Config['LOCAL_AUDIO_STORE'] {
  return azurePorts(config).audio ? 'azure-blob' : config.LOCAL_AUDIO_STORE;
}

export function azurePorts(config: Config): Record<Port, boolean> {
  return {
    bus: config.SERVICEBUS_CONNECTION_STRING !== undefined,
    store: config.COSMOS_ENDPOINT !== undefined || config.COSMOS_CONNECTION_STRING !== undefined,
    audio: config.AZURE_STORAGE_CONNECTION_STRING !== undefined,
    speech: config.SPEECH_KEY !== undefined && config.SPEECH_REGION !== undefined,
    mailer: azureMailer(config) !== undefined,
  };
}
