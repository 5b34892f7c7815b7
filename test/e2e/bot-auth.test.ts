import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { replies } from '../../core/replies.js';
import { loadConfig } from '../../core/config.js';
import { createLogger } from '../../core/logger.js';
import { startLocalHost, type LocalHost } from '../../local/host.js';
import { BOT_FRAMEWORK, channelClaims, startBotAuthServer, unsignedToken, type BotAuthServer } from '../support/bot-auth-server.js';
import { BOT_SDKS } from '../support/bot-sdks.js';
import { audioLinkOf, messageActivity } from '../support/fake-channel.js';
import { waitForCompleteRecord } from '../support/records.js';
import { startTestHost, tempDataDir } from '../support/host.js';


const APP_PASSWORD = 'test-app-password';

interface ChannelRequest {
  path: string;
  authorization: string | undefined;
  body: { type?: string; text?: string; replyToId?: string; attachments?: { contentType: string }[] };
}

/** A channel's REST endpoint (the activity's serviceUrl) that, like the real one, takes only the bot's token. */
async function startTokenCheckingChannel(validTokens: () => string[]) {
  const requests: ChannelRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const authorization = req.headers.authorization;
      requests.push({ path: req.url ?? '', authorization, body: JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') });
      const ok = validTokens().some((t) => authorization === `Bearer ${t}`);
      res.writeHead(ok ? 200 : 401, { 'content-type': 'application/json' }).end(JSON.stringify(ok ? { id: randomUUID() } : {}));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    serviceUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    requests,
    forConversation: (id: string) => requests.filter((r) => r.path.startsWith(`/v3/conversations/${encodeURIComponent(id)}/`)),
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

interface Case {
  conversationId: string;
  channelId?: string;
  /** The Authorization header, given the channel's serviceUrl (undefined: none sent). */
  authorization: (serviceUrl: string) => string | undefined;
}

describe.each(BOT_SDKS)('Bot Framework authentication with an app id (BOT_SDK=%s)', (sdk) => {
  // One app per SDK: the SDKs' token caches are process-wide.
  const APP_ID = randomUUID();
  let data: Awaited<ReturnType<typeof tempDataDir>>;
  let auth: BotAuthServer;
  let channel: Awaited<ReturnType<typeof startTokenCheckingChannel>>;
  let host: LocalHost;
  const status = new Map<string, number>();

  const bearer = (token: string) => `Bearer ${token}`;
  const claims = (serviceUrl: string, extra: { expiresInS?: number; notBeforeS?: number } = {}) =>
    channelClaims({ appId: APP_ID, serviceUrl, ...extra });

  const REFUSED: Case[] = [
    { conversationId: 'no-token', authorization: () => undefined },
    { conversationId: 'not-a-jwt', authorization: () => 'Bearer not-a-jwt' },
    { conversationId: 'basic-scheme', authorization: () => `Basic ${Buffer.from(`${APP_ID}:${APP_PASSWORD}`).toString('base64')}` },
    { conversationId: 'unsigned', authorization: (s) => bearer(unsignedToken(claims(s))) },
    { conversationId: 'unknown-key', authorization: (s) => bearer(auth.sign(claims(s), 'unpublished')) },
    // The published key's id on a token signed with another key: jsonwebtoken's "invalid signature".
    { conversationId: 'forged-signature', authorization: (s) => bearer(auth.sign(claims(s), 'unpublished', auth.keyId('trusted'))) },
    { conversationId: 'expired', authorization: (s) => bearer(auth.sign(claims(s, { notBeforeS: -3600, expiresInS: -600 }))) },
    { conversationId: 'not-yet-valid', authorization: (s) => bearer(auth.sign(claims(s, { notBeforeS: 600 }))) },
    { conversationId: 'other-audience', authorization: (s) => bearer(auth.sign({ ...claims(s), aud: randomUUID() })) },
    { conversationId: 'other-issuer', authorization: (s) => bearer(auth.sign({ ...claims(s), iss: 'https://issuer.example.test' })) },
    { conversationId: 'other-service-url', authorization: (s) => bearer(auth.sign({ ...claims(s), serviceurl: 'https://elsewhere.example.test' })) },
    { conversationId: 'not-endorsed', authorization: (s) => bearer(auth.sign(claims(s), 'teamsOnly')) },
  ];
  const ACCEPTED: Case[] = [
    { conversationId: 'valid', authorization: (s) => bearer(auth.sign(claims(s))) },
    // botframework-connector allows 5 minutes of clock skew.
    { conversationId: 'within-skew', authorization: (s) => bearer(auth.sign(claims(s, { notBeforeS: -3600, expiresInS: -120 }))) },
    {
      conversationId: 'emulator',
      channelId: 'emulator',
      authorization: (s) => {
        const now = Math.floor(Date.now() / 1000);
        const payload = { iss: BOT_FRAMEWORK.emulatorTokenIssuer, aud: APP_ID, appid: APP_ID, ver: '1.0', nbf: now - 60, exp: now + 3600, serviceurl: s };
        return bearer(auth.sign(payload));
      },
    },
  ];

  const activityOf = (c: Case) =>
    messageActivity({
      serviceUrl: channel.serviceUrl,
      conversationId: c.conversationId,
      activityId: `act-${c.conversationId}`,
      text: `Message for ${c.conversationId}`,
      channelId: c.channelId ?? 'webchat',
    });

  async function post(c: Case): Promise<number> {
    const authorization = c.authorization(channel.serviceUrl);
    const response = await fetch(`${host.url}/api/messages`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
      body: JSON.stringify(activityOf(c)),
    });
    await response.arrayBuffer();
    return response.status;
  }


  beforeAll(async () => {
    data = await tempDataDir('talkback-auth-');
    auth = await startBotAuthServer({ appId: APP_ID, appPassword: APP_PASSWORD, endorsements: ['webchat', 'emulator', 'facebook'] });
    channel = await startTokenCheckingChannel(() => auth.issuedTokens());
    ({ host } = await startTestHost(
      data.dir,
      sdk === 'agents'
        ? // The Agents SDK's own setting names.
          { BOT_SDK: sdk, clientId: APP_ID, clientSecret: APP_PASSWORD }
        : { BOT_SDK: sdk, MicrosoftAppId: APP_ID, MicrosoftAppPassword: APP_PASSWORD, MicrosoftAppType: 'MultiTenant' },
      sdk === 'agents'
        ? { agentsOpenIdMetadata: auth.agentsOpenIdMetadata(), agentsAuthProviderFactory: auth.agentsAuthProviderFactory() }
        : { botAuthOverrides: auth.botAuthOverrides(), botCredentialsFactory: auth.credentialsFactory(APP_ID, APP_PASSWORD) },
    ));

    // CloudAdapter and botframework-connector print every refusal with console.error; keep the output readable.
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      // First of all, while the signing keys cannot be loaded: a valid token cannot be checked.
      auth.setMetadataAvailable(false);
      status.set('keys-unavailable', await post({ conversationId: 'keys-unavailable', authorization: (s) => bearer(auth.sign(claims(s))) }));
      auth.setMetadataAvailable(true);

      for (const c of [...REFUSED, ...ACCEPTED]) status.set(c.conversationId, await post(c));
    } finally {
      quiet.mockRestore();
    }
    const store = await host.ports.store();
    for (const c of ACCEPTED) {
      await waitForCompleteRecord(store, { conversationId: c.conversationId, activityId: `act-${c.conversationId}`, channelId: c.channelId ?? 'webchat' });
    }
  });

  afterAll(async () => {
    await host?.stop();
    await channel?.stop();
    await auth?.stop();
    await data?.remove();
  });

  it('refuses a missing, malformed, unsigned, forged, expired or misaddressed token with 401', () => {
    expect(Object.fromEntries(REFUSED.map((c) => [c.conversationId, status.get(c.conversationId)]))).toEqual(
      Object.fromEntries(REFUSED.map((c) => [c.conversationId, 401])),
    );
  });

  it('answers 500 (the channel retries) while the signing keys cannot be loaded', () => {
    expect(status.get('keys-unavailable')).toBe(500);
  });

  it('accepts channel and Emulator tokens signed by a published key, within the allowed clock skew', () => {
    for (const c of ACCEPTED) expect(status.get(c.conversationId), c.conversationId).toBe(200);
  });

  it('publishes nothing for a refused request', async () => {
    const store = await host.ports.store();
    const all = await store.listUpdated(new Date(0), new Date(Date.now() + 60_000), 100);
    expect(all.map((r) => r.conversationId).sort()).toEqual(ACCEPTED.map((c) => c.conversationId).sort());
    for (const id of ['keys-unavailable', ...REFUSED.map((c) => c.conversationId)]) expect(channel.forConversation(id), id).toEqual([]);
  });

  it('obtains its outbound token with client credentials for the Bot Framework scope', () => {
    expect(auth.tokenRequests.length).toBeGreaterThan(0);
    for (const request of auth.tokenRequests) {
      expect(request).toMatchObject({
        path: '/botframework.com/oauth2/v2.0/token',
        grantType: 'client_credentials',
        clientId: APP_ID,
        scope: `${BOT_FRAMEWORK.outboundScope}/.default`,
      });
      expect(request.accessToken).toMatch(/^bot-token-/);
    }
  });

  it('sends the reply and the audio to the channel with that token', () => {
    const tokens = auth.issuedTokens().map((t) => `Bearer ${t}`);
    for (const c of ACCEPTED) {
      const sent = channel.forConversation(c.conversationId);
      expect(sent.map((r) => r.body.text), c.conversationId).toEqual([replies.received.en, replies.audioReady.en]);
      expect(sent[0]!.path).toBe(`/v3/conversations/${c.conversationId}/activities/act-${c.conversationId}`);
      // Web Chat plays audio: the Listen card and the audio/mpeg attachment; the emulator channel gets the card only.
      const expected = (c.channelId ?? 'webchat') === 'webchat' ? ['application/vnd.microsoft.card.hero', 'audio/mpeg'] : ['application/vnd.microsoft.card.hero'];
      expect(sent[1]!.body.attachments?.map((a) => a.contentType)).toEqual(expected);
      expect(audioLinkOf(sent[1]!.body)).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/.*\/audio\/.+\.mp3\?/);
      for (const request of sent) expect(tokens).toContain(request.authorization);
    }
  });
});

describe.each(BOT_SDKS)('the local host without an app id (BOT_SDK=%s)', (sdk) => {
  it('refuses to listen beyond loopback, before touching its data dir', async () => {
    const data = await tempDataDir('talkback-auth-host-');
    const dataDir = path.join(data.dir, 'never-created');
    try {
      const config = loadConfig({ BOT_SDK: sdk, HOST: '0.0.0.0', PORT: '0', AZURITE_BLOB_PORT: '0', TALKBACK_DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
      const outcome = await startLocalHost(config, { logger: createLogger('silent') }).then(
        async (started) => {
          await started.stop();
          return 'started';
        },
        (error: unknown) => error,
      );
      expect(outcome).toMatchObject({ code: 'ConfigInvalid', retryable: false });
      expect((outcome as Error).message).toMatch(/HOST=0\.0\.0\.0.*MicrosoftAppId/);
      expect(existsSync(dataDir)).toBe(false);
    } finally {
      await data.remove();
    }
  });
});
