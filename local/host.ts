import { mkdirSync } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { createAdaptorServer } from '@hono/node-server';
import { createPorts, type Ports, type PortsOptions } from '../adapters/index.js';
import { audioStoreKind, type Config } from '../core/config.js';
import { TalkbackError } from '../core/errors.js';
import { createLogger, type Logger } from '../core/logger.js';
import { functions, subscriptions } from '../functions/all.js';
import type { FunctionContext } from '../functions/context.js';
import type { HttpFunction } from '../functions/declarations.js';
import { IntakeLimit } from '../core/intake-limit.js';
import { MemoryRefusalLog, type RefusalLog } from '../core/refusals.js';
import { localClaimOwner } from './claim-owner-liveness.js';
import { limitConnections, SERVER_OPTIONS } from './connection-limits.js';
import { checkDataFolder, embeddedFiles, markDataFolder } from './data-folder.js';
import { lockDataFolder } from './data-folder-lock.js';
import type { AudioStore } from '../adapters/ports.js';
import { audioRoute, type AudioFiles } from './audio-route.js';
import { consoleHandler } from './console-route.js';
import { createHttpApp } from './http-app.js';
import { startPipeline, type Pipeline } from './pipeline.js';
import { startPipelineThread, type PipelineThread } from './pipeline-thread.js';
import { watchIntakeLoad } from './intake-load.js';
import { WorkerAudioStore } from './worker-audio-store.js';

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
  /**
   * Where the pumps, the timers, Azurite and the speech engine run: on this event loop (tests), or on
   * a pipeline worker thread this host supervises (`npm start`), so that the chat endpoint never
   * shares an event loop, a V8 heap or a CPU priority with synthesis and storage.
   */
  pipeline?: 'in-process' | 'worker-thread';
  /** The host prints log lines for a person rather than JSON (the worker thread then does too). */
  logLines?: boolean;
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
 * The local host: the HTTP functions behind one Hono app (intake: the chat endpoint publishes and
 * answers), and the pipeline (local/pipeline.ts) on this event loop or on a supervised worker thread,
 * which works under this host's data-folder lock.
 */
export async function startLocalHost(config: Config, options: LocalHostOptions = {}): Promise<LocalHost> {
  if (!config.MicrosoftAppId && !LOOPBACK.has(config.HOST)) {
    throw new TalkbackError(
      'ConfigInvalid',
      `HOST=${config.HOST} with no MicrosoftAppId would accept unauthenticated activities from the network; set MicrosoftAppId or bind to 127.0.0.1`,
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
  // The folder audio store's links point at this host: its URL is known once it listens.
  let listening: (url: string) => void = () => undefined;
  const hostUrl = new Promise<string>((resolve) => (listening = resolve));
  let startedWorker: (worker: PipelineThread) => void = () => undefined;
  const workerReady = new Promise<PipelineThread>((resolve) => (startedWorker = resolve));
  const ports = createPorts(config, {
    subscriptions,
    logger,
    botAuthOverrides: options.botAuthOverrides,
    botCredentialsFactory: options.botCredentialsFactory,
    agentsOpenIdMetadata: options.agentsOpenIdMetadata,
    agentsAuthProviderFactory: options.agentsAuthProviderFactory,
    hostUrl: () => hostUrl,
    // With the pipeline on the worker thread, the endpoint publishes into the bus's inbox: never behind the worker's write lock.
    publishVia: options.pipeline === 'worker-thread' ? 'inbox' : 'bus',
    // With the pipeline on the worker thread, an embedded Azurite is the worker's.
    ...(options.pipeline === 'worker-thread' && audioStoreKind(config) === 'azurite'
      ? { overrides: { audio: new WorkerAudioStore(() => workerReady.then((w) => w.azuriteConnectionString()), config.AUDIO_CONTAINER) } }
      : {}),
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
  let pipeline: Pipeline | undefined;
  let stopWatching: () => void = () => undefined;
  const http = createHttpApp(
    functions.filter((f): f is HttpFunction => f.kind === 'http'),
    app,
    // The staff console: loopback only unless CONSOLE_TOKEN is set (console/console-access.ts).
    {
      console: consoleHandler(config, ports, refusals),
      // The folder audio store's read links (the intake and the worker open the same folder).
      audio: audioStoreKind(config) === 'folder' ? audioRoute(() => ports.audio() as Promise<AudioStore & AudioFiles>) : undefined,
    },
  );
  const server = createAdaptorServer({ fetch: http.fetch, serverOptions: SERVER_OPTIONS }) as Server;
  limitConnections(server, { refusals, logger });
  try {
    // Open the bus, the store and the chat endpoint before taking traffic.
    await Promise.all([ports.bus(), ports.store(), ports.endpoint()]);
    markDataFolder(dataDir, embedded);
    if (options.pipeline === 'worker-thread') {
      // libuv's thread pool (file system, DNS, the inbox's syncs) starts its threads on first use, and a
      // thread inherits its creator's CPU priority: started from here, they keep the intake's, not the worker's.
      await stat(dataDir);
      const worker = startPipelineThread({ logger, hostUrl: () => hostUrl, logLines: options.logLines ?? false });
      startedWorker(worker);
      app.pipelineWorker = worker;
      pipeline = worker;
      if (config.PIPELINE_YIELD_MS > 0) stopWatching = watchIntakeLoad((load) => worker.intakeLoad(load));
    } else {
      pipeline = await startPipeline(app);
    }
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(config.PORT, config.HOST, () => resolve());
    });
  } catch (error) {
    stopWatching();
    await pipeline?.stop(0);
    await ports.close();
    lock.release();
    throw error;
  }
  const port = (server.address() as AddressInfo).port;
  const host = config.HOST.includes(':') ? `[${config.HOST}]` : config.HOST;
  listening(`http://${host}:${port}`);
  let stopping: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    port,
    app,
    ports,
    refusals,
    stop() {
      stopping ??= (async () => {
        stopWatching();
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeIdleConnections();
        // A handler in the middle of a channel call is given the call's whole timeout: cut short, a
        // reply the channel did receive would be sent again by the next start.
        const graceMs = Math.max(config.SHUTDOWN_GRACE_MS, config.CHANNEL_TIMEOUT_MS + 2_000);
        await pipeline?.stop(graceMs);
        server.closeAllConnections();
        await closed;
        await ports.close();
        lock.release();
      })();
      return stopping;
    },
  };
}
