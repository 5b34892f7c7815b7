import path from 'node:path';
import { AzuriteAudioStore } from '../../adapters/audio/azurite-audio-store.js';
import { MemoryChatChannel } from '../../adapters/chat/memory-chat-channel.js';
import { createPorts } from '../../adapters/index.js';
import { SqliteEventBus } from '../../adapters/bus/sqlite-event-bus.js';
import { OutboxMailer } from '../../adapters/mail/outbox-mailer.js';
import type { ChatChannel, Mailer, OutgoingMail, SpeechSynthesizer, SynthesisRequest } from '../../adapters/ports.js';
import { EspeakSpeechSynthesizer } from '../../adapters/speech/espeak/espeak-speech-synthesizer.js';
import { SqliteInteractionStore } from '../../adapters/store/sqlite-interaction-store.js';
import { loadConfig } from '../../core/config.js';
import { createLogger } from '../../core/logger.js';
import { subscriptions } from '../../functions/all.js';
import type { FunctionContext } from '../../functions/context.js';

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

/** The app on the embedded adapters in `dir` (an in-memory Azurite, an in-memory chat channel), for calling handlers directly. */
export async function embeddedApp(
  dir: string,
  settings: Record<string, string> = {},
  options: { chat?: ChatChannel; now?: () => Date } = {},
) {
  const config = loadConfig({ TALKBACK_DATA_DIR: dir, STAFF_EMAILS: 'a@example.test, b@example.test', ...settings });
  const logger = createLogger('silent');
  const bus = new SqliteEventBus({ path: path.join(dir, 'bus.sqlite'), subscriptions });
  const store = new SqliteInteractionStore({ path: path.join(dir, 'records.sqlite') });
  const audio = await AzuriteAudioStore.start({ containerName: 'talkback' });
  const mailer = new CountingMailer(new OutboxMailer({ directory: path.join(dir, 'outbox') }));
  const speech = new CountingSynthesizer();
  const memoryChat = new MemoryChatChannel();
  const now = options.now ?? (() => new Date());
  const ports = createPorts(config, { subscriptions, logger, now, overrides: { bus, store, audio, mailer, speech, chat: options.chat ?? memoryChat } });
  // Every override is closed by ports.close(), once it was asked for: ask for each now.
  await Promise.all([ports.bus(), ports.store(), ports.audio(), ports.mailer(), ports.speech(), ports.chat()]);
  const app: FunctionContext = { ports, config, logger, now, workerId: 'test-worker' };
  return { app, bus, store, audio, mailer, speech, chat: memoryChat, close: () => ports.close() };
}
