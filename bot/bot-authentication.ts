import { ConfigurationBotFrameworkAuthentication, type Activity, type ConfigurationBotFrameworkAuthenticationOptions } from 'botbuilder';
import {
  AuthenticationError,
  type AuthenticateRequestResult,
  type ClaimsIdentity,
  type ConnectorClient,
  type ConnectorFactory,
  type ServiceClientCredentialsFactory,
  type UserTokenClient,
} from 'botframework-connector';
import { boundConnector, type ConnectorBounds } from '../adapters/chat/bounded-connector.js';

/** Clients kept per bot app id, audience and channel service URL (a handful in practice; bounded all the same). */
const MAX_CACHED_CLIENTS = 100;

/** What jsonwebtoken throws for a token it refuses (a bad signature or algorithm, nbf in the future, expired). */
const REFUSED_TOKEN = new Set(['JsonWebTokenError', 'NotBeforeError', 'TokenExpiredError']);

/**
 * Bot Framework authentication from settings, with its failures sorted the way a channel needs them.
 * CloudAdapter answers 401 only to an AuthenticationError and 500 to anything else, but
 * botframework-connector lets jsonwebtoken's errors through as they are: a token with a forged
 * signature would get a 500, which a channel retries. And failing to load the signing keys is an
 * AuthenticationError (a 401, never retried) although the token may be perfectly valid.
 */
export class BotAuthentication extends ConfigurationBotFrameworkAuthentication {
  /**
   * botbuilder builds a new connector client and user-token client for every turn (each a fresh Azure
   * SDK pipeline: ~40% of what a turn allocates); they hold nothing of the turn, so one per bot app id,
   * audience and service URL serves every turn, as botbuilder's older BotFrameworkAdapter kept them.
   */
  private readonly connectorClients = new Map<string, Promise<ConnectorClient>>();
  private readonly userTokenClients = new Map<string, Promise<UserTokenClient>>();

  constructor(
    options: ConfigurationBotFrameworkAuthenticationOptions,
    credentialsFactory: ServiceClientCredentialsFactory | undefined,
    private readonly bounds?: ConnectorBounds,
  ) {
    super(options, credentialsFactory);
  }

  /** Every connector client (in-turn replies and proactive sends) is bounded: see bounded-connector.ts. */
  override createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return this.reused(super.createConnectorFactory(claimsIdentity));
  }

  override createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    const appId = claimsIdentity.getClaimValue('aud') ?? claimsIdentity.getClaimValue('appid') ?? '';
    return cached(this.userTokenClients, appId, () => super.createUserTokenClient(claimsIdentity));
  }

  override async authenticateRequest(activity: Activity, authHeader: string): Promise<AuthenticateRequestResult> {
    let result: AuthenticateRequestResult;
    try {
      result = await super.authenticateRequest(activity, authHeader);
    } catch (error) {
      throw sortAuthenticationFailure(error);
    }
    // The in-turn replies go through the factory the authentication result carries.
    if (result.connectorFactory) result.connectorFactory = this.reused(result.connectorFactory);
    return result;
  }

  /** A factory whose clients are bounded (see bounded-connector.ts) and kept for later turns. */
  private reused(inner: ConnectorFactory): ConnectorFactory {
    // botframework-connector's factory is per app id (this bot's, from the token's audience), but does not declare it.
    const declared = (inner as { appId?: unknown }).appId;
    const appId = typeof declared === 'string' ? declared : '';
    return {
      create: (serviceUrl: string, audience?: string): Promise<ConnectorClient> =>
        cached(this.connectorClients, `${appId}|${audience ?? ''}|${serviceUrl}`, async () => {
          const client = await inner.create(serviceUrl, audience);
          return this.bounds ? boundConnector(client, this.bounds) : client;
        }),
    };
  }
}

/** The value made for `key` before (the oldest forgotten past MAX_CACHED_CLIENTS); a failed make is not kept. */
function cached<T>(cache: Map<string, Promise<T>>, key: string, make: () => Promise<T>): Promise<T> {
  const known = cache.get(key);
  if (known) return known;
  const made = make();
  cache.set(key, made);
  made.catch(() => cache.get(key) === made && cache.delete(key));
  if (cache.size > MAX_CACHED_CLIENTS) cache.delete(cache.keys().next().value!);
  return made;
}

export function sortAuthenticationFailure(error: unknown): unknown {
  const name = (error as { name?: unknown } | null)?.name;
  if (typeof name === 'string' && REFUSED_TOKEN.has(name)) {
    return new AuthenticationError(`Unauthorized. ${(error as Error).message}`, 401);
  }
  if (AuthenticationError.isStatusCodeError(error) && Number(error.statusCode) >= 500) {
    return new Error(`could not check the token, retry: ${error.message ?? ''}`, { cause: error });
  }
  return error;
}
