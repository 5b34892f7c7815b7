import { AgentsChatEndpoint } from '../../bot/agents/agents-chat-endpoint.js';
import { BotbuilderChatEndpoint } from '../../bot/botbuilder-chat-endpoint.js';
import type { ChatEndpoint } from '../../bot/chat-endpoint.js';
import type { TalkbackBotOptions } from '../../bot/talkback-turn.js';
import { createLogger } from '../../core/logger.js';
import type { BotSdk } from './bot-sdks.js';

/** The bot's inbound endpoint on one SDK without an app id (anonymous, as the local host on loopback runs it). */
export function anonymousChatEndpoint(sdk: BotSdk, options: TalkbackBotOptions): ChatEndpoint {
  const common = { ...options, appType: 'MultiTenant' as const, logger: createLogger('silent') };
  return sdk === 'agents' ? new AgentsChatEndpoint(common) : new BotbuilderChatEndpoint(common);
}
