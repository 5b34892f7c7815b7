import { AgentsChatChannel } from '../../../adapters/chat/agents-chat-channel.js';
import { BotbuilderChatChannel } from '../../../adapters/chat/botbuilder-chat-channel.js';
import { ChannelSendLimits } from '../../../adapters/chat/channel-send-limits.js';
import { RuledChatChannel } from '../../../adapters/chat/channel-rules.js';
import { SqliteInteractionStore } from '../../../adapters/store/sqlite-interaction-store.js';
import { startFakeChannel } from '../../support/fake-channel.js';
import { EndpointGuard } from '../../../core/endpoint-guard.js';
import { CONTRACT_SEND_TIMEOUT_MS, runChatChannelContract } from './chat-channel.contract.js';

// The channel rules keep the port's contract: the botbuilder channel wrapped as the composition root
// wraps it, on Teams conversation references so that the Teams rules (limits, 403 and retry statuses) apply.
const inners = {
  botbuilder: () =>
    new BotbuilderChatChannel({
      appType: 'MultiTenant',
      connectorBounds: { timeoutMs: CONTRACT_SEND_TIMEOUT_MS, guard: new EndpointGuard({ maxConcurrent: 2, cooldownMs: 30_000 }) },
    }),
  agents: () => new AgentsChatChannel({ appType: 'MultiTenant', timeoutMs: CONTRACT_SEND_TIMEOUT_MS }),
};

for (const [sdk, inner] of Object.entries(inners)) runChatChannelContract({
  name: `RuledChatChannel (Teams rules) around the ${sdk} ChatChannel over a local fake connector`,
  create: async () => {
    const fake = await startFakeChannel();
    const store = new SqliteInteractionStore({ path: ':memory:' });
    const channel = new RuledChatChannel(inner(), {
      limits: new ChannelSendLimits(),
      store: async () => store,
      now: () => new Date(),
    });
    return {
      channel,
      side: {
        reference: (conversationId) => ({ channelId: 'msteams', serviceUrl: fake.serviceUrl, conversation: { id: conversationId } }),
        received: async (conversationId) => fake.forConversation(conversationId).map((a) => a.body),
        refuse: (conversationId, status, headers) => fake.failFor(conversationId, status, headers),
        hang: (conversationId) => fake.hang(true, conversationId),
      },
      cleanup: async () => {
        await store.close();
        await fake.stop();
      },
    };
  },
});
