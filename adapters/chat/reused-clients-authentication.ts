import { ConfigurationBotFrameworkAuthentication, type ConfigurationBotFrameworkAuthenticationOptions } from 'botbuilder';
import type { ClaimsIdentity, ConnectorClient, ConnectorFactory, ServiceClientCredentialsFactory, UserTokenClient } from 'botframework-connector';
import { boundConnector, type ConnectorBounds } from './bounded-connector.js';

/** Clients kept per bot app id, audience and channel service URL (a handful in practice; bounded all the same). */
const MAX_CACHED_CLIENTS = 100;

/**
 * Bot Framework authentication from settings whose connector clients are bounded (see
 * bounded-connector.ts) and kept. botbuilder builds a new connector client and user-token client for
 * every turn and every proactive send (each a fresh Azure SDK pipeline: ~40% of what a turn allocates,
 * about a third of a proactive send's CPU); they hold nothing of the turn, so one per bot app id,
 * audience and service URL serves them all, as botbuilder's older BotFrameworkAdapter kept them.
 * The chat endpoint's authentication (bot/bot-authentication.ts) and the chat channel's proactive
 * sends (botbuilder-chat-channel.ts) both use it.
 */
export class ReusedClientsAuthentication extends ConfigurationBotFrameworkAuthentication {
  private readonly connectorClients = new Map<string, Promise<ConnectorClient>>();
  private readonly userTokenClients = new Map<string, Promise<UserTokenClient>>();

  constructor(
    options: ConfigurationBotFrameworkAuthenticationOptions,
    credentialsFactory: ServiceClientCredentialsFactory | undefined,
    private readonly bounds?: ConnectorBounds,
  ) {
    super(options, credentialsFactory);
  }

  override createConnectorFactory(claimsIdentity: ClaimsIdentity): ConnectorFactory {
    return this.reused(super.createConnectorFactory(claimsIdentity));
  }

  override createUserTokenClient(claimsIdentity: ClaimsIdentity): Promise<UserTokenClient> {
    const appId = claimsIdentity.getClaimValue('aud') ?? claimsIdentity.getClaimValue('appid') ?? '';
    return cached(this.userTokenClients, appId, () => super.createUserTokenClient(claimsIdentity));
  }

  /** A factory whose clients are bounded and kept for later turns and sends. */
  protected reused(inner: ConnectorFactory): ConnectorFactory {
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
