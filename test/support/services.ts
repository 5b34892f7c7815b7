import path from 'node:path';
import { AzureBlobAudioStore } from '../../adapters/audio/azure-blob-audio-store.js';
import type { Adapters } from '../../adapters/index.js';
import { SqliteEventBus } from '../../adapters/bus/sqlite-event-bus.js';
import { OutboxMailer } from '../../adapters/mail/outbox-mailer.js';
import type { Mailer, OutgoingMail, SpeechSynthesizer, SynthesisRequest } from '../../adapters/ports.js';
import { EspeakSpeechSynthesizer } from '../../adapters/speech/espeak-speech-synthesizer.js';
import { SqliteInteractionStore } from '../../adapters/store/sqlite-interaction-store.js';
import { loadConfig } from '../../core/config.js';
import { createLogger } from '../../core/logger.js';
import { subscriptions } from '../../functions/all.js';
import { createServices } from '../../functions/create-services.js';
import type { Services } from '../../functions/services.js';
import { startAzurite } from '../../local/azurite.js';

/** Wraps a mailer to count and see what is sent: the outbox alone would hide a second send of one key. */
export class CountingMailer implements Mailer {
  readonly sent: OutgoingMail[] = [];
  failWith: Error | undefined;
  constructor(private readonly inner: Mailer) {}
  async send(mail: OutgoingMail) {
    this.sent.push(mail);
    if (this.failWith) throw this.failWith;
    return this.inner.send(mail);
  }
  close() {
    return this.inner.close();
  }
}

/** Counts syntheses of the embedded synthesizer. */
export class CountingSynthesizer implements SpeechSynthesizer {
  readonly requests: SynthesisRequest[] = [];
  private readonly inner = new EspeakSpeechSynthesizer();
  synthesize(request: SynthesisRequest) {
    this.requests.push(request);
    return this.inner.synthesize(request);
  }
  close() {
    return this.inner.close();
  }
}

/** Services on the embedded adapters in `dir` (an in-memory Azurite), for calling handlers directly. */
export async function embeddedServices(dir: string, settings: Record<string, string> = {}) {
  const config = loadConfig({ TALKBACK_DATA_DIR: dir, STAFF_EMAILS: 'a@example.test, b@example.test', ...settings });
  const azurite = await startAzurite();
  const bus = new SqliteEventBus({ path: path.join(dir, 'bus.sqlite'), subscriptions });
  const store = new SqliteInteractionStore({ path: path.join(dir, 'records.sqlite') });
  const audio = new AzureBlobAudioStore({ connectionString: azurite.connectionString, containerName: 'talkback' });
  const mailer = new CountingMailer(new OutboxMailer({ directory: path.join(dir, 'outbox') }));
  const speech = new CountingSynthesizer();
  const adapters: Adapters = {
    bus: async () => bus,
    store: async () => store,
    audio: async () => audio,
    speech: async () => speech,
    mailer: async () => mailer,
    describe: () => ({ bus: 'sqlite', store: 'sqlite', audio: 'azurite', speech: '-', mailer: 'outbox' }),
    close: async () => {
      await Promise.all([bus.close(), store.close(), audio.close(), mailer.close(), speech.close()]);
      await azurite.stop();
    },
  };
  const services: Services = createServices(config, createLogger('silent'), adapters);
  return { services, bus, store, audio, mailer, speech, close: adapters.close };
}
