import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createAdaptorServer } from '@hono/node-server';
import { createPorts, type Ports, type PortsOptions } from '../adapters/index.js';
import type { Config } from '../core/config.js';
import { TalkbackError } from '../core/errors.js';
import { createLogger, type Logger } from '../core/logger.js';
import { functions, subscribers, subscriptions, timers } from '../functions/all.js';
import type { FunctionContext } from '../functions/context.js';
import type { HttpFunction } from '../functions/declarations.js';
import { runSubscriber } from '../functions/run-subscriber.js';
import { IntakeLimit } from '../core/intake-limit.js';
import { MemoryRefusalLog, type RefusalLog } from '../core/refusals.js';
import { localClaimOwner } from './claim-owner-liveness.js';
import { limitConnections, SERVER_OPTIONS } from './connection-limits.js';
import { checkDataFolder, embeddedFiles, markDataFolder } from './data-folder.js';
import { lockDataFolder } from './data-folder-lock.js';
import { consoleHandler } from './console-route.js';
import { createHttpApp } from './http-app.js';
import { startPump, type Pump } from './pump.js';
import { startTimers, type Timers } from './timers.js';

export interface LocalHostOptions {
  logger?: Logger;
  botAuthOverrides?: PortsOptions['botAuthOverrides'];
  /** Replaces how the bot gets its outbound token (tests: a local token endpoint). */
  botCredentialsFactory?: PortsOptions['botCredentialsFactory'];
  /** BOT_SDK=agents: a local OpenID server and token endpoint (tests). */
  agentsOpenIdMetadata?: PortsOptions['agentsOpenIdMetadata'];
  agentsAuthProviderFactory?: PortsOptions['agentsAuthProviderFactory'];
  /** Owner name of the claims this host takes (default: this process, see claim-owner-liveness.ts). */
  workerId?: string;
}

export interface LocalHost {
  url: string;
  port: number;
  /** What every handler of this host gets (its ports, config, logger). */
  app: FunctionContext;
  ports: Ports;
  /** Requests refused at the edge (counts and the latest), for the dashboard and the staff console. */
  refusals: RefusalLog;
  stop(): Promise<void>;
}

const LOOPBACK = new Set(['127.0.0.1', '::1', 'localhost']);

/**
 * The whole app in one process: the HTTP functions behind one Hono app, one pump per subscription
 * delivering the bus to its function with Service Bus semantics, and the timers.
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
  // One host per data folder, and only on a folder that is whole (local/data-folder*.ts).
  const lock = lockDataFolder(dataDir);
  const embedded = embeddedFiles(config);
  try {
    checkDataFolder(dataDir, embedded);
  } catch (error) {
    lock.release();
    throw error;
  }
  const ports = createPorts(config, {
    subscriptions,
    logger,
    botAuthOverrides: options.botAuthOverrides,
    botCredentialsFactory: options.botCredentialsFactory,
    agentsOpenIdMetadata: options.agentsOpenIdMetadata,
    agentsAuthProviderFactory: options.agentsAuthProviderFactory,
  });
  // Names this process in claims (each attempt adds its own id); a claim whose process is gone is
  // taken over at once by the next delivery.
  const claimOwner = localClaimOwner(`local:${dataDir}`);
  const refusals = new MemoryRefusalLog();
  const app: FunctionContext = {
    ports,
    config,
    logger,
    now: () => new Date(),
    settlement: 'pump',
    workerId: options.workerId ?? claimOwner.workerId,
    claimOwnerGone: claimOwner.ownerGone,
    refusals,
    intake: new IntakeLimit(config.INTAKE_MAX_IN_FLIGHT),
  };
  const pumps: Pump[] = [];
  let timerRuns: Timers | undefined;
  const http = createHttpApp(
    functions.filter((f): f is HttpFunction => f.kind === 'http'),
    app,
    // The staff console: loopback only unless CONSOLE_TOKEN is set (console/console-access.ts).
    { console: consoleHandler(config, ports, refusals) },
  );
  const server = createAdaptorServer({ fetch: http.fetch, serverOptions: SERVER_OPTIONS }) as Server;
  limitConnections(server, { refusals, logger });
  try {
    // Open the bus, the store, the audio store (and its Azurite), the chat endpoint and channel before
    // taking traffic (the speech engine compiles in the background below).
    const [bus] = await Promise.all([ports.bus(), ports.store(), ports.audio(), ports.speech(), ports.endpoint(), ports.chat()]);
    markDataFolder(dataDir, embedded);
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
            await runSubscriber(fn, message.body, {
              ...app,
              delivery: {
                messageId: message.messageId,
                deliveryCount: message.deliveryCount,
                invocationId: `${message.messageId}:${message.deliveryCount}`,
                enqueuedAt: message.enqueuedAt,
              },
            });
          },
        }),
      );
    }
    timerRuns = startTimers(timers, app);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.PORT, config.HOST, () => resolve());
    });
  } catch (error) {
    await Promise.allSettled(pumps.map((p) => p.stop(0)));
    await timerRuns?.stop();
    await ports.close();
    lock.release();
    throw error;
  }
  // Compile the speech engine now rather than on the first customer's message (not awaited: the
  // host serves at once, and a message arriving meanwhile queues behind the warm-up).
  void ports
    .speech()
    .then((speech) => speech.synthesize({ text: 'ready', language: 'en' }))
    .catch((error: unknown) => logger.warn({ err: (error as Error).message }, 'speech warm-up failed'));
  const port = (server.address() as AddressInfo).port;
  const host = config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST;
  let stopping: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    port,
    app,
    ports,
    refusals,
    stop() {
      stopping ??= (async () => {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        // A handler in the middle of a channel call is given the call's whole timeout: cut short, a
        // reply the channel did receive would be sent again by the next start.
        const graceMs = Math.max(config.SHUTDOWN_GRACE_MS, config.CHANNEL_TIMEOUT_MS + 2_000);
        await Promise.all([...pumps.map((p) => p.stop(graceMs)), timerRuns?.stop()]);
        server.closeAllConnections();
        await closed;
        await ports.close();
        lock.release();
      })();
      return stopping;
    },
  };
}
