import { generateKeyPairSync, randomBytes, sign, type KeyObject } from 'node:crypto';
import { createServer, type IncomingMessage } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import type { ConfigurationBotFrameworkAuthenticationOptions } from 'botbuilder';
import { MsalServiceClientCredentialsFactory } from 'botframework-connector';
import type { ServiceClientCredentialsFactory as BotCredentialsFactory } from 'botframework-connector';
import { MsalTokenProvider, type AuthConfiguration, type AuthProvider } from '@microsoft/agents-hosting';

/** The values the public Bot Framework cloud uses (botframework-connector's AuthenticationConstants). */
export const BOT_FRAMEWORK = {
  channelTokenIssuer: 'https://api.botframework.com',
  outboundScope: 'https://api.botframework.com',
  loginUrl: 'https://login.microsoftonline.com/botframework.com',
  /** An issuer botframework-connector accepts on Emulator tokens (the Bot Framework's AAD tenant, v1 tokens). */
  emulatorTokenIssuer: 'https://sts.windows.net/d6d49420-f39b-4df7-a1dc-d59a935871db/',
} as const;

const AAD_HOST = 'login.microsoftonline.com';

export type SigningKeyName = 'trusted' | 'teamsOnly' | 'unpublished';

export interface TokenRequest {
  path: string;
  grantType: string | null;
  clientId: string | null;
  scope: string | null;
  /** The token answered, or undefined when the client was refused. */
  accessToken: string | undefined;
}

export interface BotAuthServerOptions {
  appId: string;
  appPassword: string;
  /** Channels the trusted key is endorsed for (the Bot Framework lists them on each signing key). */
  endorsements: readonly string[];
}

interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
  endorsements: readonly string[];
}

function signingKey(kid: string, endorsements: readonly string[]): SigningKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { kid, privateKey, publicKey, endorsements };
}

const b64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/**
 * Plays the identity side of the Bot Framework cloud on 127.0.0.1: the OpenID metadata and JWKS
 * that channel (and Emulator) tokens are checked against, and Azure AD's client-credentials token
 * endpoint the bot asks for its outbound token. Keys are generated here, tokens signed here.
 */
export async function startBotAuthServer(options: BotAuthServerOptions) {
  const keys: Record<SigningKeyName, SigningKey> = {
    trusted: signingKey('talkback-test-trusted', options.endorsements),
    teamsOnly: signingKey('talkback-test-teams-only', ['msteams']),
    unpublished: signingKey('talkback-test-unpublished', options.endorsements),
  };
  const published = [keys.trusted, keys.teamsOnly];
  const tokenRequests: TokenRequest[] = [];
  const state = { metadataAvailable: true };

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? '/', 'http://local');
      const json = (status: number, body: unknown) =>
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
      if (req.method === 'GET' && /^\/(v1|common\/v2\.0)\/\.well-known\/openid-?configuration$/.test(url.pathname)) {
        if (!state.metadataAvailable) return json(503, { error: 'temporarily_unavailable' });
        return json(200, {
          issuer: BOT_FRAMEWORK.channelTokenIssuer,
          authorization_endpoint: `${base}/unused/authorize`,
          jwks_uri: `${base}/v1/.well-known/keys`,
          id_token_signing_alg_values_supported: ['RS256'],
          token_endpoint_auth_methods_supported: ['private_key_jwt'],
        });
      }
      if (req.method === 'GET' && url.pathname === '/v1/.well-known/keys') {
        return json(200, {
          keys: published.map((k) => ({ kty: 'RSA', use: 'sig', kid: k.kid, ...pick(k.publicKey), endorsements: k.endorsements })),
        });
      }
      const token = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(url.pathname);
      if (req.method === 'POST' && token) {
        const form = new URLSearchParams(await readBody(req));
        const request: TokenRequest = {
          path: url.pathname,
          grantType: form.get('grant_type'),
          clientId: form.get('client_id'),
          scope: form.get('scope'),
          accessToken: undefined,
        };
        tokenRequests.push(request);
        if (request.grantType !== 'client_credentials') return json(400, { error: 'unsupported_grant_type' });
        if (request.clientId !== options.appId || form.get('client_secret') !== options.appPassword) {
          return json(401, { error: 'invalid_client', error_description: 'AADSTS7000215: Invalid client secret provided.' });
        }
        request.accessToken = `bot-token-${randomBytes(12).toString('hex')}`;
        return json(200, { token_type: 'Bearer', expires_in: 3599, ext_expires_in: 3599, access_token: request.accessToken });
      }
      res.writeHead(404).end();
    })().catch(() => res.writeHead(500).end());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    url: base,
    tokenRequests,
    /** Tokens the token endpoint has handed to the bot. */
    issuedTokens: () => tokenRequests.flatMap((r) => (r.accessToken ? [r.accessToken] : [])),
    /** While false, the OpenID metadata answers 503 (the bot cannot check any token). */
    setMetadataAvailable(available: boolean) {
      state.metadataAvailable = available;
    },
    /** Point the bot's inbound token checks at this server; outbound settings stay the public cloud's. */
    botAuthOverrides(): ConfigurationBotFrameworkAuthenticationOptions {
      // Setting any of these makes botframework-connector take all of them as given, so all are set.
      return {
        ToChannelFromBotLoginUrl: BOT_FRAMEWORK.loginUrl,
        ToChannelFromBotOAuthScope: BOT_FRAMEWORK.outboundScope,
        ToBotFromChannelTokenIssuer: BOT_FRAMEWORK.channelTokenIssuer,
        OAuthUrl: 'https://api.botframework.com',
        ToBotFromChannelOpenIdMetadataUrl: `${base}/v1/.well-known/openidconfiguration`,
        ToBotFromEmulatorOpenIdMetadataUrl: `${base}/common/v2.0/.well-known/openid-configuration`,
        CallerId: 'urn:botframework:azure',
        ValidateAuthority: true,
      };
    },
    /**
     * The bot's credentials as production builds them for a password (MSAL client credentials against
     * https://login.microsoftonline.com/botframework.com), with MSAL's network module sending those
     * requests here instead: offline, and MSAL refuses a plain-http authority.
     */
    credentialsFactory(appId: string, appPassword: string): BotCredentialsFactory {
      const msal = connectorMsal();
      const app = new msal.ConfidentialClientApplication({
        auth: { clientId: appId, clientSecret: appPassword, authority: BOT_FRAMEWORK.loginUrl },
        system: { networkClient: redirectingNetworkClient(base) },
      });
      return new MsalServiceClientCredentialsFactory(appId, app as never);
    },
    /** BOT_SDK=agents: where the bot checks inbound tokens (this server instead of the public cloud's). */
    agentsOpenIdMetadata() {
      return {
        channel: `${base}/v1/.well-known/openidconfiguration`,
        emulator: `${base}/common/v2.0/.well-known/openid-configuration`,
      };
    },
    /**
     * BOT_SDK=agents: the Agents SDK's own MsalTokenProvider for the bot's settings (the authority and
     * scope it computes, MSAL client credentials), with only MSAL's network module sending here.
     */
    agentsAuthProviderFactory(): (config: AuthConfiguration) => AuthProvider {
      return (config) => {
        const provider = new MsalTokenProvider(config);
        // MsalTokenProvider builds every MSAL client with these system options (a private method).
        (provider as unknown as { getSystemOptions: () => unknown }).getSystemOptions = () => ({ networkClient: redirectingNetworkClient(base) });
        return provider;
      };
    },
    keyId: (key: SigningKeyName) => keys[key].kid,
    /** A JWT signed with one of this server's keys (`kid` may be overridden to forge a signature). */
    sign(payload: Record<string, unknown>, key: SigningKeyName = 'trusted', kid = keys[key].kid): string {
      const input = `${b64url({ alg: 'RS256', typ: 'JWT', kid })}.${b64url(payload)}`;
      return `${input}.${sign('sha256', Buffer.from(input), keys[key].privateKey).toString('base64url')}`;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export type BotAuthServer = Awaited<ReturnType<typeof startBotAuthServer>>;

/** Claims as the Bot Framework channel service puts them on a token it sends to a bot. */
export function channelClaims(input: { appId: string; serviceUrl: string; expiresInS?: number; notBeforeS?: number }) {
  const now = Math.floor(Date.now() / 1000);
  return {
    serviceurl: input.serviceUrl,
    nbf: now + (input.notBeforeS ?? -60),
    exp: now + (input.expiresInS ?? 3600),
    iss: BOT_FRAMEWORK.channelTokenIssuer,
    aud: input.appId,
  };
}

/** An unsigned token (alg "none"): must never be accepted. */
export function unsignedToken(payload: Record<string, unknown>): string {
  return `${b64url({ alg: 'none', typ: 'JWT' })}.${b64url(payload)}.`;
}

function pick(publicKey: KeyObject): { n: string; e: string } {
  const jwk = publicKey.export({ format: 'jwk' });
  return { n: jwk.n!, e: jwk.e! };
}

interface MsalNetworkOptions {
  headers?: Record<string, string>;
  body?: string;
}

/** MSAL's INetworkModule: requests to Azure AD go to the local server, anything else fails loudly. */
function redirectingNetworkClient(base: string) {
  const send = async (method: string, url: string, options?: MsalNetworkOptions) => {
    const target = new URL(url);
    if (target.host !== AAD_HOST) throw new Error(`MSAL called an unexpected host: ${target.host}`);
    const response = await fetch(`${base}${target.pathname}${target.search}`, {
      method,
      ...(options?.headers ? { headers: options.headers } : {}),
      ...(options?.body !== undefined ? { body: options.body } : {}),
    });
    const text = await response.text();
    return { status: response.status, headers: Object.fromEntries(response.headers), body: text ? (JSON.parse(text) as unknown) : {} };
  };
  return {
    sendGetRequestAsync: (url: string, options?: MsalNetworkOptions) => send('GET', url, options),
    sendPostRequestAsync: (url: string, options?: MsalNetworkOptions) => send('POST', url, options),
  };
}

interface MsalModule {
  ConfidentialClientApplication: new (configuration: {
    auth: { clientId: string; clientSecret: string; authority: string };
    system: { networkClient: ReturnType<typeof redirectingNetworkClient> };
  }) => unknown;
}

/** The @azure/msal-node botframework-connector itself loads (2.x, nested), not whichever version is hoisted. */
function connectorMsal(): MsalModule {
  const require = createRequire(import.meta.url);
  return createRequire(require.resolve('botframework-connector'))('@azure/msal-node') as MsalModule;
}
