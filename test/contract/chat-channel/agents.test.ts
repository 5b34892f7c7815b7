import { AgentsChatChannel } from '../../../adapters/chat/agents-chat-channel.js';
import { startFakeChannel } from '../../support/fake-channel.js';
import { CONTRACT_SEND_TIMEOUT_MS, runChatChannelContract } from './chat-channel.contract.js';

// Anonymous (no app id): the Agents SDK's connector client sends without a token, to a local server
// speaking the Bot Connector REST API (POST /v3/conversations/{id}/activities).
runChatChannelContract({
  name: 'AgentsChatChannel over a local fake connector',
  create: async () => {
    const fake = await startFakeChannel();
    const channel = new AgentsChatChannel({ appType: 'MultiTenant', timeoutMs: CONTRACT_SEND_TIMEOUT_MS });
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
