import { BotbuilderChatChannel } from '../../../adapters/chat/botbuilder-chat-channel.js';
import { EndpointGuard } from '../../../core/endpoint-guard.js';
import { startFakeChannel } from '../../support/fake-channel.js';
import { CONTRACT_SEND_TIMEOUT_MS, runChatChannelContract } from './chat-channel.contract.js';

// Anonymous (no app id): the connector client sends without a token, to a local server speaking the
// Bot Connector REST API (POST /v3/conversations/{id}/activities).
runChatChannelContract({
  name: 'BotbuilderChatChannel over a local fake connector',
  create: async () => {
    const fake = await startFakeChannel();
    // Bounded as the composition root builds it (adapters/index.ts): one attempt per send.
    const channel = new BotbuilderChatChannel({
      appType: 'MultiTenant',
      connectorBounds: { timeoutMs: CONTRACT_SEND_TIMEOUT_MS, guard: new EndpointGuard({ maxConcurrent: 2, cooldownMs: 30_000 }) },
    });
    return {
      channel,
      side: {
        reference: (conversationId) => ({ channelId: 'emulator', serviceUrl: fake.serviceUrl, conversation: { id: conversationId } }),
        received: async (conversationId) => fake.forConversation(conversationId).map((a) => a.body),
        refuse: (conversationId, status, headers) => fake.failFor(conversationId, status, headers),
        hang: (conversationId) => fake.hang(true, conversationId),
      },
      cleanup: () => fake.stop(),
    };
  },
});
