import jwt, { type JwtPayload } from 'jsonwebtoken';
import { TalkbackError } from '../../core/errors.js';
import { OpenIdSigningKeys } from './openid-signing-keys.js';

/** Where the public Azure cloud publishes the keys of channel and Emulator tokens (botframework-connector's defaults). */
export const BOT_FRAMEWORK_OPENID = {
  channel: 'https://login.botframework.com/v1/.well-known/openidconfiguration',
  emulator: 'https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration',
} as const;

const CHANNEL_ISSUER = 'https://api.botframework.com';
/** The Bot Framework's own tenants: Emulator (and Bot Framework-to-bot) tokens are issued there, v1 and v2. */
const BOT_FRAMEWORK_TENANTS = ['d6d49420-f39b-4df7-a1dc-d59a935871db', 'f8cdef31-a31e-4b4a-93e4-5f571e91255a'];
const emulatorIssuers = (tenants: readonly string[]) =>
  tenants.flatMap((t) => [`https://sts.windows.net/${t}/`, `https://login.microsoftonline.com/${t}/v2.0`]);

export interface BotFrameworkTokenOptions {
  appId: string;
  /** A single-tenant bot also accepts Emulator tokens issued by its own tenant. */
  tenantId?: string | undefined;
  channelOpenIdMetadataUrl?: string | undefined;
  emulatorOpenIdMetadataUrl?: string | undefined;
  /** Bound on fetching the signing keys. */
  timeoutMs?: number | undefined;
}

/** The activity fields a token is checked against. */
export interface TokenSubject {
  channelId?: string | undefined;
  serviceUrl?: string | undefined;
}

/**
 * Checks the Bot Framework token on an inbound activity, as botframework-connector does for
 * botbuilder (the Agents SDK's CloudAdapter.process checks nothing itself, and its authorizeJWT
 * neither checks the serviceurl claim nor key endorsements, and answers 401 when the keys cannot
 * be loaded). A refused token is `Unauthorized`; keys that cannot be loaded are a retryable
 * `ServiceUnavailable`. Returns the verified claims.
 */
export class BotFrameworkToken {
  private readonly channelKeys: OpenIdSigningKeys;
  private readonly emulatorKeys: OpenIdSigningKeys;
  private readonly emulatorIssuers: readonly string[];

  constructor(private readonly options: BotFrameworkTokenOptions) {
    const timeoutMs = options.timeoutMs ?? 10_000;
    this.channelKeys = new OpenIdSigningKeys({ metadataUrl: options.channelOpenIdMetadataUrl ?? BOT_FRAMEWORK_OPENID.channel, timeoutMs });
    this.emulatorKeys = new OpenIdSigningKeys({ metadataUrl: options.emulatorOpenIdMetadataUrl ?? BOT_FRAMEWORK_OPENID.emulator, timeoutMs });
    const tenant = options.tenantId && !/^(botframework\.com|common|organizations)$/i.test(options.tenantId) ? [options.tenantId] : [];
    this.emulatorIssuers = emulatorIssuers([...BOT_FRAMEWORK_TENANTS, ...tenant]);
  }

  async verify(authorization: string | undefined, activity: TokenSubject): Promise<JwtPayload> {
    const token = /^Bearer +([^\s]+)$/.exec(authorization?.trim() ?? '')?.[1];
    if (!token) throw refused(authorization ? 'the Authorization header is not a Bearer token' : 'no Authorization header');
    const decoded = jwt.decode(token, { complete: true });
    if (!decoded || typeof decoded.payload !== 'object') throw refused('the token is not a JWT');
    const issuer = decoded.payload.iss;
    const fromChannel = issuer === CHANNEL_ISSUER;
    if (!fromChannel && !(typeof issuer === 'string' && this.emulatorIssuers.includes(issuer))) throw refused('the token has an unknown issuer');
    const kid = decoded.header.kid;
    const signingKey = kid ? await (fromChannel ? this.channelKeys : this.emulatorKeys).get(kid) : undefined;
    if (!signingKey) throw refused('the token is signed by an unknown key');

    let claims: JwtPayload;
    try {
      claims = jwt.verify(token, signingKey.key, {
        algorithms: ['RS256', 'RS384', 'RS512'],
        audience: this.options.appId,
        issuer: fromChannel ? CHANNEL_ISSUER : [...this.emulatorIssuers],
        clockTolerance: 300,
        complete: false,
      }) as JwtPayload;
    } catch (error) {
      // jsonwebtoken's JsonWebTokenError / TokenExpiredError / NotBeforeError: a bad token, never a retry.
      throw refused((error as Error).message, error);
    }
    if (signingKey.endorsements.length > 0 && !signingKey.endorsements.includes(activity.channelId ?? '')) {
      throw refused(`the signing key is not endorsed for channel ${activity.channelId ?? '(none)'}`);
    }
    if (fromChannel) {
      if (claims['serviceurl'] !== activity.serviceUrl) throw refused('the serviceurl claim does not match the activity');
    } else {
      const appIdClaim: unknown = claims.ver === '2.0' ? claims['azp'] : claims['appid'];
      if (appIdClaim !== this.options.appId) throw refused('the Emulator token was not issued to this app');
    }
    return claims;
  }
}

function refused(reason: string, cause?: unknown): TalkbackError {
  return new TalkbackError('Unauthorized', `unauthorized: ${reason}`, { cause });
}
