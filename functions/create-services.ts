import { hostname } from 'node:os';
import type { Adapters } from '../adapters/index.js';
import type { ConfigurationBotFrameworkAuthenticationOptions } from 'botbuilder';
import type { BotCredentialsFactory, BotRuntime } from '../bot/bot-runtime.js';
import type { Config } from '../core/config.js';
import type { Logger } from '../core/logger.js';
import type { Services } from './services.js';

export interface ServicesOptions {
  workerId?: string;
  now?: () => Date;
  botAuthOverrides?: ConfigurationBotFrameworkAuthenticationOptions;
  /** Replaces how the bot gets its outbound token (tests: a local token endpoint). */
  botCredentialsFactory?: BotCredentialsFactory;
}

/** Wires the adapters and the bot into what handlers use; nothing is loaded until first asked for. */
export function createServices(config: Config, logger: Logger, adapters: Adapters, options: ServicesOptions = {}): Services {
  let bot: Promise<BotRuntime> | undefined;
  return {
    config,
    logger,
    workerId: options.workerId ?? `${hostname()}:${process.pid}`,
    now: options.now ?? (() => new Date()),
    bus: adapters.bus,
    store: adapters.store,
    audio: adapters.audio,
    speech: adapters.speech,
    mailer: adapters.mailer,
    bot: () => {
      bot ??= import('../bot/bot-runtime.js').then(
        ({ BotRuntime }) =>
          new BotRuntime({
            appId: config.MicrosoftAppId,
            appPassword: config.MicrosoftAppPassword,
            appType: config.MicrosoftAppType,
            tenantId: config.MicrosoftAppTenantId,
            maxMessageChars: config.MAX_MESSAGE_CHARS,
            logger,
            publish: async (event) => (await adapters.bus()).publish(event),
            ...(options.botAuthOverrides ? { authOverrides: options.botAuthOverrides } : {}),
            ...(options.botCredentialsFactory ? { credentialsFactory: options.botCredentialsFactory } : {}),
          }),
      );
      return bot;
    },
  };
}
