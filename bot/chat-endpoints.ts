import type { Implementation } from '../adapters/registry.js';
import type { Config } from '../core/config.js';
import { FloodGuard } from '../core/flood-guard.js';
import type { ChatEndpoint } from './chat-endpoint.js';

/** The inbound chat endpoint implementations, one per bot SDK (BOT_SDK), chosen like the ports (adapters/registry.ts). */
export const chatEndpoints: readonly Implementation<ChatEndpoint>[] = [
  {
    id: 'botbuilder',
    selectedBy: (config) => config.BOT_SDK === 'botbuilder',
    describe: (config) => `botbuilder CloudAdapter (${config.MicrosoftAppId ? 'authenticated' : 'anonymous'})`,
    async build(config, deps) {
      const { BotbuilderChatEndpoint } = await import('./botbuilder-chat-endpoint.js');
      const flood = floodGuardOf(config);
      return new BotbuilderChatEndpoint({
        appId: config.MicrosoftAppId,
        appPassword: config.MicrosoftAppPassword,
        appType: config.MicrosoftAppType,
        tenantId: config.MicrosoftAppTenantId,
        maxMessageChars: config.MAX_MESSAGE_CHARS,
        logger: deps.logger,
        publish: async (event) => (await deps.bus()).publish(event),
        authOverrides: deps.botAuthOverrides,
        credentialsFactory: deps.botCredentialsFactory,
        sendLimits: deps.sendLimits,
        connectorBounds: deps.ackBounds,
        admit: (conversation) => flood.take(conversation),
      });
    },
  },
  {
    id: 'agents',
    selectedBy: (config) => config.BOT_SDK === 'agents',
    describe: (config) => `Microsoft 365 Agents SDK CloudAdapter (${config.MicrosoftAppId ? 'every token checked' : 'anonymous'})`,
    async build(config, deps) {
      const { AgentsChatEndpoint } = await import('./agents/agents-chat-endpoint.js');
      const flood = floodGuardOf(config);
      return new AgentsChatEndpoint({
        appId: config.MicrosoftAppId,
        appPassword: config.MicrosoftAppPassword,
        appType: config.MicrosoftAppType,
        tenantId: config.MicrosoftAppTenantId,
        maxMessageChars: config.MAX_MESSAGE_CHARS,
        logger: deps.logger,
        publish: async (event) => (await deps.bus()).publish(event),
        openIdMetadata: deps.agentsOpenIdMetadata,
        authProviderFactory: deps.agentsAuthProviderFactory,
        connectorBounds: deps.ackBounds,
        sendLimits: deps.sendLimits,
        admit: (conversation) => flood.take(conversation),
      });
    },
  },
];

/** One flood guard per endpoint (one endpoint per process): FLOOD_BURST at once, FLOOD_PER_MINUTE sustained. */
function floodGuardOf(config: Config): FloodGuard {
  return new FloodGuard({ burst: config.FLOOD_BURST, perMinute: config.FLOOD_PER_MINUTE, notifyWindowMs: config.FLOOD_NOTIFY_WINDOW_MS });
}
