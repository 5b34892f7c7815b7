import { AgentsChatChannel } from '../../../adapters/chat/agents-chat-channel.js';
import { BotbuilderChatChannel } from '../../../adapters/chat/botbuilder-chat-channel.js';
import { ChannelSendLimits } from '../../../adapters/chat/channel-send-limits.js';
import { RuledChatChannel } from '../../../adapters/chat/channel-rules.js';
import { SqliteInteractionStore } from '../../../adapters/store/sqlite-interaction-store.js';
import { startFakeChannel } from '../../support/fake-channel.js';
import { runChatChannelContract } from './chat-channel.contract.js';

// The channel rules keep the port's contract: the botbuilder channel wrapped as the composition root
// wraps it, on Teams conversation references so that the Teams rules (limits, 403 and retry statuses) apply.
for (const [sdk, Channel] of [['botbuilder', BotbuilderChatChannel], ['agents', AgentsChatChannel]] as const) runChatChannelContract({
  name: `RuledChatChannel (Teams rules) around the ${sdk} ChatChannel over a local fake connector`,
  create: async () => {
    const fake = await startFakeChannel();
    const store = new SqliteInteractionStore({ path: ':memory:' });
    const channel = new RuledChatChannel(new Channel({ appType: 'MultiTenant' }), {
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
      },
      cleanup: async () => {
        await store.close();
        await fake.stop();
      },
    };
  },
});
