import type { ChatChannel } from '../ports.js';
import type { Implementation } from '../registry.js';

/** The ChatChannel implementations the settings can select (the in-memory one is for tests only). */
export const chatChannels: readonly Implementation<ChatChannel>[] = [
  {
    id: 'botbuilder',
    selectedBy: () => true,
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
      });
    },
  },
];
