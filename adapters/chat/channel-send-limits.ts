import type { SendLimits } from '../ports.js';
import { ConversationSendLimiter, TEAMS_CONVERSATION_WINDOWS } from './conversation-send-limiter.js';

/**
 * The channels with per-conversation send limits and their limiters. Teams is the one that documents
 * them (7 per second, 8 per 2 s, 60 per 30 s, 1,800 per hour per conversation); others send at once.
 */
export class ChannelSendLimits implements SendLimits {
  private readonly limiters: ReadonlyMap<string, ConversationSendLimiter>;

  constructor(limiters?: ReadonlyMap<string, ConversationSendLimiter>) {
    this.limiters = limiters ?? new Map([['msteams', new ConversationSendLimiter({ windows: TEAMS_CONVERSATION_WINDOWS })]]);
  }

  run<T>(channelId: string, conversationId: string, send: () => Promise<T>): Promise<T> {
    const limiter = this.limiters.get(channelId);
    return limiter ? limiter.run(conversationId, send) : send();
  }
}
