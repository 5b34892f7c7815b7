import { createAdapters } from '../adapters/index.js';
import { loadConfig } from '../core/config.js';
import { TalkbackError } from '../core/errors.js';
import { createLogger } from '../core/logger.js';
import { subscriptions } from './all.js';
import { createServices } from './create-services.js';
import type { Services } from './services.js';

let services: Services | undefined;

/**
 * The composition for the Azure Functions host, built on the first invocation. In Azure nothing
 * runs anonymously and there is no Azurite: the bot's app id and a storage account are required.
 */
export function azureServices(): Services {
  if (services) return services;
  const config = loadConfig();
  const missing = [
    ...(config.MicrosoftAppId ? [] : ['MicrosoftAppId (the Functions app never runs the bot anonymously)']),
    ...(config.AZURE_STORAGE_CONNECTION_STRING ? [] : ['AZURE_STORAGE_CONNECTION_STRING']),
    // The embedded adapters (SQLite, eSpeak NG, the outbox folder) are not shipped in the Functions package.
    ...(config.SERVICEBUS_CONNECTION_STRING ? [] : ['SERVICEBUS_CONNECTION_STRING']),
    ...(config.COSMOS_ENDPOINT || config.COSMOS_CONNECTION_STRING ? [] : ['COSMOS_ENDPOINT + COSMOS_KEY (or COSMOS_CONNECTION_STRING)']),
    ...(config.SPEECH_KEY ? [] : ['SPEECH_KEY + SPEECH_REGION']),
    ...(config.SENDGRID_API_KEY ? [] : ['SENDGRID_API_KEY']),
  ];
  if (missing.length > 0) {
    throw new TalkbackError('ConfigInvalid', `the Functions app needs: ${missing.join(', ')}`, { retryable: false });
  }
  const logger = createLogger(config.LOG_LEVEL);
  const workerId = `${process.env['WEBSITE_INSTANCE_ID'] ?? 'functions'}:${process.pid}`;
  services = createServices(config, logger, createAdapters(config, { subscriptions }), { workerId });
  return services;
}
