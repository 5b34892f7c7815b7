import type { AudioStore, EventBus, InteractionStore, Mailer, SpeechSynthesizer } from '../adapters/ports.js';
import type { BotRuntime } from '../bot/bot-runtime.js';
import type { Config } from '../core/config.js';
import type { Logger } from '../core/logger.js';

/**
 * What a handler may use. Every capability is a lazy getter so that a function loads only the SDKs it
 * needs (the messages function never loads Speech, Cosmos or SendGrid).
 */
export interface Services {
  config: Config;
  logger: Logger;
  /** Name of this worker, the owner of the claims it takes. */
  workerId: string;
  now: () => Date;
  bus: () => Promise<EventBus>;
  store: () => Promise<InteractionStore>;
  audio: () => Promise<AudioStore>;
  speech: () => Promise<SpeechSynthesizer>;
  mailer: () => Promise<Mailer>;
  bot: () => Promise<BotRuntime>;
}
