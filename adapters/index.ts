/**
 * The composition root of the adapters: one validated config in, one adapter per port out.
 * A setting present means the Azure adapter; absent means the embedded default. Adapters are built
 * lazily and their modules imported on first use, so a function loads only the SDKs it needs.
 */
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { azurePorts, type Config } from '../core/config.js';
import { TalkbackError } from '../core/errors.js';
import { TOPIC } from '../core/events.js';
import type {
  AudioStore,
  EventBus,
  InteractionStore,
  Mailer,
  SpeechSynthesizer,
  SubscriptionSpec,
} from './ports.js';

export interface AdapterOptions {
  /** The topic's subscriptions (from the function declarations), for the embedded bus. */
  subscriptions: readonly SubscriptionSpec[];
  /** Connection string of the Azurite the local host started, when no storage account is configured. */
  azuriteConnectionString?: string | undefined;
}

export interface Adapters {
  bus: () => Promise<EventBus>;
  store: () => Promise<InteractionStore>;
  audio: () => Promise<AudioStore>;
  speech: () => Promise<SpeechSynthesizer>;
  mailer: () => Promise<Mailer>;
  /** Which adapter serves each port, for the start-up banner and /api/health. */
  describe(): Record<'bus' | 'store' | 'audio' | 'speech' | 'mailer', string>;
  close(): Promise<void>;
}

function isPlainHttp(endpointOrConnectionString: string): boolean {
  return /(^|AccountEndpoint=)http:\/\//i.test(endpointOrConnectionString);
}

interface Closable {
  close(): Promise<void>;
}

export function createAdapters(config: Config, options: AdapterOptions): Adapters {
  const dataDir = path.resolve(config.TALKBACK_DATA_DIR);
  const built: Promise<Closable>[] = [];
  const lazy = <T extends Closable>(build: () => Promise<T>): (() => Promise<T>) => {
    let instance: Promise<T> | undefined;
    return () => {
      if (!instance) {
        instance = build();
        built.push(instance);
        // A failed build is retried on the next call rather than cached forever.
        instance.catch(() => (instance = undefined));
      }
      return instance;
    };
  };
  const inDataDir = (name: string) => {
    mkdirSync(dataDir, { recursive: true });
    return path.join(dataDir, name);
  };

  const azure = azurePorts(config);
  return {
    bus: lazy(async () => {
      if (azure.bus) {
        const { AzureServiceBusEventBus } = await import('./bus/azure-service-bus-event-bus.js');
        return new AzureServiceBusEventBus({
          connectionString: config.SERVICEBUS_CONNECTION_STRING ?? '',
          topicName: TOPIC,
        });
      }
      const { SqliteEventBus } = await import('./bus/sqlite-event-bus.js');
      return new SqliteEventBus({
        path: inDataDir('bus.sqlite'),
        subscriptions: options.subscriptions,
        lockDurationMs: config.LOCK_DURATION_MS,
        maxDeliveryCount: config.MAX_DELIVERY_COUNT,
        duplicateDetectionWindowMs: config.DUPLICATE_DETECTION_WINDOW_MS,
      });
    }),
    store: lazy(async () => {
      if (azure.store) {
        const { CosmosInteractionStore } = await import('./store/cosmos-interaction-store.js');
        return new CosmosInteractionStore({
          ...(config.COSMOS_CONNECTION_STRING
            ? { connectionString: config.COSMOS_CONNECTION_STRING }
            : { endpoint: config.COSMOS_ENDPOINT ?? '', key: config.COSMOS_KEY ?? '' }),
          databaseId: config.COSMOS_DATABASE,
          containerId: config.COSMOS_CONTAINER,
          ...(config.RECORD_TTL_DAYS ? { defaultTtlSeconds: config.RECORD_TTL_DAYS * 86_400 } : {}),
          // A plain-HTTP endpoint is an emulator: endpoint discovery would rewrite it to https.
          ...(isPlainHttp(config.COSMOS_ENDPOINT ?? config.COSMOS_CONNECTION_STRING ?? '')
            ? { connectionPolicy: { enableEndpointDiscovery: false } }
            : {}),
        });
      }
      const { SqliteInteractionStore } = await import('./store/sqlite-interaction-store.js');
      return new SqliteInteractionStore({ path: inDataDir('records.sqlite') });
    }),
    audio: lazy(async () => {
      const connectionString = config.AZURE_STORAGE_CONNECTION_STRING ?? options.azuriteConnectionString;
      if (!connectionString) {
        throw new TalkbackError(
          'ConfigInvalid',
          'AZURE_STORAGE_CONNECTION_STRING is required when no local Azurite is running',
          { retryable: false },
        );
      }
      const { AzureBlobAudioStore } = await import('./audio/azure-blob-audio-store.js');
      return new AzureBlobAudioStore({ connectionString, containerName: config.AUDIO_CONTAINER });
    }),
    speech: lazy(async () => {
      if (azure.speech) {
        const { AzureSpeechSynthesizer } = await import('./speech/azure-speech-synthesizer.js');
        return new AzureSpeechSynthesizer({
          key: config.SPEECH_KEY ?? '',
          region: config.SPEECH_REGION ?? '',
          voices: { ko: config.SPEECH_VOICE_KO, en: config.SPEECH_VOICE_EN },
        });
      }
      const { EspeakSpeechSynthesizer } = await import('./speech/espeak-speech-synthesizer.js');
      return new EspeakSpeechSynthesizer({});
    }),
    mailer: lazy(async () => {
      if (azure.mailer) {
        const { SendGridMailer } = await import('./mail/sendgrid-mailer.js');
        return new SendGridMailer({ apiKey: config.SENDGRID_API_KEY ?? '', baseUrl: config.SENDGRID_BASE_URL });
      }
      const { OutboxMailer } = await import('./mail/outbox-mailer.js');
      return new OutboxMailer({ directory: inDataDir('outbox') });
    }),
    describe: () => ({
      bus: azure.bus ? `Azure Service Bus (topic ${TOPIC})` : `SQLite (${path.join(dataDir, 'bus.sqlite')})`,
      store: azure.store ? `Cosmos DB (${config.COSMOS_DATABASE}/${config.COSMOS_CONTAINER})` : `SQLite (${path.join(dataDir, 'records.sqlite')})`,
      audio: azure.audio ? `Blob storage (container ${config.AUDIO_CONTAINER})` : `Azurite in-process (container ${config.AUDIO_CONTAINER})`,
      speech: azure.speech ? `Azure Speech (${config.SPEECH_REGION})` : 'eSpeak NG (WASM, offline)',
      mailer: azure.mailer ? `SendGrid (${config.SENDGRID_BASE_URL})` : `outbox folder (${path.join(dataDir, 'outbox')})`,
    }),
    async close() {
      const settled = await Promise.allSettled(built);
      await Promise.allSettled(
        settled.flatMap((s) => (s.status === 'fulfilled' ? [s.value.close()] : [])),
      );
    },
  };
}
