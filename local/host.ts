import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { InvocationContext } from '../functions/azure-functions.js';
import type { ConfigurationBotFrameworkAuthenticationOptions } from 'botbuilder';
import { createAdapters, type Adapters } from '../adapters/index.js';
import type { BotCredentialsFactory } from '../bot/bot-runtime.js';
import { azurePorts, type Config } from '../core/config.js';
import { TalkbackError } from '../core/errors.js';
import { createLogger, type Logger } from '../core/logger.js';
import { functions, subscribers, subscriptions, timers } from '../functions/all.js';
import { createServices } from '../functions/create-services.js';
import type { HttpFunction } from '../functions/declarations.js';
import { runSubscriber } from '../functions/run-subscriber.js';
import type { Services } from '../functions/services.js';
import { startAzurite } from './azurite.js';
import { dashboardRoute } from './dashboard.js';
import { createHttpServer } from './http-server.js';
import { startPump, type Pump } from './pump.js';
import { startTimers, type Timers } from './timers.js';

export interface LocalHostOptions {
  logger?: Logger;
  botAuthOverrides?: ConfigurationBotFrameworkAuthenticationOptions;
  /** Replaces how the bot gets its outbound token (tests: a local token endpoint). */
  botCredentialsFactory?: BotCredentialsFactory;
  /** Owner name of the claims this host takes; stable across restarts on the same data dir by default. */
  workerId?: string;
}

export interface LocalHost {
  url: string;
  port: number;
  services: Services;
  adapters: Adapters;
  stop(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/**
 * The whole app in one process: the HTTP functions behind a Node server, one pump per subscription
 * delivering the bus to its function with Service Bus semantics, Azurite when no storage account is set.
 */
export async function startLocalHost(config: Config, options: LocalHostOptions = {}): Promise<LocalHost> {
  if (!config.MicrosoftAppId && !LOOPBACK.has(config.HOST)) {
    throw new TalkbackError(
      'ConfigInvalid',
      `HOST=${config.HOST} with no MicrosoftAppId would accept unauthenticated activities from the network; set MicrosoftAppId or bind to 127.0.0.1`,
      { retryable: false },
    );
  }
  const logger = options.logger ?? createLogger(config.LOG_LEVEL);
  const dataDir = path.resolve(config.TALKBACK_DATA_DIR);
  mkdirSync(dataDir, { recursive: true });
  const azurite = azurePorts(config).audio
    ? undefined
    : await startAzurite({ location: path.join(dataDir, 'azurite'), port: config.AZURITE_BLOB_PORT, host: '127.0.0.1' });
  const adapters = createAdapters(config, { subscriptions, azuriteConnectionString: azurite?.connectionString });
  const services = createServices(config, logger, adapters, {
    // Names this host in claims (each attempt adds its own id): which host holds an email or reply.
    workerId: options.workerId ?? `local:${dataDir}`,
    ...(options.botAuthOverrides ? { botAuthOverrides: options.botAuthOverrides } : {}),
    ...(options.botCredentialsFactory ? { botCredentialsFactory: options.botCredentialsFactory } : {}),
  });
  const pumps: Pump[] = [];
  let timerRuns: Timers | undefined;
  const server = createHttpServer(
    functions.filter((f): f is HttpFunction => f.kind === 'http'),
    services,
    // The dashboard shows customers' messages: only ever on a loopback address.
    LOOPBACK.has(config.HOST) ? dashboardRoute(services, adapters) : undefined,
  );
  try {
    // Open the bus, the store, the blob container and the bot before taking traffic (the speech
    // engine compiles in the background below).
    const [bus] = await Promise.all([adapters.bus(), adapters.store(), adapters.audio(), adapters.speech(), services.bot()]);
    for (const fn of subscribers) {
      pumps.push(
        startPump({
          receiver: bus.receiver(fn.subscription),
          maxConcurrentCalls: config.MAX_CONCURRENT_CALLS,
          lockDurationMs: config.LOCK_DURATION_MS,
          retryBaseDelayMs: config.RETRY_BASE_DELAY_MS,
          retryMaxDelayMs: config.RETRY_MAX_DELAY_MS,
          logger,
          name: fn.name,
          handle: async (message) => {
            await runSubscriber(
              fn,
              message.body,
              services,
              new InvocationContext({
                invocationId: `${message.messageId}:${message.deliveryCount}`,
                functionName: fn.name,
                logHandler: () => undefined,
                triggerMetadata: { messageId: message.messageId, deliveryCount: message.deliveryCount },
              }),
            );
            // Make a blob written by this handler durable before its message is completed.
            await azurite?.flush();
          },
        }),
      );
    }
    timerRuns = startTimers(timers, services);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.PORT, config.HOST, () => resolve());
    });
  } catch (error) {
    await Promise.allSettled(pumps.map((p) => p.stop(0)));
    await timerRuns?.stop();
    await adapters.close();
    await azurite?.stop();
    throw error;
  }
  // Compile the speech engine now rather than on the first customer's message (not awaited: the
  // host serves at once, and a message arriving meanwhile queues behind the warm-up).
  void adapters
    .speech()
    .then((speech) => speech.synthesize({ text: 'ready', language: 'en' }))
    .catch((error: unknown) => logger.warn({ err: (error as Error).message }, 'speech warm-up failed'));
  const port = (server.address() as AddressInfo).port;
  const host = config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST;
  let stopping: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    port,
    services,
    adapters,
    stop() {
      stopping ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        await Promise.all([...pumps.map((p) => p.stop(config.SHUTDOWN_GRACE_MS)), timerRuns?.stop()]);
        server.closeAllConnections();
        await closed;
        await adapters.close();
        await azurite?.stop();
      })();
      return stopping;
    },
  };
}
