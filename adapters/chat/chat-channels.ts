import type { ChatChannel } from '../ports.js';
import type { Implementation } from '../registry.js';

/** The ChatChannel implementations the settings can select (BOT_SDK; the in-memory one is for tests only). */
export const chatChannels: readonly Implementation<ChatChannel>[] = [
  {
    id: 'botbuilder',
    selectedBy: (config) => config.BOT_SDK === 'botbuilder',
    describe: (config) => `Bot Framework connector (botbuilder${config.MicrosoftAppId ? '' : ', anonymous'})`,
    async build(config, deps) {
      const { BotbuilderChatChannel } = await import('./botbuilder-chat-channel.js');
      return new BotbuilderChatChannel({
        appId: config.MicrosoftAppId,
        appPassword: config.MicrosoftAppPassword,
        appType: config.MicrosoftAppType,
        tenantId: config.MicrosoftAppTenantId,
        authOverrides: deps.botAuthOverrides,
        credentialsFactory: deps.botCredentialsFactory,
        connectorBounds: deps.channelBounds,
      });
    },
  },
  {
    id: 'agents',
    selectedBy: (config) => config.BOT_SDK === 'agents',
    describe: (config) => `Bot Framework connector (Microsoft 365 Agents SDK${config.MicrosoftAppId ? '' : ', anonymous'})`,
    async build(config, deps) {
      const { AgentsChatChannel } = await import('./agents-chat-channel.js');
      return new AgentsChatChannel({
        appId: config.MicrosoftAppId,
        appPassword: config.MicrosoftAppPassword,
        appType: config.MicrosoftAppType,
        tenantId: config.MicrosoftAppTenantId,
        authProviderFactory: deps.agentsAuthProviderFactory,
        connectorBounds: deps.channelBounds,
      });
    },
  },
];
