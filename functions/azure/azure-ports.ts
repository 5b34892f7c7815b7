import { createPorts } from '../../adapters/index.js';
import { azurePorts, loadConfig, type Port } from '../../core/config.js';
import { TalkbackError } from '../../core/errors.js';
import { createLogger } from '../../core/logger.js';
import { subscriptions } from '../all.js';
import type { FunctionContext } from '../context.js';

let app: FunctionContext | undefined;

const REQUIRED_SETTINGS: Record<Port, string> = {
  audio: 'AZURE_STORAGE_CONNECTION_STRING',
  bus: 'SERVICEBUS_CONNECTION_STRING',
  store: 'COSMOS_ENDPOINT + COSMOS_KEY (or COSMOS_CONNECTION_STRING)',
  speech: 'SPEECH_KEY + SPEECH_REGION',
  mailer: 'SENDGRID_API_KEY or ACS_EMAIL_CONNECTION_STRING / ACS_EMAIL_ENDPOINT',
};

/**
 * The composition for the Azure Functions host, built on the first invocation. In Azure nothing
 * runs anonymously and there is no Azurite: the bot's app id and a storage account are required.
 */
export function azureContext(): FunctionContext {
  if (app) return app;
  const config = loadConfig();
  const azure = azurePorts(config);
  // Every port must be on Azure: the embedded adapters (SQLite, Azurite, eSpeak NG, the outbox folder)
  // are not shipped in the Functions package.
  const missing = [
    ...(config.MicrosoftAppId ? [] : ['MicrosoftAppId or clientId (the Functions app never runs the bot anonymously)']),
    ...(Object.keys(REQUIRED_SETTINGS) as Port[]).filter((port) => !azure[port]).map((port) => REQUIRED_SETTINGS[port]),
  ];
  if (missing.length > 0) {
    throw new TalkbackError('ConfigInvalid', `the Functions app needs: ${missing.join(', ')}`);
  }
  const logger = createLogger(config.LOG_LEVEL);
  app = {
    config,
    logger,
    ports: createPorts(config, { subscriptions, logger }),
    now: () => new Date(),
    settlement: config.SERVICEBUS_SDK_BINDING ? 'sdk-binding' : 'throw',
    workerId: `${process.env['WEBSITE_INSTANCE_ID'] ?? 'functions'}:${process.pid}`,
  };
  return app;
}
