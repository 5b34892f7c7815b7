import { ClaimsIdentity } from 'botframework-connector';
import { describe, expect, it } from 'vitest';
import { BotbuilderChatChannel } from '../../../../adapters/chat/botbuilder-chat-channel.js';
import { ReusedClientsAuthentication } from '../../../../adapters/chat/reused-clients-authentication.js';
import { EndpointGuard } from '../../../../core/endpoint-guard.js';

const settings = { MicrosoftAppId: '', MicrosoftAppPassword: '', MicrosoftAppType: 'MultiTenant', MicrosoftAppTenantId: '' };
const bounds = { timeoutMs: 1_000, guard: new EndpointGuard({ maxConcurrent: 2, cooldownMs: 1_000 }) };
const anonymous = () => new ClaimsIdentity([], 'anonymous');
const claimsFor = (appId: string) => new ClaimsIdentity([{ type: 'aud', value: appId }], true);

describe('ReusedClientsAuthentication', () => {
  it('gives every turn the same connector client per service URL and audience, instead of a new Azure SDK pipeline each time', async () => {
    const auth = new ReusedClientsAuthentication(settings, undefined, bounds);
    const first = await auth.createConnectorFactory(anonymous()).create('http://127.0.0.1:1/a', 'aud');
    const again = await auth.createConnectorFactory(anonymous()).create('http://127.0.0.1:1/a', 'aud');
    const otherUrl = await auth.createConnectorFactory(anonymous()).create('http://127.0.0.1:1/b', 'aud');
    const otherAudience = await auth.createConnectorFactory(anonymous()).create('http://127.0.0.1:1/a', 'other');
    expect(again).toBe(first);
    expect(otherUrl).not.toBe(first);
    expect(otherAudience).not.toBe(first);
    // Per bot app id as well (the token's audience names it).
    const forApp1 = await auth.createConnectorFactory(claimsFor('app-1')).create('http://127.0.0.1:1/a', 'aud');
    expect(await auth.createConnectorFactory(claimsFor('app-1')).create('http://127.0.0.1:1/a', 'aud')).toBe(forApp1);
    expect(await auth.createConnectorFactory(claimsFor('app-2')).create('http://127.0.0.1:1/a', 'aud')).not.toBe(forApp1);
    expect(forApp1).not.toBe(first);
    // Kept clients are bounded once: exactly one of our policies in the retry phase, none of the SDK's retries.
    const policies = (first as unknown as { client: { pipeline: { getOrderedPolicies(): Array<{ name: string }> } } }).client.pipeline
      .getOrderedPolicies()
      .map((p) => p.name);
    expect(policies.filter((name) => name === 'talkbackBoundedCall')).toHaveLength(1);
    expect(policies.some((name) => /retry/i.test(name))).toBe(false);
  });

  it('keeps one user-token client per bot app id', async () => {
    const auth = new ReusedClientsAuthentication(settings, undefined, bounds);
    const first = await auth.createUserTokenClient(claimsFor('app-1'));
    expect(await auth.createUserTokenClient(claimsFor('app-1'))).toBe(first);
    expect(await auth.createUserTokenClient(claimsFor('app-2'))).not.toBe(first);
  });

  it('serves the chat channel\'s proactive sends too (botbuilder would build both clients for every send)', () => {
    const channel = new BotbuilderChatChannel({ appType: 'MultiTenant', connectorBounds: bounds });
    const { adapter } = channel as unknown as { adapter: { botFrameworkAuthentication: unknown } };
    expect(adapter.botFrameworkAuthentication).toBeInstanceOf(ReusedClientsAuthentication);
  });
});
