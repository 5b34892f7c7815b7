import { mkdirSync } from 'node:fs';
import path from 'node:path';
import type { AuthConfiguration, AuthProvider } from '@microsoft/agents-hosting';
import type { ConfigurationBotFrameworkAuthenticationOptions } from 'botbuilder';
import type { ServiceClientCredentialsFactory } from 'botframework-connector';
import type { Config } from '../core/config.js';
import { TalkbackError } from '../core/errors.js';
import type { Logger } from '../core/logger.js';
import type { ConnectorBounds } from './chat/bounded-connector.js';
import type { EventBus, SendLimits, SubscriptionSpec } from './ports.js';
import type { FileCalls } from './file-calls.js';
import type { SynthesisPause } from './speech/synthesis-pause.js';

/** What an implementation may need besides the config: given by the composition root. */
export interface BuildDeps {
  /** The topic's subscriptions (from the function declarations), for the embedded bus. */
  subscriptions: readonly SubscriptionSpec[];
  logger: Logger;
  /** A file in the data folder (TALKBACK_DATA_DIR), the folder created on first use. */
  inDataDir(name: string): string;
  /** The bus, for implementations that publish (the inbound chat endpoint). */
  bus(): Promise<EventBus>;
  /**
   * 'inbox': these ports are the local host's intake, whose pipeline runs on a worker thread; it
   * publishes into the embedded bus's inbox file, so its acknowledgements never wait for the bus's
   * write lock (adapters/bus/sqlite-bus-inbox.ts). Default 'bus'.
   */
  publishVia?: 'bus' | 'inbox' | undefined;
  /** The local host's own URL, once it listens (the folder audio store's links point there); absent: CONSOLE_BASE_URL. */
  hostUrl?: (() => Promise<string>) | undefined;
  /** The local host's pipeline: limits how many of the embedded synthesizer's (eSpeak NG's) syntheses run while its chat endpoint is busy (none while it is saturated). */
  synthesisPause?: SynthesisPause | undefined;
  /** How the embedded file adapters make their file calls (adapters/file-calls.ts; default on libuv's pool). */
  fileCalls?: FileCalls | undefined;
  /** The per-conversation send limits shared by the inbound endpoint's in-turn replies and the ChatChannel. */
  sendLimits: SendLimits;
  /** Extra Bot Framework auth settings (tests: a local OpenID metadata URL). */
  botAuthOverrides?: ConfigurationBotFrameworkAuthenticationOptions | undefined;
  /** Replaces how the bot gets its outbound token (tests: a local token endpoint). */
  botCredentialsFactory?: ServiceClientCredentialsFactory | undefined;
  /** BOT_SDK=agents: where channel and Emulator signing keys are published (tests: a local OpenID server). */
  agentsOpenIdMetadata?: { channel?: string | undefined; emulator?: string | undefined } | undefined;
  /** BOT_SDK=agents: replaces how the bot gets its outbound token (tests: a local token endpoint). */
  agentsAuthProviderFactory?: ((config: AuthConfiguration) => AuthProvider) | undefined;
  /** Proactive replies (one guard per process): at most CHANNEL_ENDPOINT_CONCURRENCY per channel host, so one dead host cannot take every reply slot. */
  channelBounds: ConnectorBounds;
  /**
   * The in-turn confirmations: each belongs to an inbound request, whose number the intake already
   * bounds (INTAKE_MAX_IN_FLIGHT), so they may use that many calls per channel host — every Teams
   * conversation of a region shares one host, and two at a time would queue the whole bot's acks.
   * A host that let an ack time out still cools down (acks to it fail at once; the message stays published).
   */
  ackBounds: ConnectorBounds;
}

/**
 * One implementation of a port. Each port's folder lists its implementations in one registry file;
 * the composition root picks the one whose settings select it, and `describe` says the same choice.
 */
export interface Implementation<P> {
  id: string;
  /** Exactly one implementation of a port selects itself for any valid config. */
  selectedBy(config: Config): boolean;
  /** One line for the start-up banner and the dashboard. */
  describe(config: Config): string;
  /** Builds it, importing its module (and SDK) only now. */
  build(config: Config, deps: BuildDeps): Promise<P>;
}

/** The implementation the settings select: exactly one, never a silent fallback. */
export function choose<P>(port: string, registry: readonly Implementation<P>[], config: Config): Implementation<P> {
  const selected = registry.filter((i) => i.selectedBy(config));
  if (selected.length !== 1) {
    throw new TalkbackError(
      'ConfigInvalid',
      `the settings select ${selected.length === 0 ? 'no' : selected.map((i) => i.id).join(' and ')} implementation of ${port}`,
    );
  }
  return selected[0]!;
}

export function dataDirOf(config: Config): string {
  return path.resolve(config.TALKBACK_DATA_DIR);
}

export function inDataDir(config: Config): (name: string) => string {
  const dir = dataDirOf(config);
  return (name) => {
    mkdirSync(dir, { recursive: true });
    return path.join(dir, name);
  };
}
