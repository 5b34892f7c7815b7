import { MemoryChatChannel } from '../../../adapters/chat/memory-chat-channel.js';
import { translateConnectorError } from '../../../adapters/chat/translate-connector-error.js';
import { runChatChannelContract } from './chat-channel.contract.js';

runChatChannelContract({
  name: 'MemoryChatChannel',
  create: async () => {
    const channel = new MemoryChatChannel();
    return {
      channel,
      side: {
        reference: (conversationId) => ({ channelId: 'emulator', serviceUrl: 'http://127.0.0.1:1', conversation: { id: conversationId } }),
        received: async (conversationId) => channel.sent.filter((s) => s.conversationId === conversationId).map((s) => s.activity),
        // The failure a real channel's answer becomes (the same translation the botbuilder channel uses).
        refuse: (conversationId, status, headers = {}) =>
          channel.failFor(
            conversationId,
            translateConnectorError({ statusCode: status, message: `answered ${status}`, response: { headers } }),
          ),
        // What a send aborted at its bound becomes.
        hang: (conversationId) => channel.failFor(conversationId, translateConnectorError({ name: 'AbortError', message: 'The operation was aborted' })),
      },
      cleanup: async () => undefined,
    };
  },
});
