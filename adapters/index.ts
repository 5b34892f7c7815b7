/**
 * The composition root: one validated config in, one implementation per port out. Each port's
 * folder lists its implementations (adapters/<port>/<registry>.ts); `choose` picks the one the
 * settings select (a present setting = Azure, never a silent fallback), and `describe` reports that
 * same choice. Ports are built lazily, their modules imported on first use, so a function loads
 * only the SDKs it needs.
 */
import type { ConfigurationBotFrameworkAuthenticationOptions } from 'botbuilder';
import type { ServiceClientCredentialsFactory } from 'botframework-connector';
import { chatEndpoints } from '../bot/chat-endpoints.js';
import type { ChatEndpoint } from '../bot/chat-endpoint.js';
import { azurePorts, type Config } from '../core/config.js';
import { withCallTimeout } from './call-timeout.js';
import { blockingFileCalls } from './file-calls.js';
import { EndpointGuard } from '../core/endpoint-guard.js';
import type { Logger } from '../core/logger.js';
import { audioStores } from './audio/audio-stores.js';
import { eventBuses } from './bus/event-buses.js';
import { ChannelSendLimits } from './chat/channel-send-limits.js';
import { RuledChatChannel } from './chat/channel-rules.js';
import { chatChannels } from './chat/chat-channels.js';
import { mailers } from './mail/mailers.js';
import type { AudioStore, ChatChannel, EventBus, InteractionStore, Mailer, SpeechSynthesizer, SubscriptionSpec } from './ports.js';
import { choose, inDataDir, type BuildDeps, type Implementation } from './registry.js';
import { speechSynthesizers } from './speech/speech-synthesizers.js';
import { interactionStores } from './store/interaction-stores.js';

export interface PortsOptions {
  /** The topic's subscriptions (from the function declarations), for the embedded bus. */
  subscriptions: readonly SubscriptionSpec[];
  logger: Logger;
  botAuthOverrides?: ConfigurationBotFrameworkAuthenticationOptions | undefined;
  botCredentialsFactory?: ServiceClientCredentialsFactory | undefined;
  /** The clock of the channel rules (Messenger's 24-hour window, Teams' block); default the system clock. */
  now?: () => Date;
  agentsOpenIdMetadata?: BuildDeps['agentsOpenIdMetadata'];
  agentsAuthProviderFactory?: BuildDeps['agentsAuthProviderFactory'];
  /** The local host's own URL, once it listens (links of the folder audio store). */
  hostUrl?: (() => Promise<string>) | undefined;
  /** 'inbox': the local host's intake while its pipeline runs on a worker thread (BuildDeps.publishVia). */
  publishVia?: 'bus' | 'inbox' | undefined;
  /** The local host's pipeline: limits (or pauses) synthesis under way while the chat endpoint is busy (BuildDeps.synthesisPause). */
  synthesisPause?: BuildDeps['synthesisPause'];
  /**
   * The embedded file adapters (folder audio store, outbox) make their file calls on the calling
   * thread instead of libuv's pool: for the local host's pipeline worker, which answers no request
   * (adapters/file-calls.ts). Never for the chat endpoint's event loop.
   */
  blockingFileCalls?: boolean;
  /** Replaces an implementation that is already built (tests: counting or failing doubles). */
  overrides?: Partial<{ [K in PortName]: PortTypes[K] }>;
}

interface PortTypes {
  bus: EventBus;
  store: InteractionStore;
  audio: AudioStore;
  speech: SpeechSynthesizer;
  mailer: Mailer;
  chat: ChatChannel;
  endpoint: ChatEndpoint;
}

export type PortName = keyof PortTypes;

/** Every side effect a handler may cause, each a lazy getter (nothing is loaded until first asked for). */
export type Ports = { readonly [K in PortName]: () => Promise<PortTypes[K]> } & {
  /** Which implementation serves each port (the start-up banner, the dashboard). */
  describe(): Record<PortName, string>;
  close(): Promise<void>;
};

const REGISTRIES: { [K in PortName]: readonly Implementation<PortTypes[K]>[] } = {
  bus: eventBuses,
  store: interactionStores,
  audio: audioStores,
  speech: speechSynthesizers,
  mailer: mailers,
  chat: chatChannels,
  endpoint: chatEndpoints,
};

interface Closable {
  close(): Promise<void>;
}

export function createPorts(config: Config, options: PortsOptions): Ports {
  // Chosen now: a config selecting no (or two) implementations fails at start-up, not on first use.
  const chosen = Object.fromEntries(
    (Object.keys(REGISTRIES) as PortName[]).map((name) => [name, choose(name, REGISTRIES[name] as readonly Implementation<Closable>[], config)]),
  ) as Record<PortName, Implementation<Closable>>;
  const built: Array<{ name: PortName; port: Promise<Closable> }> = [];
  // One per process: the inbound endpoint's in-turn replies and the ChatChannel's sends share it.
  const sendLimits = new ChannelSendLimits();
  const now = options.now ?? (() => new Date());
  // Whichever ChatChannel is chosen (or given), the channels' rules wrap it.
  const withRules = (name: PortName, port: Closable): Closable =>
    name === 'chat' ? new RuledChatChannel(port as ChatChannel, { limits: sendLimits, store: get('store') as Ports['store'], now }) : port;
  // Speech, blobs, mail and Cosmos DB answer over the network (or a worker): every call is bounded.
  // (The embedded SQLite store and bus are synchronous; chat calls have their own CHANNEL_TIMEOUT_MS.)
  const timed = new Set<PortName>(['audio', 'speech', 'mailer', ...(azurePorts(config).store ? (['store'] as const) : [])]);
  const bounded = (name: PortName, port: Closable): Closable => (timed.has(name) ? withCallTimeout(port, name, config.OUTBOUND_TIMEOUT_MS) : port);
  const getters = new Map<PortName, () => Promise<Closable>>();
  const get = (name: PortName): (() => Promise<Closable>) => {
    const existing = getters.get(name);
    if (existing) return existing;
    let instance: Promise<Closable> | undefined;
    const getter = () => {
      if (!instance) {
        const override = options.overrides?.[name];
        instance = (override ? Promise.resolve(override) : chosen[name].build(config, deps).then((port) => bounded(name, port))).then((port) =>
          withRules(name, port),
        );
        built.push({ name, port: instance });
        // A failed build is retried on the next call rather than cached forever.
        instance.catch(() => (instance = undefined));
      }
      return instance;
    };
    getters.set(name, getter);
    return getter;
  };
  const deps: BuildDeps = {
    subscriptions: options.subscriptions,
    logger: options.logger,
    inDataDir: inDataDir(config),
    hostUrl: options.hostUrl,
    publishVia: options.publishVia,
    synthesisPause: options.synthesisPause,
    fileCalls: options.blockingFileCalls ? blockingFileCalls : undefined,
    bus: () => get('bus')() as Promise<EventBus>,
    sendLimits,
    botAuthOverrides: options.botAuthOverrides,
    botCredentialsFactory: options.botCredentialsFactory,
    agentsOpenIdMetadata: options.agentsOpenIdMetadata,
    agentsAuthProviderFactory: options.agentsAuthProviderFactory,
    channelBounds: {
      timeoutMs: config.CHANNEL_TIMEOUT_MS,
      guard: new EndpointGuard({ maxConcurrent: config.CHANNEL_ENDPOINT_CONCURRENCY, cooldownMs: config.CHANNEL_COOLDOWN_MS }),
    },
    ackBounds: {
      timeoutMs: config.CHANNEL_TIMEOUT_MS,
      guard: new EndpointGuard({
        maxConcurrent: Math.max(config.CHANNEL_ENDPOINT_CONCURRENCY, config.INTAKE_MAX_IN_FLIGHT),
        cooldownMs: config.CHANNEL_COOLDOWN_MS,
      }),
    },
  };
  return {
    bus: get('bus') as Ports['bus'],
    store: get('store') as Ports['store'],
    audio: get('audio') as Ports['audio'],
    speech: get('speech') as Ports['speech'],
    mailer: get('mailer') as Ports['mailer'],
    chat: get('chat') as Ports['chat'],
    endpoint: get('endpoint') as Ports['endpoint'],
    describe: () =>
      Object.fromEntries((Object.keys(chosen) as PortName[]).map((name) => [name, chosen[name].describe(config)])) as Record<PortName, string>,
    /** Closes every port built; one that fails to close (its last writes may not be on disk) is logged, not thrown. */
    async close() {
      const closing = built.map(async ({ name, port }) => {
        const ready = await port.catch(() => undefined); // a failed build has nothing to close
        try {
          await ready?.close();
        } catch (error) {
          options.logger.error({ port: name, err: error instanceof Error ? error.message : String(error) }, `closing the ${name} port failed`);
        }
      });
      await Promise.all(closing);
    },
  };
}
