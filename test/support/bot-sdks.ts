/** The SDKs the bot runs on (BOT_SDK): every bot and authentication test runs against each. */
export const BOT_SDKS = ['botbuilder', 'agents'] as const;
export type BotSdk = (typeof BOT_SDKS)[number];
